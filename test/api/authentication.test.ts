import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Api, errorOf, productionEnv, send, startApi } from './api-harness';

describe('authentication: the Authorization header, keys that are not valid, production', () => {
  let api: Api;
  let acmeKey: string;
  beforeAll(async () => {
    api = await startApi({ API_KEY_CACHE_SECONDS: '0' });
    ({ key: acmeKey } = await api.keys.create({ tenant: 'acme', role: 'admin', name: 'Acme admin' }));
  });
  afterAll(async () => {
    await api?.stop();
  });

  // Each test speaks from an address of its own (the API trusts X-Forwarded-For from a proxy on loopback), so
  // that one test's refused keys are not counted against another's.
  let nextAddress = 10;
  const bad = (i: number) => `Bearer co_${String(i).padStart(12, '0')}_${'B'.repeat(43)}`;
  const fromNewAddress = () => ({ 'x-forwarded-for': `198.51.100.${nextAddress++}` });

  test.each([
    ['Bearer sandbox-admin'],
    ['bearer sandbox-admin'],
    ['BEARER sandbox-admin'],
    ['Bearer    sandbox-admin'],
    ['Bearer\tsandbox-admin'],
    ['Bearer sandbox-admin   '],
  ])('Authorization: %j is the sandbox admin key', async (authorization) => {
    const res = await send(api, 'GET', '/v1/webhooks', { ...fromNewAddress(), authorization });
    expect(res.status).toBe(200);
  });

  test.each([['Basic c2FuZGJveC1hZG1pbjo='], ['Bearer'], ['Bearer sandbox-admin extra'], ['sandbox-admin']])(
    'Authorization: %j is a 401 that asks for a Bearer key',
    async (authorization) => {
      const res = await send(api, 'GET', '/v1/webhooks', { ...fromNewAddress(), authorization });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(errorOf(res).code).toBe('unauthenticated');
    },
  );

  test('two Authorization headers are refused, whichever comes first: the service does not pick one of them', async () => {
    for (const pair of [
      ['Bearer sandbox-admin', 'Bearer sandbox-billing'],
      ['Bearer not-a-key', 'Bearer sandbox-admin'],
      [`Bearer ${acmeKey}`, 'Bearer sandbox-admin'],
    ]) {
      const res = await send(api, 'GET', '/v1/webhooks', { ...fromNewAddress(), authorization: pair });
      expect({ pair, status: res.status }).toEqual({ pair, status: 400 });
      expect(errorOf(res)).toEqual({
        code: 'invalid_request',
        message: 'Invalid request: header.authorization is sent more than once',
        details: { fields: [{ field: 'header.authorization', reason: 'is sent more than once' }] },
      });
    }
  });

  test('a body sent without a valid key is not read: the answer is 401, whatever the body and its type', async () => {
    const bodies: [string, string][] = [
      ['application/json', '{"entries": [ not json'],
      ['text/plain', 'hello'],
      ['application/json', JSON.stringify({ pad: 'x'.repeat(900_000) })],
    ];
    for (const [type, body] of bodies) {
      const res = await send(
        api,
        'POST',
        '/v1/time-entries',
        { ...fromNewAddress(), 'content-type': type },
        body,
      );
      expect({ type, status: res.status }).toEqual({ type, status: 401 });
      expect(errorOf(res).code).toBe('unauthenticated');
    }
    // With a key, the same bodies are judged as bodies.
    const res = await send(
      api,
      'POST',
      '/v1/time-entries',
      { ...fromNewAddress(), authorization: 'Bearer sandbox-attorney', 'content-type': 'application/json' },
      '{"entries": [ not json',
    );
    expect(res.status).toBe(400);
  });

  test('a key that is not valid is not repeated in the answer or in any log line', async () => {
    const secret = 'Zq7'.repeat(14) + 'x';
    const presented = [`co_abcdefghijkl_${secret}`, `${secret} trailing words`, `not_a_key_${secret}`];
    for (const key of presented) {
      const res = await send(api, 'GET', '/v1/matters?limit=1', {
        ...fromNewAddress(),
        authorization: `Bearer ${key}`,
      });
      expect(res.status).toBe(401);
      expect(res.body).not.toContain(secret);
    }
    expect(api.logs.join('')).toContain('request refused');
    expect(api.logs.join('')).not.toContain(secret);
  });

  test('a path under /v1 that names no route is 401 without a key and 404 with one; a path that is not valid percent-encoding is 401, then 400', async () => {
    const who = fromNewAddress();
    expect((await send(api, 'GET', '/v1/no-such-route', who)).status).toBe(401);
    const known = await send(api, 'GET', '/v1/no-such-route', {
      ...who,
      authorization: 'Bearer sandbox-admin',
    });
    expect(known.status).toBe(404);
    expect(errorOf(known).code).toBe('route_not_found');
    expect((await send(api, 'GET', '/v1/matters/%E0%A4%A', who)).status).toBe(401);
    const garbled = await send(api, 'GET', '/v1/matters/%E0%A4%A', {
      ...who,
      authorization: 'Bearer sandbox-admin',
    });
    expect(garbled.status).toBe(400);
    expect(errorOf(garbled).details).toEqual({
      fields: [{ field: 'path', reason: 'is not valid percent-encoding' }],
    });
  });

  test.each([
    ['GET', '/v1/tenants/sandbox/session'],
    ['GET', '/v1/tenants/ACME/session'],
    ['GET', '/v1/tenants/Acme/oauth/start'],
    ['GET', '/v1/tenants/acme%20/session'],
    // "acme" with a Cyrillic "с" (U+0441): looks the same, is another name.
    ['GET', '/v1/tenants/a%D1%81me/session'],
    ['POST', '/v1/tenants/sandbox/session/mfa'],
    ['POST', '/v1/tenants/sandbox/session/retry'],
    ['GET', '/v1/tenants/sandbox/oauth/start'],
    ['DELETE', '/v1/tenants/sandbox/oauth'],
  ])(
    "%s %s with tenant acme's admin key: 404, the tenant's name compared exactly",
    async (method, target) => {
      const body =
        method === 'POST' ? JSON.stringify(target.endsWith('mfa') ? { code: '123456' } : {}) : undefined;
      const res = await send(
        api,
        method,
        target,
        {
          ...fromNewAddress(),
          authorization: `Bearer ${acmeKey}`,
          ...(body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {}),
        },
        body,
      );
      expect(res.status).toBe(404);
      expect(errorOf(res).code).toBe('not_found');
    },
  );
  test('an address that keeps sending keys that are not valid gets 429 with Retry-After after 60 in a minute, and its keys are no longer looked up; other addresses are not held up', async () => {
    const attacker = fromNewAddress();
    const before = api.keyLookups();
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++)
      statuses.push((await send(api, 'GET', '/v1/webhooks', { ...attacker, authorization: bad(i) })).status);
    expect(new Set(statuses)).toEqual(new Set([401]));
    expect(api.keyLookups() - before).toBe(60);

    const lookupsAtLimit = api.keyLookups();
    for (let i = 60; i < 100; i++) {
      const res = await send(api, 'GET', '/v1/webhooks', { ...attacker, authorization: bad(i) });
      expect(res.status).toBe(429);
      const retryAfter = Number(res.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(errorOf(res)).toEqual({
        code: 'rate_limited',
        message:
          'Too many requests without a valid API key from this address; retry after the Retry-After seconds',
      });
    }
    // Nor does a request without any key get through to be answered 401 again.
    expect((await send(api, 'GET', '/v1/webhooks', attacker)).status).toBe(429);
    expect(api.keyLookups()).toBe(lookupsAtLimit);

    // Another address is answered as before, with a good key and with a bad one.
    const neighbour = fromNewAddress();
    const good = await send(api, 'GET', '/v1/webhooks', { ...neighbour, authorization: `Bearer ${acmeKey}` });
    expect(good.status).toBe(200);
    expect((await send(api, 'GET', '/v1/webhooks', { ...neighbour, authorization: bad(0) })).status).toBe(
      401,
    );
  });

  test('while an address is held back, the keys that worked from it keep working (clients behind one proxy address are not locked out), a key it never used waits, and a key revoked meanwhile loses its pass', async () => {
    const shared = fromNewAddress();
    const { key: inUse, info } = await api.keys.create({ tenant: 'acme', role: 'billing', name: 'In use' });
    const { key: unused } = await api.keys.create({ tenant: 'acme', role: 'billing', name: 'Not yet used' });
    expect(
      (await send(api, 'GET', '/v1/audit', { ...shared, authorization: `Bearer ${inUse}` })).status,
    ).toBe(200);
    for (let i = 0; i < 60; i++) await send(api, 'GET', '/v1/webhooks', { ...shared, authorization: bad(i) });
    expect((await send(api, 'GET', '/v1/webhooks', { ...shared, authorization: bad(60) })).status).toBe(429);

    expect(
      (await send(api, 'GET', '/v1/audit', { ...shared, authorization: `Bearer ${inUse}` })).status,
    ).toBe(200);
    expect(
      (await send(api, 'GET', '/v1/audit', { ...shared, authorization: `Bearer ${unused}` })).status,
    ).toBe(429);

    // This suite trusts no key without asking the store (API_KEY_CACHE_SECONDS=0): the revocation counts at once.
    await api.keys.revoke(info.id);
    expect(
      (await send(api, 'GET', '/v1/audit', { ...shared, authorization: `Bearer ${inUse}` })).status,
    ).toBe(401);
    expect(
      (await send(api, 'GET', '/v1/audit', { ...shared, authorization: `Bearer ${inUse}` })).status,
    ).toBe(429);
  });

  test('the addresses of one IPv6 network (/56) share one allowance: a client cannot renew it by changing address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) {
      const res = await send(api, 'GET', '/v1/webhooks', {
        'x-forwarded-for': `2001:db8:abcd:12${i % 10}::${(i + 1).toString(16)}`,
        authorization: 'Bearer nope',
      });
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 60).every((s) => s === 401)).toBe(true);
    expect(statuses[60]).toBe(429);
    const elsewhere = await send(api, 'GET', '/v1/webhooks', {
      'x-forwarded-for': '2001:db8:abce::1',
      authorization: 'Bearer nope',
    });
    expect(elsewhere.status).toBe(401);
  });
});

