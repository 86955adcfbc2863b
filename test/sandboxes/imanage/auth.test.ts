import { call, type Json, expectEnvelope, type Running, setFaults, start, tokenFor } from './helpers';

describe('iManage sandbox: OAuth and X-Auth-Token', () => {
  let s: Running;
  beforeAll(async () => {
    s = await start();
  });
  afterAll(async () => {
    await s.sandbox.close();
  });
  afterEach(async () => {
    await call(`${s.base}/_sandbox/reset`, undefined, { method: 'POST' });
  });

  const grant = (fields: Record<string, string>) =>
    fetch(`${s.base}/auth/oauth2/token`, { method: 'POST', body: new URLSearchParams(fields) });
  const adminGrant = () =>
    grant({
      grant_type: 'password',
      username: 'admin',
      password: 'sandbox-password',
      client_id: 'sandbox-client',
    });

  it('when the password grant is right, then it issues access and refresh tokens', async () => {
    const res = await adminGrant();
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 1800,
    });
  });

  it('when a token request comes as JSON, then it is refused as iManage (form fields only) would', async () => {
    const res = await fetch(`${s.base}/auth/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'password',
        username: 'admin',
        password: 'sandbox-password',
        client_id: 'sandbox-client',
      }),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/x-www-form-urlencoded/);
  });

  it('when the refresh_token grant is used, then a new working access token comes back', async () => {
    const first = (await (await adminGrant()).json()) as { refresh_token: string; access_token: string };
    const res = await grant({ grant_type: 'refresh_token', refresh_token: first.refresh_token });
    expect(res.status).toBe(200);
    const second = (await res.json()) as { access_token: string };
    expect(second.access_token).not.toBe(first.access_token);
    expect((await call(`${s.base}/api`, second.access_token)).status).toBe(200);
  });

  it('when credentials, client or grant are wrong, then the envelope says so', async () => {
    const badPassword = await grant({
      grant_type: 'password',
      username: 'admin',
      password: 'nope',
      client_id: 'sandbox-client',
    });
    expect(badPassword.status).toBe(401);
    expect(((await badPassword.json()) as Json).error.code).toBe('INVALID_GRANT');
    const badClient = await grant({
      grant_type: 'password',
      username: 'admin',
      password: 'sandbox-password',
      client_id: 'other',
    });
    expect(badClient.status).toBe(401);
    expect(((await badClient.json()) as Json).error.code).toBe('INVALID_CLIENT');
    const badRefresh = await grant({ grant_type: 'refresh_token', refresh_token: 'made-up' });
    expect(badRefresh.status).toBe(401);
    const unsupported = await grant({ grant_type: 'client_credentials', client_id: 'sandbox-client' });
    expect(unsupported.status).toBe(400);
  });

  it('when X-Auth-Token is missing or unknown, then API calls answer 401', async () => {
    expectEnvelope(await call(`${s.base}/api`, undefined), 401, 'UNAUTHORIZED');
    expectEnvelope(await call(`${s.lib}/workspaces`, 'not-a-token'), 401, 'UNAUTHORIZED');
    const bearerOnly = await fetch(`${s.lib}/workspaces`, {
      headers: { Authorization: `Bearer ${await tokenFor(s.base)}` },
    });
    expect(bearerOnly.status).toBe(401);
  });

  it('when the access token has expired, then 401 TOKEN_EXPIRED, and refresh recovers', async () => {
    await setFaults(s.base, { sessionTtlSeconds: 1 });
    const tokens = (await (await adminGrant()).json()) as {
      access_token: string;
      refresh_token: string;
      expires_in: number;
    };
    expect(tokens.expires_in).toBe(1);
    await new Promise((r) => setTimeout(r, 1100));
    expectEnvelope(await call(`${s.lib}/workspaces`, tokens.access_token), 401, 'TOKEN_EXPIRED');
    await setFaults(s.base, { sessionTtlSeconds: 1800 });
    const refreshed = (await (
      await grant({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token })
    ).json()) as { access_token: string };
    expect((await call(`${s.lib}/workspaces?limit=1`, refreshed.access_token)).status).toBe(200);
  });

  it('when signed in, then GET /api names the customer and preferred library', async () => {
    const a = await call(`${s.base}/api`, await tokenFor(s.base));
    expect(a.status).toBe(200);
    expect(a.body.data.user).toMatchObject({ customer_id: 1, id: 'ADMIN' });
    expect(a.body.data.work.preferred_library).toBe('ACTIVE');
  });

  it('when the read-only user writes, then 403; reading is allowed', async () => {
    const token = await tokenFor(s.base, 'viewer');
    const seen = await call(`${s.lib}/workspaces?limit=1`, token);
    expect(seen.status).toBe(200);
    // effective_security is the caller's own access: the viewer is told read, the admin full access.
    expect(seen.body.data.results[0].effective_security).toBe('read');
    const id = seen.body.data.results[0].id as string;
    expect((await call(`${s.lib}/workspaces/${id}`, token)).body.data.effective_security).toBe('read');
    expect(
      (await call(`${s.lib}/workspaces/${id}`, await tokenFor(s.base))).body.data.effective_security,
    ).toBe('full_access');
    expectEnvelope(
      await call(`${s.lib}/customs/custom1`, token, { json: { id: 'X1', description: 'x' } }),
      403,
      'ACCESS_DENIED',
    );
  });

  it('when the customer or library is unknown, then 404', async () => {
    const token = await tokenFor(s.base);
    expectEnvelope(
      await call(`${s.base}/work/api/v2/customers/2/libraries/ACTIVE/workspaces`, token),
      404,
      'NOT_FOUND',
    );
    expectEnvelope(
      await call(`${s.base}/work/api/v2/customers/1/libraries/OTHER/workspaces`, token),
      404,
      'NOT_FOUND',
    );
    expect(
      (await call(`${s.base}/work/api/v2/customers/1/libraries/active/workspaces?limit=1`, token)).status,
    ).toBe(200);
  });
});
