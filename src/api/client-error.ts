import { STATUS_CODES } from 'node:http';
import { type Duplex } from 'node:stream';

/** The answer for a request Node's HTTP parser refused before the app saw it. */
function answerFor(code: string | undefined): { status: number; error: Record<string, unknown> } {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        error: {
          code: 'headers_too_large',
          message: 'The request headers are larger than the 16 KB the API reads',
          details: { fields: [{ field: 'header', reason: 'are larger than 16 KB together' }] },
        },
      };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return {
        status: 413,
        error: {
          code: 'chunk_extensions_too_large',
          message: 'The chunk extensions of the body are larger than Node reads',
          details: { fields: [{ field: 'body', reason: 'has chunk extensions larger than Node reads' }] },
        },
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        error: { code: 'request_timeout', message: 'The request was not received in time' },
      };
    default:
      // An invalid header character, a bad method or version, conflicting framing headers (request smuggling).
      return {
        status: 400,
        error: { code: 'malformed_request', message: 'The request is not valid HTTP/1.1' },
      };
  }
}

/**
 * `clientError` handler: a request the parser refused gets the API's JSON error shape rather than Node's bare
 * status line, then the connection closes (the parser cannot find where the next request would start). As Node's
 * own handler does, nothing is written when the connection is gone or a response on it has begun: those bytes
 * would land inside that response.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const { status, error } = answerFor(err.code);
  const body = JSON.stringify({ error });
  // Closed outright once written: the server keeps half-open connections, so an end() alone would hold this one
  // (a file descriptor) until the next headers-timeout sweep, a minute or more.
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'X-Content-Type-Options: nosniff\r\n' +
      'Cache-Control: no-store\r\n' +
      'Connection: close\r\n\r\n' +
      body,
    () => socket.destroy(),
  );
}
