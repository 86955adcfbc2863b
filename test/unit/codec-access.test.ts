import { type Principal } from '../../src/api/auth/principal';
import { codecAccess } from '../../src/api/codec-access';

const admin: Principal = { tenant: 't', role: 'admin', apiKeyId: 'k1', name: 'Admin' };
const clerk: Principal = { tenant: 't', role: 'paralegal', apiKeyId: 'k2', name: 'Clerk' };
const otherFirmAdmin: Principal = { tenant: 'other', role: 'admin', apiKeyId: 'k3', name: 'Their admin' };
const keys: Record<string, Principal> = {
  'admin-key': admin,
  'clerk-key': clerk,
  'other-admin-key': otherFirmAdmin,
};
const resolve = (key: string) => Promise.resolve(keys[key]);
const req = (remoteAddress: string, authorization?: string, host = '127.0.0.1:3000') =>
  ({ socket: { remoteAddress }, headers: { host, ...(authorization ? { authorization } : {}) } }) as never;

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
});
