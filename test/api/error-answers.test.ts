import { type Api, type Answer, send, startApi } from './api-harness';

const ADMIN = { authorization: 'Bearer sandbox-admin' };

/** The answer's error, checked to be the API's shape: `{ error: { code, message, details? } }` and nothing else. */
function errorShape(answer: Answer): { code: string; message: string; details?: { fields: unknown[] } } {
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  const parsed = JSON.parse(answer.body) as {
    error: { code: string; message: string; details?: { fields: [] } };
  };
  expect(Object.keys(parsed)).toEqual(['error']);
  expect(Object.keys(parsed.error).sort()).toEqual(
    parsed.error.details ? ['code', 'details', 'message'] : ['code', 'message'],
  );
  expect(answer.body).not.toMatch(/\bat .+\(.*:\d+:\d+\)/);
  return parsed.error;
}

describe('error answers: a client error is a 4xx in the error shape, naming what was wrong', () => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    await api?.stop();
  });

  const json = (body: string, extra: Record<string, string> = {}) => ({
    ...ADMIN,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    ...extra,
  });

  test.each([
    ['malformed JSON', 'POST', '/v1/webhooks', json('{"url":'), '{"url":', 400, 'invalid_json', 'body'],
    [
      'a form body',
      'POST',
      '/v1/webhooks',
      { ...ADMIN, 'content-type': 'application/x-www-form-urlencoded', 'content-length': '5' },
      'url=x',
      415,
      'unsupported_media_type',
      'header.content-type',
    ],
    [
      'a body that does not decompress',
      'POST',
      '/v1/webhooks',
      json('hello', { 'content-encoding': 'gzip' }),
      'hello',
      400,
      'bad_request',
      'body',
    ],
    [
      'an encoding the API does not take',
      'POST',
      '/v1/webhooks',
      json('hello', { 'content-encoding': 'zstd' }),
      'hello',
      415,
      'unsupported_encoding',
      'header.content-encoding',
    ],
    [
      'a path that is not valid percent-encoding',
      'GET',
      '/v1/matters/%E0%A4%A',
      ADMIN,
      undefined,
      400,
      'invalid_request',
      'path',
    ],
    [
      'a query parameter that is not valid percent-encoding',
      'GET',
      '/v1/matters?limit=5&query=%E0%A4%A',
      ADMIN,
      undefined,
      400,
      'invalid_request',
      'query.query',
    ],
  ])(
    '%s: %s %s, then the status and code given, naming the part',
    async (_what, method, target, headers, body, status, code, field) => {
      const res = await send(api, method, target, headers, body);
      expect(res.status).toBe(status);
      const error = errorShape(res);
      expect(error.code).toBe(code);
      expect(error.details?.fields).toEqual([expect.objectContaining({ field })]);
    },
  );

  test.each([['null'], ['42'], ['"a string"'], [' true '], ['[1, 2]'], ['[]']])(
    'a body of valid JSON that is not an object (%s) is a 400 saying the body must be a JSON object, not that it is not JSON',
    async (body) => {
      const res = await send(api, 'POST', '/v1/webhooks', json(body), body);
      expect(res.status).toBe(400);
      expect(errorShape(res)).toEqual({
        code: 'invalid_request',
        message: 'Invalid request: body must be a JSON object',
        details: { fields: [{ field: 'body', reason: 'must be a JSON object' }] },
      });
    },
  );

  test('two Idempotency-Key headers are a 400 saying so, not a malformed key (Node would join them with ", "), and nothing is created', async () => {
    const body = JSON.stringify({ url: 'https://hooks.example.com/in', events: ['workflow.completed'] });
    for (const keys of [
      ['key-a', 'key-b'],
      ['same-key', 'same-key'],
    ]) {
      const res = await send(api, 'POST', '/v1/webhooks', { ...json(body), 'idempotency-key': keys }, body);
      expect(res.status).toBe(400);
      expect(errorShape(res)).toEqual({
        code: 'invalid_request',
        message: 'Invalid request: header.idempotency-key is sent more than once',
        details: { fields: [{ field: 'header.idempotency-key', reason: 'is sent more than once' }] },
      });
    }
    const list = await send(api, 'GET', '/v1/webhooks', ADMIN);
    expect((JSON.parse(list.body) as { data: unknown[] }).data).toEqual([]);
  });

  test('a body over 1 MB is a 413 naming the body and the limit', async () => {
    const body = JSON.stringify({ url: 'x'.repeat(1_100_000) });
    const res = await send(api, 'POST', '/v1/webhooks', json(body), body);
    expect(res.status).toBe(413);
    expect(errorShape(res)).toEqual({
      code: 'body_too_large',
      message: 'The body is larger than 1048576 bytes',
      details: { fields: [{ field: 'body', reason: 'is larger than 1048576 bytes' }] },
    });
  });

  test('a body sent with a GET is not read: the read is answered', async () => {
    const res = await send(api, 'GET', '/v1/webhooks', json('{"not json'), '{"not json');
    expect(res.status).toBe(200);
  });

  test.each([
    ['Range', { range: 'bytes=999999999-' }, 416, 'range_not_satisfiable', 'header.range'],
    ['If-Match', { 'if-match': '"not-this-one"' }, 412, 'precondition_failed', 'header.if-match'],
    [
      'If-Unmodified-Since',
      { 'if-unmodified-since': 'Mon, 01 Jan 1990 00:00:00 GMT' },
      412,
      'precondition_failed',
      'header.if-unmodified-since',
    ],
  ])(
    'a %s header the docs page files cannot meet: the status and code given, naming the header, not the body (a GET has none)',
    async (_name, headers, status, code, field) => {
      const res = await send(api, 'GET', '/docs/assets/swagger-ui.css', headers);
      expect(res.status).toBe(status);
      const error = errorShape(res);
      expect(error.code).toBe(code);
      expect(error.details?.fields).toEqual([expect.objectContaining({ field })]);
    },
  );
});
