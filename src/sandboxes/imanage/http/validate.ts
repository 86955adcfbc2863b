import { type z } from 'zod';
import { badRequest } from '../errors';

/** Parses with zod and turns failures into iManage's 400 envelope, one message per offending field. */
export function parse<S extends z.ZodType>(schema: S, data: unknown, what = 'request'): z.infer<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const messages = result.error.issues.map((i) => ({
    field: i.path.map(String).join('.') || undefined,
    code: i.code.toUpperCase(),
    code_message: i.message,
  }));
  throw badRequest(`The ${what} is not valid.`, messages);
}
