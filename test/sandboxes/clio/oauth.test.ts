import { startSandbox, type Harness, type Json } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startSandbox();
});
afterAll(() => h.sandbox.close());

const token = (params: Record<string, string>) =>
  fetch(`${h.base}/oauth/token`, { method: 'POST', body: new URLSearchParams(params) });
const creds = { client_id: 'sandbox-client', client_secret: 'sandbox-secret' };

describe('OAuth', () => {
  it('when the refresh token is used, then a working bearer token comes back and the refresh token is reusable', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await token({
        grant_type: 'refresh_token',
        refresh_token: 'sandbox-refresh-token',
        ...creds,
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as Json;
      expect(body).toMatchObject({
        token_type: 'bearer',
        refresh_token: 'sandbox-refresh-token',
        expires_in: 2592000,
      });
      const me = await fetch(`${h.base}/api/v4/users/who_am_i`, {
        headers: { Authorization: `Bearer ${body.access_token}` },
      });
      expect(me.status).toBe(200);
    }
  });

  it('when the client or grant is wrong, then OAuth-style errors', async () => {
    const bad = await token({
      grant_type: 'refresh_token',
      refresh_token: 'sandbox-refresh-token',
      client_id: 'sandbox-client',
      client_secret: 'wrong',
    });
    expect(bad.status).toBe(401);
    expect((await bad.json()) as Json).toEqual({
      error: 'invalid_client',
      error_description: expect.any(String),
    });
    const grant = await token({ grant_type: 'refresh_token', refresh_token: 'nope', ...creds });
    expect(grant.status).toBe(400);
    expect(((await grant.json()) as Json).error).toBe('invalid_grant');
    expect(((await (await token({ grant_type: 'password', ...creds })).json()) as Json).error).toBe(
      'unsupported_grant_type',
    );
  });

  it('when the consent page is approved, then the code is exchanged once for tokens', async () => {
    const page = await fetch(
      `${h.base}/oauth/authorize?response_type=code&client_id=sandbox-client&redirect_uri=http://127.0.0.1:9/cb&state=xyz`,
    );
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<button type="submit" name="decision" value="allow">Allow access</button>');
    const approve = await fetch(`${h.base}/oauth/authorize`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({
        client_id: 'sandbox-client',
        redirect_uri: 'http://127.0.0.1:9/cb',
        state: 'xyz',
        decision: 'allow',
      }),
    });
    expect(approve.status).toBe(302);
    const location = new URL(approve.headers.get('location')!);
    expect(location.searchParams.get('state')).toBe('xyz');
    const code = location.searchParams.get('code')!;
    const first = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'http://127.0.0.1:9/cb',
      ...creds,
    });
    expect(first.status).toBe(200);
    const tokens = (await first.json()) as Json;
    const again = await token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'http://127.0.0.1:9/cb',
      ...creds,
    });
    expect(((await again.json()) as Json).error).toBe('invalid_grant');
    // Deauthorising revokes the grant: the access token stops working.
    const deauth = await fetch(`${h.base}/oauth/deauthorize`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tokens.access_token}` },
      body: new URLSearchParams({ token: tokens.access_token }),
    });
    expect(deauth.status).toBe(200);
    const after = await fetch(`${h.base}/api/v4/users/who_am_i`, {
      headers: { Authorization: `Bearer ${tokens.access_token}` },
    });
    expect(after.status).toBe(401);
    expect(((await after.json()) as Json).error).toBe('invalid_token');
  });

  it('when a code is exchanged without the redirect URI it was issued for, then invalid_grant', async () => {
    const approve = await fetch(`${h.base}/oauth/authorize`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({
        client_id: 'sandbox-client',
        redirect_uri: 'http://127.0.0.1:9/cb',
        state: 's',
        decision: 'allow',
      }),
    });
    const code = new URL(approve.headers.get('location')!).searchParams.get('code')!;
    const missing = await token({ grant_type: 'authorization_code', code, ...creds });
    expect(((await missing.json()) as Json).error).toBe('invalid_grant');
  });

  it('when the pre-issued grant is deauthorized, then its tokens stop working until a sandbox reset issues them again', async () => {
    const refreshed = (await (
      await token({ grant_type: 'refresh_token', refresh_token: 'sandbox-refresh-token', ...creds })
    ).json()) as Json;
    const deauth = await fetch(`${h.base}/oauth/deauthorize`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${refreshed.access_token}` },
      body: new URLSearchParams({ token: refreshed.access_token }),
    });
    expect(deauth.status).toBe(200);
    const whoAmI = (bearer: string) =>
      fetch(`${h.base}/api/v4/users/who_am_i`, { headers: { Authorization: `Bearer ${bearer}` } });
    expect((await whoAmI('sandbox-access-token')).status).toBe(401);
    expect((await whoAmI(refreshed.access_token as string)).status).toBe(401);
    const again = await token({
      grant_type: 'refresh_token',
      refresh_token: 'sandbox-refresh-token',
      ...creds,
    });
    expect(((await again.json()) as Json).error).toBe('invalid_grant');

    await fetch(`${h.base}/_sandbox/reset`, { method: 'POST' });
    expect((await whoAmI('sandbox-access-token')).status).toBe(200);
    const renewed = await token({
      grant_type: 'refresh_token',
      refresh_token: 'sandbox-refresh-token',
      ...creds,
    });
    expect(renewed.status).toBe(200);
  });

  it('when the grant is for a user without the role, then billing and settings writes answer 403', async () => {
    const page = await (
      await fetch(
        `${h.base}/oauth/authorize?response_type=code&client_id=sandbox-client&redirect_uri=http://127.0.0.1:9/cb`,
      )
    ).text();
    expect(page).toContain('<label for="user_email">Signed in as</label>');
    const approve = await fetch(`${h.base}/oauth/authorize`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({
        client_id: 'sandbox-client',
        redirect_uri: 'http://127.0.0.1:9/cb',
        decision: 'allow',
        user_email: 'clerk@sandbox.test',
      }),
    });
    const code = new URL(approve.headers.get('location')!).searchParams.get('code')!;
    const tokens = (await (
      await token({ grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:9/cb', ...creds })
    ).json()) as Json;
    const auth = { Authorization: `Bearer ${tokens.access_token}`, 'Content-Type': 'application/json' };
    const me = (await (
      await fetch(`${h.base}/api/v4/users/who_am_i?fields=email`, { headers: auth })
    ).json()) as Json;
    expect(me.data.email).toBe('clerk@sandbox.test');
    const denied = await fetch(`${h.base}/api/v4/practice_areas`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ data: { name: 'Nope' } }),
    });
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as Json).error.type).toBe('Forbidden');
    const allowed = await fetch(`${h.base}/api/v4/activities`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        data: { type: 'TimeEntry', date: '2026-11-02', quantity: 60, matter: { id: 9800001 } },
      }),
    });
    expect(allowed.status).toBe(201);
  });

  it('when an access token outlives expires_in, then 401 invalid_token', async () => {
    await fetch(`${h.base}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ accessTokenTtlSeconds: 1 }),
    });
    const body = (await (
      await token({ grant_type: 'refresh_token', refresh_token: 'sandbox-refresh-token', ...creds })
    ).json()) as Json;
    expect(body.expires_in).toBe(1);
    await new Promise((r) => setTimeout(r, 1100));
    const res = await fetch(`${h.base}/api/v4/users/who_am_i`, {
      headers: { Authorization: `Bearer ${body.access_token}` },
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as Json).error_description).toMatch(/expired/);
  });
});
