import { totpCode } from '../../../src/sandboxes/clio/portal/totp';
import { latestSmsCode, PortalClient, setFaults, startPortal, type PortalHarness } from './portal-harness';

let h: PortalHarness;
let clock = Date.now();

beforeAll(async () => {
  h = await startPortal({ now: () => clock });
});
afterAll(() => h.close());
beforeEach(async () => {
  clock = Date.now();
  await fetch(`${h.base}/_sandbox/reset`, { method: 'POST' });
});

describe('portal sign-in over plain HTTP', () => {
  it('when the TOTP code is right, then an HttpOnly session cookie and a CSRF meta tag follow', async () => {
    const c = new PortalClient(h.base);
    const res = await c.signIn('admin@sandbox.test', 'totp');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/dashboard');
    const cookie = res.headers.getSetCookie().find((v) => v.startsWith('_clio_session='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).not.toMatch(/Max-Age/i);
    expect(c.csrf).toMatch(/^[\w-]{20,}$/);
    const session = await c.json('/internal/session');
    expect(session.status).toBe(200);
    expect(session.body.user.email).toBe('admin@sandbox.test');
  });

  it('when a TOTP code that already signed in is entered again, then it is refused as a wrong code; the next step’s code works', async () => {
    const code = await totpCode('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', Math.floor(clock / 1000));
    expect(
      (await new PortalClient(h.base).signIn('admin@sandbox.test', () => Promise.resolve(code))).status,
    ).toBe(302);
    const replay = await new PortalClient(h.base).signIn('admin@sandbox.test', () => Promise.resolve(code));
    expect(replay.status).toBe(401);
    expect(await replay.text()).toMatch(/not correct/);
    clock += 30_000;
    const next = await totpCode('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', Math.floor(clock / 1000));
    expect(
      (await new PortalClient(h.base).signIn('admin@sandbox.test', () => Promise.resolve(next))).status,
    ).toBe(302);
  });

  it('when "keep me signed in" is ticked, then the cookie persists for 30 days', async () => {
    const c = new PortalClient(h.base);
    const res = await c.signIn('admin@sandbox.test', 'totp', true);
    const cookie = res.headers.getSetCookie().find((v) => v.startsWith('_clio_session='));
    expect(cookie).toMatch(/Max-Age=2592000/);
  });

  it('when the password is wrong, then no challenge starts and the page says so', async () => {
    const c = new PortalClient(h.base);
    await c.request('/session/email', { method: 'POST', form: { email: 'clerk@sandbox.test' } });
    const res = await c.request('/session/password', { method: 'POST', form: { password: 'nope' } });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('Invalid email or password');
    expect(await latestSmsCode(h.base)).toBe('');
  });

  it('when the SMS code is used, then it comes from the outbox and expires after 10 minutes', async () => {
    const c = new PortalClient(h.base);
    await c.request('/session/email', { method: 'POST', form: { email: 'clerk@sandbox.test' } });
    await c.request('/session/password', { method: 'POST', form: { password: 'sandbox-password' } });
    const outbox = (await (await fetch(`${h.base}/_sandbox/outbox`)).json()) as {
      messages: { to: string; code: string; sentAt: string }[];
    };
    expect(outbox.messages).toHaveLength(1);
    expect(outbox.messages[0]).toEqual({
      to: expect.stringMatching(/555/),
      code: expect.stringMatching(/^\d{6}$/),
      sentAt: expect.any(String),
    });
    clock += 11 * 60_000;
    const late = await c.request('/session/mfa', {
      method: 'POST',
      form: { code: outbox.messages[0]?.code ?? '' },
    });
    expect(late.status).toBe(401);
    expect(await late.text()).toContain('expired');
    await c.request('/session/mfa/resend', { method: 'POST' });
    const ok = await c.request('/session/mfa', {
      method: 'POST',
      form: { code: await latestSmsCode(h.base) },
    });
    expect(ok.status).toBe(302);
    expect(ok.headers.get('location')).toBe('/dashboard');
  });

  it('when 5 wrong codes are entered, then the challenge locks, and a new sign-in starts a new one', async () => {
    const c = new PortalClient(h.base);
    await c.request('/session/email', { method: 'POST', form: { email: 'clerk@sandbox.test' } });
    await c.request('/session/password', { method: 'POST', form: { password: 'sandbox-password' } });
    const right = await latestSmsCode(h.base);
    const wrong = right === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i++)
      expect((await c.request('/session/mfa', { method: 'POST', form: { code: wrong } })).status).toBe(401);
    const fifth = await c.request('/session/mfa', { method: 'POST', form: { code: wrong } });
    expect(fifth.status).toBe(423);
    expect(await fifth.text()).toContain('Verification locked');
    const after = await c.request('/session/mfa', { method: 'POST', form: { code: right } });
    expect(after.status).toBe(423);
    const again = await c.signIn('clerk@sandbox.test', () => latestSmsCode(h.base));
    expect(again.headers.get('location')).toBe('/dashboard');
  });

  it('when the session TTL fault is short, then pages redirect to sign-in and JSON answers 401', async () => {
    const c = new PortalClient(h.base);
    await c.signIn('admin@sandbox.test', 'totp');
    expect((await c.request('/dashboard')).status).toBe(200);
    await setFaults(h.base, { sessionTtlSeconds: 5 });
    clock += 6000;
    const page = await c.request('/matters');
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toMatch(/^\/session\/new/);
    const api = await c.json('/internal/session');
    expect(api.status).toBe(401);
    expect(api.body.error.type).toBe('Unauthorized');
  });

  it('when the session is older than 8 hours without "keep me signed in", then it has expired', async () => {
    const c = new PortalClient(h.base);
    await c.signIn('admin@sandbox.test', 'totp');
    clock += 8 * 3600_000 - 1000;
    expect((await c.request('/dashboard')).status).toBe(200);
    clock += 2000;
    expect((await c.request('/dashboard')).status).toBe(302);
  });

  it('when a write lacks the CSRF token, then it is refused', async () => {
    const c = new PortalClient(h.base);
    await c.signIn('admin@sandbox.test', 'totp');
    const res = await c.json('/internal/conflict_checks', {
      method: 'POST',
      json: { names: ['x'] },
      headers: { 'x-csrf-token': 'wrong' },
    });
    expect(res.status).toBe(403);
  });

  it('when signed out, then the cookie no longer opens pages', async () => {
    const c = new PortalClient(h.base);
    await c.signIn('admin@sandbox.test', 'totp');
    const cookie = c.jar.header();
    await c.request('/session/destroy', { method: 'POST' });
    const res = await fetch(`${h.base}/dashboard`, { headers: { cookie }, redirect: 'manual' });
    expect(res.status).toBe(302);
  });
});
