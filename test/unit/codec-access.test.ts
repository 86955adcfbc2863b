import { type Principal } from '../../src/api/auth/principal';
import { codecAccess } from '../../src/api/codec-access';
import { AppError } from '../../src/api/errors';

const admin: Principal = { tenant: 't', role: 'admin', apiKeyId: 'k1', name: 'Admin' };
const clerk: Principal = { tenant: 't', role: 'paralegal', apiKeyId: 'k2', name: 'Clerk' };
const otherFirmAdmin: Principal = { tenant: 'other', role: 'admin', apiKeyId: 'k3', name: 'Their admin' };
const keys: Record<string, Principal> = {
  'admin-key': admin,
  'clerk-key': clerk,
  'other-admin-key': otherFirmAdmin,
};
const resolve = (key: string) => Promise.resolve(keys[key]);
/** A request as Node hands it over: several Authorization lines are one header (the first) and all raw lines. */
const req = (remoteAddress: string, authorization?: string | string[], host = '127.0.0.1:3000') => {
  const lines = authorization === undefined ? [] : [authorization].flat();
  return {
    socket: { remoteAddress },
    ip: remoteAddress,
    headers: { host, ...(lines.length ? { authorization: lines[0] } : {}) },
    rawHeaders: ['Host', host, ...lines.flatMap((line) => ['Authorization', line])],
  } as never;
};

describe('who may use the payload codec server', () => {
  test('sandbox mode: this machine without a key (the Temporal UI beside it), but not another address', async () => {
    const allowed = codecAccess(true, resolve, 't');
    expect(await allowed(req('127.0.0.1'))).toBe(true);
    expect(await allowed(req('::1'))).toBe(true);
    expect(await allowed(req('::ffff:127.0.0.1'))).toBe(true);
    expect(await allowed(req('192.168.1.20'))).toBe(false);
    expect(await allowed(req('192.168.1.20', 'Bearer admin-key'))).toBe(true);
  });

  test('sandbox mode: a page whose own name was re-pointed at this machine (DNS rebinding) is not this machine', async () => {
    const allowed = codecAccess(true, resolve, 't');
    expect(await allowed(req('127.0.0.1', undefined, 'localhost:3000'))).toBe(true);
    expect(await allowed(req('::1', undefined, '[::1]:3000'))).toBe(true);
    expect(await allowed(req('127.0.0.1', undefined, '0.0.0.0:3000'))).toBe(true);
    // The browser dials 127.0.0.1 but sends the attacker's name, and the page reads the answer as same-origin.
    expect(await allowed(req('127.0.0.1', undefined, 'rebind.attacker.example:3000'))).toBe(false);
    expect(await allowed(req('127.0.0.1', undefined, ''))).toBe(false);
    expect(await allowed(req('127.0.0.1', 'Bearer admin-key', 'rebind.attacker.example:3000'))).toBe(true);
  });

  test('production: only an admin key of the tenant running the service, from anywhere, loopback included', async () => {
    const allowed = codecAccess(false, resolve, 't');
    expect(await allowed(req('127.0.0.1'))).toBe(false);
    expect(await allowed(req('127.0.0.1', 'Bearer clerk-key'))).toBe(false);
    expect(await allowed(req('10.0.0.9', 'Bearer admin-key'))).toBe(true);
    expect(await allowed(req('10.0.0.9', 'Bearer nope'))).toBe(false);
    // Another firm's admin: its role covers its own tenant, the codec decrypts everyone's.
    expect(await allowed(req('10.0.0.9', 'Bearer other-admin-key'))).toBe(false);
  });

  test('two Authorization headers are refused (400 naming header.authorization), loopback in sandbox mode included, and no key is looked up', async () => {
    const lookups: string[] = [];
    const counting = (key: string) => {
      lookups.push(key);
      return resolve(key);
    };
    for (const sandbox of [true, false]) {
      const allowed = codecAccess(sandbox, counting, 't');
      for (const address of ['127.0.0.1', '10.0.0.9']) {
        const refusal = await allowed(req(address, ['Bearer admin-key', 'Bearer nope'])).catch(
          (e: unknown) => e,
        );
        expect(refusal).toBeInstanceOf(AppError);
        expect(refusal).toMatchObject({
          status: 400,
          code: 'invalid_request',
          details: { fields: [{ field: 'header.authorization', reason: 'is sent more than once' }] },
        });
      }
    }
    expect(lookups).toEqual([]);
  });

  test('60 refusals a minute per address, then 429 with Retry-After and no lookup until the minute is over; a key allowed before passes; loopback in sandbox mode is never held back', async () => {
    let clock = 1_000_000;
    const lookups: string[] = [];
    const counting = (key: string) => {
      lookups.push(key);
      return resolve(key);
    };
    const allowed = codecAccess(true, counting, 't', { now: () => clock });
    expect(await allowed(req('10.0.0.9', 'Bearer admin-key'))).toBe(true);
    for (let i = 0; i < 60; i++) expect(await allowed(req('10.0.0.9', `Bearer guess-${i}`))).toBe(false);
    expect(lookups).toHaveLength(61);

    clock += 20_000;
    const held = await allowed(req('10.0.0.9', 'Bearer guess-60')).catch((e: unknown) => e);
    expect(held).toMatchObject({ status: 429, code: 'rate_limited', headers: { 'retry-after': '40' } });
    await expect(allowed(req('10.0.0.9'))).rejects.toMatchObject({ status: 429 });
    // Another firm's admin key has never been allowed here: it waits like a guess.
    await expect(allowed(req('10.0.0.9', 'Bearer other-admin-key'))).rejects.toMatchObject({ status: 429 });
    expect(lookups).toHaveLength(61);
    expect(await allowed(req('10.0.0.9', 'Bearer admin-key'))).toBe(true);
    expect(await allowed(req('10.0.0.10', 'Bearer guess-x'))).toBe(false);
    // The Temporal UI beside the service, even when its address is the one held back.
    for (let i = 0; i < 60; i++) await allowed(req('127.0.0.1', `Bearer guess-${i}`, 'rebind.example:3000'));
    await expect(allowed(req('127.0.0.1', 'Bearer x', 'rebind.example:3000'))).rejects.toMatchObject({
      status: 429,
    });
    expect(await allowed(req('127.0.0.1'))).toBe(true);

    clock += 40_000;
    expect(await allowed(req('10.0.0.9', 'Bearer guess-61'))).toBe(false);
  });
});
