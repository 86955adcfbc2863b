import { type IncomingMessage } from 'node:http';
import { AppError } from './errors';

/**
 * The value of a header a request may send only once, or undefined without it; throws a 400 when it is sent more
 * than once. Node keeps the first Authorization and joins repeated unknown headers with ", ": either way the
 * value read would not be what the client meant, and a proxy in front may read another one, so none is guessed.
 */
export function singleHeader(
  req: Pick<IncomingMessage, 'headers' | 'rawHeaders'>,
  name: Lowercase<string>,
): string | undefined {
  const value = req.headers[name];
  if (value === undefined) return undefined;
  let seen = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i]!.length === name.length && req.rawHeaders[i]!.toLowerCase() === name) seen++;
  }
  if (seen > 1 || typeof value !== 'string') {
    throw new AppError(400, 'invalid_request', `Invalid request: header.${name} is sent more than once`, {
      fields: [{ field: `header.${name}`, reason: 'is sent more than once' }],
    });
  }
  return value;
}
