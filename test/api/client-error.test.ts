import { once } from 'node:events';
import { createServer } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { answerClientError } from '../../src/api/client-error';
import { type Api, send, startApi } from './api-harness';

/** Writes raw bytes to the API and reads until it closes the connection. */
function rawExchange(api: Api, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(api.port, '127.0.0.1', () => socket.write(request));
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
    socket.setTimeout(5000, () => {
      socket.destroy();
      reject(new Error(`no close after ${JSON.stringify(text)}`));
    });
  });
}

function parse(raw: string) {
  const [head, body] = raw.split('\r\n\r\n', 2) as [string, string];
  const [statusLine, ...headerLines] = head.split('\r\n');
  const headers = Object.fromEntries(
    headerLines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
  );
  return { statusLine, headers, body: JSON.parse(body) as { error: { code: string; message: string } } };
}

describe('requests Node refuses before the app sees them get the API JSON error shape', () => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    await api?.stop();
  });

  test.each([
    ['a bare CR inside a header value', 'GET /healthz HTTP/1.1\r\nHost: a\r\nX-Note: a\rb\r\n\r\n'],
    ['a space inside the method', 'GE T /healthz HTTP/1.1\r\nHost: a\r\n\r\n'],
    [
      'both Content-Length and Transfer-Encoding (request smuggling)',
      'POST /v1/webhooks HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    ],
  ])('%s: 400 malformed_request as JSON, and the connection closes', async (_what, request) => {
    const answer = parse(await rawExchange(api, request));
    expect(answer.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.headers.connection).toBe('close');
    expect(answer.body).toEqual({
      error: { code: 'malformed_request', message: 'The request is not valid HTTP/1.1' },
    });
  });

  test('headers over 16 KB: 431 headers_too_large as JSON, naming the headers', async () => {
    const answer = parse(
      await rawExchange(api, `GET /healthz HTTP/1.1\r\nHost: a\r\nX-Big: ${'x'.repeat(17_000)}\r\n\r\n`),
    );
    expect(answer.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(answer.body.error.code).toBe('headers_too_large');
    expect(answer.body).toMatchObject({
      error: { details: { fields: [{ field: 'header', reason: 'are larger than 16 KB together' }] } },
    });
  });

  test('chunk extensions over what Node reads: 413 chunk_extensions_too_large as JSON', async () => {
    const answer = parse(
      await rawExchange(
        api,
        'POST /v1/webhooks HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer sandbox-admin\r\n' +
          'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n' +
          `2;${'e'.repeat(20_000)}\r\n{}\r\n0\r\n\r\n`,
      ),
    );
    expect(answer.statusLine).toBe('HTTP/1.1 413 Payload Too Large');
    expect(answer.body.error.code).toBe('chunk_extensions_too_large');
  });

  test('such a connection is closed outright, not only on the server side (half-open it would hold a descriptor for a minute)', async () => {
    // The handler on a server of its own, whose open connections can be counted.
    const server = createServer(() => undefined).on('clientError', answerClientError);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    // This side never closes: only the server's own close ends the connection.
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true }, () =>
      socket.write('GE T / HTTP/1.1\r\nHost: a\r\n\r\n'),
    );
    socket.on('error', () => undefined);
    socket.resume();
    await once(socket, 'end');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const open = await new Promise<number>((resolve, reject) =>
      server.getConnections((err, count) => (err ? reject(err) : resolve(count))),
    );
    socket.destroy();
    server.close();
    expect(open).toBe(0);
  });

  test('the API goes on answering after them', async () => {
    await rawExchange(api, 'GE T / HTTP/1.1\r\n\r\n');
    expect((await send(api, 'GET', '/healthz')).status).toBe(200);
  });
});
