import { parse as parseQuery, type ParsedUrlQuery } from 'node:querystring';
import { type z } from 'zod';
import { AppError } from './errors';

export interface FieldProblem {
  field: string;
  reason: string;
}

/**
 * Issues a scalar schema raises for a list: what a query parser makes of a parameter given more than once
 * (`?limit=1&limit=2`). A schema that takes a list raises none of these for one, only its own bounds.
 */
const NOT_A_LIST = new Set(['invalid_type', 'invalid_value', 'invalid_union']);

/**
 * Zod issues as `{field, reason}` pairs, with the field written as a path a person can find in their JSON. A query
 * parameter given more than once where one value is expected is named once, as such, instead of by what its list
 * of values is not.
 */
export function fieldProblems(error: z.ZodError, root = 'body', input?: unknown): FieldProblem[] {
  const repeated = new Set<string>();
  // A value of the wrong type fails the checks meant for the right one too (zod measures a string against an
  // array's size): only the type is reported for it.
  const fieldOf = (issue: z.core.$ZodIssue) => [root, ...issue.path.map(String)].join('.');
  const mistyped = new Set(error.issues.filter((i) => i.code === 'invalid_type').map(fieldOf));
  return error.issues.flatMap((issue) => {
    const path = fieldOf(issue);
    if (
      root === 'query' &&
      issue.path.length === 1 &&
      NOT_A_LIST.has(issue.code) &&
      Array.isArray(valueAt(input, issue.path))
    ) {
      if (repeated.has(path)) return [];
      repeated.add(path);
      return [{ field: path, reason: 'is given more than once' }];
    }
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => ({ field: `${path}.${k}`, reason: 'is not a known field' }));
    }
    if (issue.code !== 'invalid_type' && mistyped.has(path)) return [];
    return [{ field: path, reason: reasonFor(issue, root, input) }];
  });
}

/**
 * The reason for one issue in the API's words ("must be …"). Only zod's own messages are reworded (its English
 * locale: "Invalid input: …", "Too big: …"); a schema's message, `must be a whole number of seconds`, says more.
 */
function reasonFor(issue: z.core.$ZodIssue, root: string, input: unknown): string {
  const zodWords = /^(Invalid input|Invalid option|Too big|Too small):/.test(issue.message);
  switch (issue.code) {
    case 'invalid_type': {
      // Zod leaves the offending value out of its issues: look at the input itself to tell missing from wrong.
      const given = valueAt(input, issue.path);
      if (given === undefined) return 'is required';
      // The whole body: the same words as for a body the JSON parser refused for not being an object.
      if (issue.path.length === 0 && issue.expected === 'object') return bodyNotAnObjectProblem(root).reason;
      const expected = TYPE_NAMES[issue.expected];
      if (!zodWords || !expected) return issue.message;
      // What was sent only for JSON: a query or path value is always a string, however it was meant.
      return root === 'body' ? `must be ${expected}, not ${typeNameOf(given)}` : `must be ${expected}`;
    }
    case 'invalid_value':
      if (!zodWords) return issue.message;
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_big':
    case 'too_small': {
      if (!zodWords) return issue.message;
      const big = issue.code === 'too_big';
      const limit = String(big ? issue.maximum : issue.minimum);
      const bound =
        issue.inclusive === false ? (big ? 'less than' : 'more than') : big ? 'at most' : 'at least';
      const unit = SIZE_UNITS[issue.origin];
      return unit ? `must have ${bound} ${limit} ${unit}` : `must be ${bound} ${limit}`;
    }
    default:
      return issue.message;
  }
}

/** What a size limit counts, by the kind of value zod measured. */
const SIZE_UNITS: Partial<Record<string, string>> = {
  string: 'characters',
  array: 'items',
  set: 'items',
};

/** How a reason names the JSON type a field must have (zod's names for them). */
const TYPE_NAMES: Partial<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
};

/** The JSON type of a value as a reason names it. */
function typeNameOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'boolean') return String(value);
  return TYPE_NAMES[typeof value] ?? typeof value;
}

function bodyNotAnObjectProblem(root: string): FieldProblem {
  return { field: root, reason: 'must be a JSON object' };
}

/** Parses a request part or throws a 400 that names every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, root = 'body'): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = fieldProblems(result.error, root, value);
  throw new AppError(400, 'invalid_request', `Invalid request: ${summaryOf(problems)}`, { fields: problems });
}

/** The first few problems, for an answer's message. */
function summaryOf(problems: FieldProblem[]): string {
  return problems
    .slice(0, 3)
    .map((p) => `${p.field} ${p.reason}`)
    .join('; ');
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
    fields: [bodyNotAnObjectProblem('body')],
  });

/**
 * The API's query parser (`app.set('query parser', parseQueryString)`): Express's default ("simple", Node's
 * querystring), but a parameter that is not valid percent-encoding (`?query=%E0%A4%A`) is a 400 naming it, as a
 * path segment is, rather than passed on with the bytes it could not decode replaced (a search for U+FFFD).
 * Checked only when the query holds a '%'; Express calls this when `req.query` is read, where a throw is answered.
 */
export function parseQueryString(raw: string | null | undefined): ParsedUrlQuery {
  const text = raw ?? '';
  if (text.includes('%')) {
    const fields = malformedParameters(text);
    if (fields.length > 0)
      throw new AppError(400, 'invalid_request', `Invalid request: ${summaryOf(fields)}`, { fields });
  }
  return parseQuery(text);
}

function malformedParameters(text: string): FieldProblem[] {
  const out: FieldProblem[] = [];
  const seen = new Set<string>();
  for (const pair of text.split('&')) {
    if (!pair.includes('%')) continue;
    const eq = pair.indexOf('=');
    const name = decoded(eq < 0 ? pair : pair.slice(0, eq));
    const field =
      name === undefined
        ? { field: 'query', reason: 'has a parameter name that is not valid percent-encoding' }
        : eq >= 0 && decoded(pair.slice(eq + 1)) === undefined
          ? { field: `query.${name}`, reason: 'is not valid percent-encoding' }
          : undefined;
    if (field && !seen.has(field.field)) {
      seen.add(field.field);
      out.push(field);
    }
  }
  return out;
}

function decoded(part: string): string | undefined {
  if (!part.includes('%')) return part.replaceAll('+', ' ');
  try {
    return decodeURIComponent(part.replaceAll('+', ' '));
  } catch {
    return undefined;
  }
}
