import { z } from 'zod';

/** Clio ids are int64 numbers on the wire; the service carries them as strings. */
export const ClioIdSchema = z.union([z.number().int(), z.string()]).transform((v) => String(v));

export const ClioActivitySchema = z.object({
  id: ClioIdSchema,
  type: z.string().optional(),
  date: z.string().optional(),
  quantity: z.number().nullable().optional(),
  note: z.string().nullable().optional(),
  created_at: z.string().optional(),
  matter: z.object({ id: ClioIdSchema }).nullable().optional(),
  user: z.object({ id: ClioIdSchema }).nullable().optional(),
});
export type ClioActivity = z.infer<typeof ClioActivitySchema>;

export const UtbmsCodeSchema = z.object({
  id: ClioIdSchema,
  code: z.string(),
  type: z.string(),
});

export function listEnvelope<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    meta: z
      .object({ paging: z.object({ next: z.string().optional() }).partial().optional() })
      .partial()
      .optional(),
  });
}

export function showEnvelope<T extends z.ZodType>(item: T) {
  return z.object({ data: item });
}
