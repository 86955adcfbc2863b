import { type z } from 'zod';
import { AppError } from './errors';

export interface FieldProblem {
  field: string;
  reason: string;
}

/** Zod issues as `{field, reason}` pairs, with the field written as a path a person can find in their JSON. */
export function fieldProblems(error: z.ZodError, root = 'body'): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const path = [root, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => ({ field: `${path}.${k}`, reason: 'is not a known field' }));
    }
    if (issue.code === 'invalid_type' && issue.input === undefined)
      return [{ field: path, reason: 'is required' }];
    return [{ field: path, reason: issue.message }];
  });
}

/** Parses a request part or throws a 400 that names every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, root = 'body'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = fieldProblems(result.error, root);
  const summary = problems
    .slice(0, 3)
    .map((p) => `${p.field} ${p.reason}`)
    .join('; ');
  throw new AppError(400, 'invalid_request', `Invalid request: ${summary}`, { fields: problems });
}
