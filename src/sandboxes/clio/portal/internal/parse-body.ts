import type { z } from 'zod';
import { badRequest } from './portal-error';

/** zod at the edge: a bad body is a 400 naming each field, and nothing runs. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success)
    throw badRequest(
      parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
    );
  return parsed.data;
}

export function parseId(raw: unknown, what: string): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0) throw badRequest(`${what} id must be a positive integer`);
  return id;
}
