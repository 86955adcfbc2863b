import { createApiKeyRepository } from '../../src/api/auth/api-keys';
import { connectClio, consentRedirect, startOAuthSystem } from '../helpers/clio-consent';
import { type System } from '../helpers/system';

describe('Clio OAuth mode: an admin connects Clio through the consent page', () => {
  let sys: System;
  beforeAll(async () => {
    sys = await startOAuthSystem();
  });
  afterAll(async () => {
    await sys?.stop();
  });

  const admin = { authorization: 'Bearer sandbox-admin' };
  const fieldsOf = async (res: Response) =>
    (
      (await res.json()) as { error: { details?: { fields: { field: string }[] } } }
    ).error.details?.fields.map((f) => f.field);

  const connect = (
    tenant: string,
    headers: Record<string, string>,
    inspect?: (authorize: URL) => Promise<void>,
  ) => connectClio(sys, tenant, headers, inspect);

  test('when the code flow completes, then tokens are stored sealed and reads work', async () => {
    const before = await fetch(`${sys.api.url}/v1/matters?limit=1`, { headers: admin });
    expect(before.status).toBe(409);
    expect(((await before.json()) as { error: { code: string } }).error.code).toBe('clio_not_connected');

    // The person clicks "Allow access" on Clio's consent page.
    const callback = await connect('sandbox', admin, async (authorize) => {
      expect(authorize.origin).toBe(sys.clioUrl);
      expect(authorize.pathname).toBe('/oauth/authorize');
      expect(authorize.searchParams.get('redirect_uri')).toBe(`${sys.api.url}/oauth/clio/callback`);
      expect((await fetch(authorize)).status).toBe(200);
    });
    expect(callback.status).toBe(200);
    expect(await callback.text()).toContain('Clio is connected for sandbox');

    const rows = await sys.db.knex<{ access_token: string; refresh_token: string }>('clio_oauth_tokens');
    expect(rows).toHaveLength(1);
    // Sealed (AES-256-GCM with a key id), never the bearer token itself.
    expect(rows[0]!.access_token).toMatch(/^v1:[0-9a-f]+:/);
    expect(rows[0]!.refresh_token).toMatch(/^v1:[0-9a-f]+:/);
    const after = await fetch(`${sys.api.url}/v1/matters?limit=1`, { headers: admin });
    expect(after.status).toBe(200);
    // Connected by the sandbox admin key, which acts for the sandbox firm's admin.
    const trail = (await (
      await fetch(`${sys.api.url}/v1/audit?action=clio.connected`, { headers: admin })
    ).json()) as { data: { actor: unknown }[] };
    expect(trail.data.map((r) => r.actor)).toEqual([
      { type: 'user', id: 'admin@sandbox.test', role: 'admin', apiKeyId: 'sandbox-admin' },
    ]);
  });

  test('when the callback carries a forged state or a declined consent, then nothing is stored', async () => {
    const forged = await fetch(`${sys.api.url}/oauth/clio/callback?code=abc&state=forged.state`);
    expect(forged.status).toBe(400);
    const start = await fetch(`${sys.api.url}/v1/tenants/sandbox/oauth/start`, {
      headers: admin,
      redirect: 'manual',
    });
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    const declined = await fetch(
      `${sys.api.url}/oauth/clio/callback?error=access_denied&state=${encodeURIComponent(state)}`,
    );
    expect(declined.status).toBe(400);
    expect(await fieldsOf(declined)).toEqual(['query.error']);
    expect(
      (
        await fetch(`${sys.api.url}/v1/tenants/sandbox/oauth/start`, {
          headers: { authorization: 'Bearer sandbox-attorney' },
          redirect: 'manual',
        })
      ).status,
    ).toBe(403);
    expect(
      (await fetch(`${sys.api.url}/v1/tenants/otherfirm/oauth/start`, { headers: admin, redirect: 'manual' }))
        .status,
    ).toBe(404);
  });

  test('when the callback carries parameters this service does not know, then they are ignored (RFC 6749 §4.1.2), and refusals and missing codes name their field', async () => {
    // Each callback with a state of its own: a state is good for one callback.
    const callback = async (query: Record<string, string>) => {
      const start = await fetch(`${sys.api.url}/v1/tenants/sandbox/oauth/start`, {
        headers: admin,
        redirect: 'manual',
      });
      const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
      return fetch(
        `${sys.api.url}/oauth/clio/callback?${new URLSearchParams({ state, ...query }).toString()}`,
      );
    };
    const stored = await sys.db.knex('clio_oauth_tokens').select();

    // The code went to Clio (which refuses it); the extra parameters changed nothing.
    const unknown = await callback({ code: 'abc', iss: sys.clioUrl, redirect_to: 'https://evil.example' });
    expect(unknown.status).toBe(400);
    expect(((await unknown.clone().json()) as { error: { code: string } }).error.code).toBe(
      'clio_code_refused',
    );
    expect(await fieldsOf(unknown)).toEqual(['query.code']);

    // What Clio's refusal may carry beside `error` reads as a refusal, not as an unknown field.
    const refused = await callback({ error: 'access_denied', error_description: 'The user denied access' });
    expect(refused.status).toBe(400);
    expect(await fieldsOf(refused)).toEqual(['query.error']);

    const noCode = await callback({});
    expect(noCode.status).toBe(400);
    expect(await fieldsOf(noCode)).toEqual(['query.code']);
    expect(await sys.db.knex('clio_oauth_tokens').select()).toEqual(stored);
  });

  test('when a second tenant connects its own Clio, then its own key reads through its own tokens', async () => {
    const { key } = await createApiKeyRepository(sys.db.knex).create({
      tenant: 'acme',
      role: 'admin',
      name: 'Acme admin',
    });
    const acme = { authorization: `Bearer ${key}` };
    const before = await fetch(`${sys.api.url}/v1/matters?limit=1`, { headers: acme });
    expect(((await before.json()) as { error: { code: string } }).error.code).toBe('clio_not_connected');

    const callback = await connect('acme', acme);
    expect(callback.status).toBe(200);
    expect(await callback.text()).toContain('Clio is connected for acme');
    expect(await sys.db.knex('clio_oauth_tokens').where({ tenant: 'acme' })).toHaveLength(1);
    expect((await fetch(`${sys.api.url}/v1/matters?limit=1`, { headers: acme })).status).toBe(200);
  });

  test('when the key that started a consent is revoked before Clio sends the admin back, then the callback is a 400 naming query.state and nothing is stored', async () => {
    const keys = createApiKeyRepository(sys.db.knex);
    const { key, info } = await keys.create({ tenant: 'leaving', role: 'admin', name: 'Departing admin' });
    const redirect = await consentRedirect(sys, 'leaving', { authorization: `Bearer ${key}` });
    await keys.revoke(info.id);
    const callback = await fetch(redirect);
    expect(callback.status).toBe(400);
    const { error } = (await callback.json()) as {
      error: { message: string; details: { fields: { field: string }[] } };
    };
    expect(error.details.fields.map((f) => f.field)).toEqual(['query.state']);
    expect(error.message).toMatch(/revoked/);
    expect(await sys.db.knex('clio_oauth_tokens').where({ tenant: 'leaving' })).toHaveLength(0);
  });

  test('when a state comes back a second time, even with a fresh code, then a 400 naming query.state, and the stored tokens stand', async () => {
    const first = await connect('sandbox', admin);
    expect(first.status).toBe(200);
    const stored = await sys.db.knex('clio_oauth_tokens').where({ tenant: 'sandbox' }).first();
    // Someone who saw the first callback's state pairs it with an authorization code of their own.
    const replay = await consentRedirect(sys, 'sandbox', admin);
    replay.searchParams.set('state', new URL(first.url).searchParams.get('state')!);
    const again = await fetch(replay);
    expect(again.status).toBe(400);
    const { error } = (await again.json()) as {
      error: { code: string; message: string; details: { fields: { field: string }[] } };
    };
    expect(error.details.fields.map((f) => f.field)).toEqual(['query.state']);
    expect(error.message).toMatch(/used already/);
    expect(await sys.db.knex('clio_oauth_tokens').where({ tenant: 'sandbox' }).first()).toEqual(stored);
  });

  test('when Clio refuses the code (used already), then a 400 naming query.code, and the stored tokens stand', async () => {
    const first = await connect('sandbox', admin);
    expect(first.status).toBe(200);
    const stored = await sys.db.knex('clio_oauth_tokens').where({ tenant: 'sandbox' }).first();
    // A fresh state with the code Clio already exchanged once.
    const again = await consentRedirect(sys, 'sandbox', admin);
    again.searchParams.set('code', new URL(first.url).searchParams.get('code')!);
    const res = await fetch(again);
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as {
      error: { code: string; details: { fields: { field: string }[] } };
    };
    expect(error.code).toBe('clio_code_refused');
    expect(error.details.fields.map((f) => f.field)).toEqual(['query.code']);
    expect(await sys.db.knex('clio_oauth_tokens').where({ tenant: 'sandbox' }).first()).toEqual(stored);
  });

  test('when an admin disconnects Clio, then the grant is revoked at Clio, the tokens are gone, reads say not connected, and connect and disconnect are in the audit trail naming the person whose key did them', async () => {
    // A tenant of its own, connected once: the API holds no token of an earlier grant for it.
    const keys = createApiKeyRepository(sys.db.knex);
    const { key, info } = await keys.create({
      tenant: 'gamma',
      role: 'admin',
      name: 'Gamma admin',
      user: 'Gwen@Gamma.law',
    });
    const { key: attorneyKey } = await keys.create({
      tenant: 'gamma',
      role: 'attorney',
      name: 'Gamma attorney',
    });
    const gamma = { authorization: `Bearer ${key}` };
    const url = `${sys.api.url}/v1/tenants/gamma/oauth`;
    // The state passes through the browser and Clio: it names the key, never the person.
    let stateSeen = '';
    const connected = await connect('gamma', gamma, (authorize) => {
      stateSeen = Buffer.from(authorize.searchParams.get('state')!.split('.')[0]!, 'base64url').toString();
      return Promise.resolve();
    });
    expect(connected.status).toBe(200);
    expect(stateSeen).toContain(info.id);
    expect(stateSeen).not.toMatch(/gwen/i);
    expect((await fetch(`${sys.api.url}/v1/matters?limit=1`, { headers: gamma })).status).toBe(200);

    const attorney = { authorization: `Bearer ${attorneyKey}` };
    expect((await fetch(url, { method: 'DELETE', headers: attorney })).status).toBe(403);
    expect((await fetch(url, { method: 'DELETE', headers: admin })).status).toBe(404); // another tenant's key

    expect((await fetch(url, { method: 'DELETE', headers: gamma })).status).toBe(204);
    expect(await sys.db.knex('clio_oauth_tokens').where({ tenant: 'gamma' })).toHaveLength(0);
    // The access token the API still holds was revoked at Clio: its next read finds no connection.
    const read = await fetch(`${sys.api.url}/v1/matters?limit=1`, { headers: gamma });
    expect(read.status).toBe(409);
    expect(((await read.json()) as { error: { code: string } }).error.code).toBe('clio_not_connected');
    expect((await fetch(url, { method: 'DELETE', headers: gamma })).status).toBe(409);

    const trail = async (action: string) =>
      (
        (await (await fetch(`${sys.api.url}/v1/audit?action=${action}`, { headers: gamma })).json()) as {
          data: { actor: unknown; target: unknown }[];
        }
      ).data;
    const byGammaAdmin = { type: 'user', id: 'gwen@gamma.law', apiKeyId: info.id, role: 'admin' };
    const target = { kind: 'clio_connection', ids: { tenant: 'gamma' } };
    expect(await trail('clio.connected')).toEqual([
      expect.objectContaining({ actor: expect.objectContaining(byGammaAdmin) as unknown, target }),
    ]);
    expect(await trail('clio.disconnected')).toEqual([
      expect.objectContaining({ actor: expect.objectContaining(byGammaAdmin) as unknown, target }),
    ]);
  });
});
