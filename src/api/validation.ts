import { type z } from 'zod';
import { AppError } from './errors';

export interface FieldProblem {
  field: string;
  reason: string;
}

/** Zod issues as `{field, reason}` pairs, with the field written as a path a person can find in their JSON. */
export function fieldProblems(error: z.ZodError, root = 'body', input?: unknown): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const path = [root, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => ({ field: `${path}.${k}`, reason: 'is not a known field' }));
    }
    // Zod leaves the offending value out of its issues: look at the input itself to tell missing from wrong.
    if (issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined)
      return [{ field: path, reason: 'is required' }];
    return [{ field: path, reason: issue.message }];
  });
}

/** Parses a request part or throws a 400 that names every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, root = 'body'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = fieldProblems(result.error, root, value);
  const summary = problems
    .slice(0, 3)
    .map((p) => `${p.field} ${p.reason}`)
    .join('; ');
  throw new AppError(400, 'invalid_request', `Invalid request: ${summary}`, { fields: problems });
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let at = input;
  for (const step of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<PropertyKey, unknown>)[step];
  }
  return at;
}

/**
 * Whether a body the JSON parser refused (strict: objects and arrays only) is valid JSON all the same: `null`, a
 * number, a string, a boolean. Such a body is answered "must be a JSON object" rather than "is not valid JSON".
 * Only on the parser's error path; a body that opens an object or array was refused for its syntax.
 */
export function isJsonButNotObject(body: unknown): boolean {
  if (typeof body !== 'string' || /^[ \t\n\r]*[[{]/.test(body)) return false;
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
}

/** The 400 for such a body, in the shape of the other validation answers. */
export const bodyNotAnObject = () =>
  new AppError(400, 'invalid_request', 'Invalid request: body must be a JSON object', {
    fields: [{ field: 'body', reason: 'must be a JSON object' }],
  });