describe('production (NODE_ENV=production): the sandbox keys open nothing', () => {
  let api: Api;
  let operatorAdmin: string;
  let prodDir: string;
  beforeAll(async () => {
    prodDir = mkdtempSync(path.join(tmpdir(), 'clio-orch-prod-'));
    api = await startApi({ ...productionEnv(prodDir), DATA_DIR: prodDir });
    ({ key: operatorAdmin } = await api.keys.create({
      tenant: api.config.DEFAULT_TENANT,
      role: 'admin',
      name: 'Operator',
    }));
  });
  afterAll(async () => {
    await api?.stop();
    rmSync(prodDir, { recursive: true, force: true });
  });

  test.each(['sandbox-admin', 'sandbox-attorney', 'sandbox-paralegal', 'sandbox-billing'])(
    '%s: 401 on the API and no access to the payload codec; a real key of the operator tenant works on both',
    async (key) => {
      expect(api.config.sandboxMode).toBe(false);
      const v1 = await send(api, 'GET', '/v1/webhooks', { authorization: `Bearer ${key}` });
      expect(v1.status).toBe(401);
      const body = '{"payloads":[]}';
      const codecHeaders = { 'content-type': 'application/json', 'content-length': String(body.length) };
      const codec = await send(
        api,
        'POST',
        '/codec/decode',
        { ...codecHeaders, authorization: `Bearer ${key}` },
        body,
      );
      expect(codec.status).toBe(403);
      // Nor is this machine's own address enough without a key, as it is in sandbox mode.
      expect((await send(api, 'POST', '/codec/decode', codecHeaders, body)).status).toBe(401);

      expect(
        (await send(api, 'GET', '/v1/webhooks', { authorization: `Bearer ${operatorAdmin}` })).status,
      ).toBe(200);
      const real = await send(
        api,
        'POST',
        '/codec/decode',
        { ...codecHeaders, authorization: `Bearer ${operatorAdmin}` },
        body,
      );
      expect(real.status).toBe(200);
    },
  );
});
