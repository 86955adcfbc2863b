import { once } from 'node:events';
import { type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { defaultPayloadConverter } from '@temporalio/common';
import express from 'express';
import { AppError } from '../../src/api/errors';
import { createCodecRouter, createEncryptionCodec, parseKeyring } from '../../src/temporal/codec';
import { keyB64 } from './keys';

const UI_ORIGIN = 'http://127.0.0.1:8233';
const GOOD_KEY = 'Bearer sandbox-admin';

describe('codec server router over HTTP', () => {
  const codec = createEncryptionCodec(parseKeyring(`k1:${keyB64()}`));
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const app = express();
    app.use(
      '/codec',
      createCodecRouter({
        codec,
        authorize: (req) => {
          // What the service's access decision throws: a refusal with its own answer, or a failure of its own.
          if (req.headers.authorization === 'Bearer held-back')
            throw new AppError(429, 'rate_limited', 'Too many requests', undefined, { 'retry-after': '17' });
          if (req.headers.authorization === 'Bearer store-down') throw new Error('SQLITE_BUSY');
          return Promise.resolve(req.headers.authorization === GOOD_KEY);
        },
        allowedOrigins: [UI_ORIGIN],
      }),
    );
    // The same router with a small body limit: the 413 without sending megabytes.
    app.use(
      '/small/codec',
      createCodecRouter({ codec, authorize: () => true, allowedOrigins: [UI_ORIGIN], bodyLimit: '1kb' }),
    );
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/codec`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const toJson = (p: { metadata?: Record<string, Uint8Array> | null; data?: Uint8Array | null }) => ({
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
    ),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  });
  const post = (path: string, body: unknown, headers: Record<string, string> = { authorization: GOOD_KEY }) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-namespace': 'default',
        origin: UI_ORIGIN,
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('when an authorized caller posts encrypted payloads to /decode, then it gets them decoded, as the UI expects', async () => {
    const [encrypted] = await codec.encode([
      defaultPayloadConverter.toPayload({ client: 'Alice Confidential' }),
    ]);
    const res = await post('/decode', { payloads: [toJson(encrypted!)] });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    const body = (await res.json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
    expect(Buffer.from(body.payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
    expect(JSON.parse(Buffer.from(body.payloads[0]!.data, 'base64').toString())).toEqual({
      client: 'Alice Confidential',
    });
  });

  it('when /encode output is sent to /decode, then the round trip is exact', async () => {
    const plain = toJson(defaultPayloadConverter.toPayload([1, 'two']));
    const encoded = (await (await post('/encode', { payloads: [plain] })).json()) as { payloads: unknown[] };
    expect(JSON.stringify(encoded)).not.toContain(plain.data);
    const decoded = (await (await post('/decode', encoded)).json()) as { payloads: unknown[] };
    expect(decoded.payloads).toEqual([plain]);
  });

  it('when a caller has no credentials, then 401; with a wrong key, then 403; and no payload is decoded', async () => {
    const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload('secret')]);
    const anonymous = await post('/decode', { payloads: [toJson(encrypted!)] }, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    // The code /v1 answers for the same situation (no key): one code for clients to handle.
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
    // CORS headers on the refusal let the UI show why it failed.
    expect(anonymous.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    const wrong = await post('/decode', { payloads: [toJson(encrypted!)] }, { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).not.toContain('secret');
  });

  it('when the access decision refuses with an answer of its own (429, 400), then that answer goes out, with its headers and CORS, and nothing is decoded; any other failure of it is a 403 as before', async () => {
    const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload('secret')]);
    const held = await post(
      '/decode',
      { payloads: [toJson(encrypted!)] },
      { authorization: 'Bearer held-back' },
    );
    expect(held.status).toBe(429);
    expect(held.headers.get('retry-after')).toBe('17');
    expect(held.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(await held.json()).toEqual({ error: { code: 'rate_limited', message: 'Too many requests' } });
    const failed = await post(
      '/decode',
      { payloads: [toJson(encrypted!)] },
      { authorization: 'Bearer store-down' },
    );
    expect(failed.status).toBe(403);
    expect(await failed.text()).not.toContain('SQLITE');
  });

  it('when the UI sends a CORS preflight, then the allowed origin and headers come back without credentials needed', async () => {
    const res = await fetch(`${base}/decode`, {
      method: 'OPTIONS',
      headers: {
        origin: UI_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-namespace,authorization',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type,x-namespace,authorization');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
  });

  it('when another origin asks, then no CORS grant is given', async () => {
    const res = await fetch(`${base}/decode`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  type ErrorAnswer = { error: { code: string; details?: { fields: { field: string; reason: string }[] } } };
  const refusal = async (res: Response) => {
    const { error } = (await res.json()) as ErrorAnswer;
    return { status: res.status, code: error.code, fields: error.details?.fields.map((f) => f.field) };
  };

  it('when the body is malformed or a payload was altered, then 400 in the API error shape', async () => {
    const broken = await post('/decode', '{"payloads": [');
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
    expect((await post('/decode', { payloads: 'nope' })).status).toBe(400);
    expect((await post('/decode', { payloads: [{ data: '%%%not-base64%%%' }] })).status).toBe(400);
    const [encrypted] = await codec.encode([defaultPayloadConverter.toPayload('x')]);
    const tampered = toJson(encrypted!);
    tampered.data = Buffer.from(
      Buffer.from(tampered.data, 'base64').map((b, i) => (i === 20 ? b ^ 1 : b)),
    ).toString('base64');
    const res = await post('/decode', { payloads: [tampered] });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('decode_failed');
  });

  it('when the body is malformed, then the 400 names the field and why', async () => {
    expect(await refusal(await post('/decode', '{"payloads": ['))).toEqual({
      status: 400,
      code: 'invalid_request',
      fields: ['body'],
    });
    expect((await refusal(await post('/encode', { payloads: 'nope' }))).fields).toEqual(['body.payloads']);
    expect((await refusal(await post('/encode', {}))).fields).toEqual(['body.payloads']);
    const plain = toJson(defaultPayloadConverter.toPayload('x'));
    expect(
      (await refusal(await post('/encode', { payloads: [plain, { ...plain, data: '%%%not-base64%%%' }] })))
        .fields,
    ).toEqual(['body.payloads.1.data']);
    expect(
      (await refusal(await post('/encode', { payloads: [{ ...plain, metadata: { encoding: 5 } }] }))).fields,
    ).toEqual(['body.payloads.0.metadata.encoding']);
    // Unknown fields are named, as protojson refuses them, rather than dropped without a word.
    expect(
      (await refusal(await post('/encode', { payloads: [plain], namespace: 'default' }))).fields,
    ).toEqual(['body.namespace']);
    expect(
      (await refusal(await post('/encode', { payloads: [{ ...plain, date: plain.data }] }))).fields,
    ).toEqual(['body.payloads.0.date']);
  });

  it('when the body is JSON but not an object (null, a number, a string), then the 400 says so rather than "not valid JSON"', async () => {
    for (const body of ['null', '7', '"payloads"']) {
      const res = await post('/decode', body);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: {
          code: 'invalid_request',
          message: 'Invalid request: body must be a JSON object',
          details: { fields: [{ field: 'body', reason: 'must be a JSON object' }] },
        },
      });
    }
  });

  it('when one payload of several cannot be decoded, then the 400 names that one', async () => {
    const encrypted = await codec.encode([
      defaultPayloadConverter.toPayload('a'),
      defaultPayloadConverter.toPayload('b'),
    ]);
    const [first, second] = encrypted.map(toJson);
    second!.data = Buffer.from(
      Buffer.from(second!.data, 'base64').map((b, i) => (i === 20 ? b ^ 1 : b)),
    ).toString('base64');
    expect(await refusal(await post('/decode', { payloads: [first, second] }))).toEqual({
      status: 400,
      code: 'decode_failed',
      fields: ['body.payloads.1'],
    });
  });

  it('when the body is not JSON by its content type, or too large, then 415 or 413 naming what', async () => {
    const plain = { payloads: [toJson(defaultPayloadConverter.toPayload('x'))] };
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded']) {
      expect(
        await refusal(await post('/encode', plain, { authorization: GOOD_KEY, 'content-type': contentType })),
      ).toEqual({ status: 415, code: 'unsupported_media_type', fields: ['header.content-type'] });
    }
    const large = await fetch(
      `http://127.0.0.1:${(server.address() as AddressInfo).port}/small/codec/encode`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ payloads: [{ data: Buffer.from('x'.repeat(4096)).toString('base64') }] }),
      },
    );
    expect(await refusal(large)).toEqual({ status: 413, code: 'payload_too_large', fields: ['body'] });
  });

  it('when the UI or CLI sends what a history holds (empty list, null fields, externalPayloads), then it is taken', async () => {
    expect(await (await post('/decode', { payloads: [] })).json()).toEqual({ payloads: [] });
    const plain = toJson(defaultPayloadConverter.toPayload('x'));
    const res = await post('/decode', {
      payloads: [
        { ...plain, externalPayloads: [] },
        { metadata: null, data: null },
      ],
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { payloads: unknown[] }).payloads).toEqual([plain, { metadata: {} }]);
  });
});
