import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Answer, type Api, errorOf, productionEnv, send, startApi } from './api-harness';

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

describe('the payload codec (/codec): the Authorization header and keys that are not valid, as on /v1', () => {
  const UI_ORIGIN = 'http://127.0.0.1:8233';
  const bad = (i: number) => `Bearer co_${String(i).padStart(12, '0')}_${'C'.repeat(43)}`;
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const secret = 'Alice Confidential';
  const plain = { metadata: { encoding: b64('json/plain') }, data: b64(JSON.stringify(secret)) };
  let nextAddress = 10;
  const fromNewAddress = () => ({ 'x-forwarded-for': `203.0.113.${nextAddress++}` });
  const codec = (
    api: Api,
    op: 'encode' | 'decode',
    headers: Record<string, string | string[]>,
    body: string,
  ) =>
    send(
      api,
      'POST',
      `/codec/${op}`,
      {
        origin: UI_ORIGIN,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        ...headers,
      },
      body,
    );
  const decodedSecret = (answer: Answer) =>
    JSON.parse(
      Buffer.from(
        (JSON.parse(answer.body) as { payloads: { data: string }[] }).payloads[0]!.data,
        'base64',
      ).toString(),
    ) as unknown;

  describe('production', () => {
    let api: Api;
    let operatorAdmin: string;
    let prodDir: string;
    /** `secret`, encrypted by the service's own codec: what a history holds and the UI asks to decode. */
    let encrypted: string;
    beforeAll(async () => {
      prodDir = mkdtempSync(path.join(tmpdir(), 'clio-orch-prod-codec-'));
      api = await startApi({ ...productionEnv(prodDir), DATA_DIR: prodDir });
      ({ key: operatorAdmin } = await api.keys.create({
        tenant: api.config.DEFAULT_TENANT,
        role: 'admin',
        name: 'Operator',
      }));
      const answer = await codec(
        api,
        'encode',
        { ...fromNewAddress(), authorization: `Bearer ${operatorAdmin}` },
        JSON.stringify({ payloads: [plain] }),
      );
      expect(answer.status).toBe(200);
      encrypted = answer.body;
      expect(encrypted).not.toContain(plain.data);
    });
    afterAll(async () => {
      await api?.stop();
      rmSync(prodDir, { recursive: true, force: true });
    });

    test('two Authorization headers on POST /codec/decode are a 400 naming header.authorization, whichever comes first, and nothing is decoded or looked up', async () => {
      for (const pair of [
        [`Bearer ${operatorAdmin}`, bad(1)],
        [bad(1), `Bearer ${operatorAdmin}`],
        [`Bearer ${operatorAdmin}`, `Bearer ${operatorAdmin}`],
      ]) {
        const before = api.keyLookups();
        const res = await codec(api, 'decode', { ...fromNewAddress(), authorization: pair }, encrypted);
        expect({ pair, status: res.status }).toEqual({ pair, status: 400 });
        expect(errorOf(res)).toEqual({
          code: 'invalid_request',
          message: 'Invalid request: header.authorization is sent more than once',
          details: { fields: [{ field: 'header.authorization', reason: 'is sent more than once' }] },
        });
        // The UI can read why (CORS on the refusal, as on the 401 and 403).
        expect(res.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
        expect(res.body).not.toContain(plain.data);
        expect(res.body).not.toContain(secret);
        expect(api.keyLookups()).toBe(before);
      }
      // One header with the same key decodes.
      const one = await codec(
        api,
        'decode',
        { ...fromNewAddress(), authorization: `Bearer ${operatorAdmin}` },
        encrypted,
      );
      expect(one.status).toBe(200);
      expect(decodedSecret(one)).toBe(secret);
    });

    test('an address that keeps sending keys that are not valid gets 429 with Retry-After after 60 in a minute, with no further lookups; the operator key that decoded before still decodes, other addresses are served', async () => {
      const attacker = fromNewAddress();
      const used = await codec(
        api,
        'decode',
        { ...attacker, authorization: `Bearer ${operatorAdmin}` },
        encrypted,
      );
      expect(decodedSecret(used)).toBe(secret);
      const { key: neverUsed } = await api.keys.create({
        tenant: api.config.DEFAULT_TENANT,
        role: 'admin',
        name: 'Operator, second key',
      });

      const before = api.keyLookups();
      const statuses: number[] = [];
      for (let i = 0; i < 60; i++)
        statuses.push((await codec(api, 'decode', { ...attacker, authorization: bad(i) }, encrypted)).status);
      // The codec's own answer to a wrong key, as before.
      expect(new Set(statuses)).toEqual(new Set([403]));
      expect(api.keyLookups() - before).toBe(60);

      const lookupsAtLimit = api.keyLookups();
      for (let i = 60; i < 100; i++) {
        const res = await codec(api, 'decode', { ...attacker, authorization: bad(i) }, encrypted);
        expect(res.status).toBe(429);
        const retryAfter = Number(res.headers['retry-after']);
        expect(retryAfter).toBeGreaterThan(0);
        expect(retryAfter).toBeLessThanOrEqual(60);
        expect(res.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
        expect(errorOf(res)).toEqual({
          code: 'rate_limited',
          message:
            'Too many requests without a valid API key from this address; retry after the Retry-After seconds',
        });
        expect(res.body).not.toContain(secret);
      }
      expect((await codec(api, 'decode', attacker, encrypted)).status).toBe(429);
      expect(
        (await codec(api, 'decode', { ...attacker, authorization: `Bearer ${neverUsed}` }, encrypted)).status,
      ).toBe(429);
      expect(api.keyLookups()).toBe(lookupsAtLimit);

      // The key that decoded from this address before the flood still does.
      const known = await codec(
        api,
        'decode',
        { ...attacker, authorization: `Bearer ${operatorAdmin}` },
        encrypted,
      );
      expect(known.status).toBe(200);
      expect(decodedSecret(known)).toBe(secret);

      // Another address is answered as before: 401 without a key, 403 with a wrong one.
      const neighbour = fromNewAddress();
      expect((await codec(api, 'decode', neighbour, encrypted)).status).toBe(401);
      expect((await codec(api, 'decode', { ...neighbour, authorization: bad(0) }, encrypted)).status).toBe(
        403,
      );
    });

    test('an address refused on /v1 and on the codec in turn is held back on both once the two together reach the limit (not twice the limit)', async () => {
      const guesser = fromNewAddress();
      const statuses: number[] = [];
      for (let i = 0; i < 60; i += 2) {
        const auth = (n: number) => ({ ...guesser, authorization: bad(1000 + n) });
        statuses.push((await send(api, 'GET', '/v1/matters', auth(i))).status);
        statuses.push((await codec(api, 'decode', auth(i + 1), encrypted)).status);
      }
      expect(statuses.filter((s) => s === 401)).toHaveLength(30);
      expect(statuses.filter((s) => s === 403)).toHaveLength(30);
      const lookups = api.keyLookups();
      expect((await send(api, 'GET', '/v1/matters', { ...guesser, authorization: bad(2000) })).status).toBe(
        429,
      );
      expect((await codec(api, 'decode', { ...guesser, authorization: bad(2001) }, encrypted)).status).toBe(
        429,
      );
      expect(api.keyLookups()).toBe(lookups);
    });

    test('a valid key the codec refuses (not the operator tenant’s admin) keeps its /v1 pass: once the address is held back it still works on /v1', async () => {
      const office = fromNewAddress();
      const { key: billing } = await api.keys.create({
        tenant: api.config.DEFAULT_TENANT,
        role: 'billing',
        name: 'Billing clerk using the Temporal UI',
      });
      const asClerk = { ...office, authorization: `Bearer ${billing}` };
      expect((await send(api, 'GET', '/v1/audit', asClerk)).status).toBe(200);
      // The clerk's browser asks the codec with the same key: not the operator's admin, so refused.
      expect((await codec(api, 'decode', asClerk, encrypted)).status).toBe(403);
      // Someone else behind the same address floods /v1 with keys that are not valid.
      for (let i = 0; i < 60; i++)
        await send(api, 'GET', '/v1/audit', { ...office, authorization: bad(3000 + i) });
      expect((await send(api, 'GET', '/v1/audit', { ...office, authorization: bad(3100) })).status).toBe(429);
      // The clerk's key is valid and was accepted on /v1 before the flood: it keeps working there.
      expect((await send(api, 'GET', '/v1/audit', asClerk)).status).toBe(200);
    });
  });

  describe('sandbox mode', () => {
    let api: Api;
    beforeAll(async () => {
      api = await startApi({ API_KEY_CACHE_SECONDS: '0' });
    });
    afterAll(async () => {
      await api?.stop();
    });

    test('this machine without a key still decodes after its address was held back (a page re-pointed at 127.0.0.1 flooding the codec does not lock the Temporal UI out); two Authorization headers are a 400 here too', async () => {
      const encoded = await codec(api, 'encode', {}, JSON.stringify({ payloads: [plain] }));
      expect(encoded.status).toBe(200);
      // A request carrying keys is judged by them, from this machine too: two of them are refused.
      const twice = await codec(
        api,
        'decode',
        { authorization: ['Bearer sandbox-admin', 'Bearer sandbox-billing'] },
        encoded.body,
      );
      expect(twice.status).toBe(400);
      expect(errorOf(twice).details).toEqual({
        fields: [{ field: 'header.authorization', reason: 'is sent more than once' }],
      });
      expect(twice.body).not.toContain(secret);

      // A DNS-rebinding page: dialled from this machine's browser, named by the attacker's host, so its keys count.
      const rebound = { host: `rebind.attacker.example:${api.port}` };
      // The 400 above was this address's first refusal of its 60.
      const before = api.keyLookups();
      for (let i = 0; i < 59; i++)
        expect((await codec(api, 'decode', { ...rebound, authorization: bad(i) }, encoded.body)).status).toBe(
          403,
        );
      const held = await codec(api, 'decode', { ...rebound, authorization: bad(59) }, encoded.body);
      expect(held.status).toBe(429);
      expect(Number(held.headers['retry-after'])).toBeGreaterThan(0);
      expect(api.keyLookups() - before).toBe(59);

      // The UI beside the service: loopback, addressed by IP or localhost, no key.
      for (const host of [`127.0.0.1:${api.port}`, `localhost:${api.port}`]) {
        const ui = await codec(api, 'decode', { host }, encoded.body);
        expect({ host, status: ui.status }).toEqual({ host, status: 200 });
        expect(decodedSecret(ui)).toBe(secret);
      }
    });
  });
});
