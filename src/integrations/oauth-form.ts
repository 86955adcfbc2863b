import { type z } from 'zod';

export interface FormAnswer {
  res: Response;
  text: string;
}

/**
 * A POST to an OAuth endpoint (RFC 6749: a form in, JSON out) with its answer read as text, bounded at 30 s.
 * No answer at all (refused, reset, timed out) is thrown as `networkError` makes it: each integration has
 * its own error type for that.
 */
export async function postOAuthForm(
  doFetch: typeof fetch,
  url: URL,
  form: URLSearchParams,
  opts: { networkError: (err: unknown) => Error; authorization?: string },
): Promise<FormAnswer> {
  try {
    const res = await doFetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        ...(opts.authorization ? { authorization: opts.authorization } : {}),
      },
      body: form,
      signal: AbortSignal.timeout(30_000),
    });
    return { res, text: await res.text() };
  } catch (err) {
    throw opts.networkError(err);
  }
}

/** A token answer's body through its schema; undefined when it is not JSON or not of that shape. */
export function parseTokenAnswer<S extends z.ZodType>(schema: S, text: string): z.infer<S> | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
