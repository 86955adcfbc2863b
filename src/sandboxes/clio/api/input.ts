import { z } from 'zod';
import { badRequest, unprocessable } from '../http/errors';

/** Write bodies are wrapped as `{ data: {...} }` (JSON or form-encoded `data[field]=...`). */
export function dataOf(body: unknown): Record<string, unknown> {
  const data = (body as { data?: unknown } | undefined)?.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    throw badRequest('The request body must be {"data": {...}}');
  return data as Record<string, unknown>;
}

/** Form-encoded bodies carry strings; JSON carries typed values. Both are accepted, as Clio does. */
export const zId = z.coerce.number().int().positive();
export const zBool = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
export const zNumber = z.coerce.number().finite();
export const zDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be a valid date');
export const zRef = z.object({ id: zId });

/** zod's issues, phrased as Clio's single 422 message. */
export function parseInput<T extends z.ZodType>(schema: T, data: unknown): z.infer<T> {
  const result = schema.safeParse(data);
  if (!result.success) {
    const message = result.error.issues.map((i) => `${i.path.join('.') || 'data'}: ${i.message}`).join('; ');
    throw unprocessable(`Validation failed: ${message}`);
  }
  return result.data;
}
