import { clioRedirectUri } from '../../src/api/routes/clio-oauth';
import { clioOAuthClient, clioTokenStore } from '../../src/config/clio-clients';
import { parseKey } from '../../src/crypto/secret-box';
import { createOAuthState, stateKeyFrom } from '../../src/integrations/clio/oauth/oauth-state';
import { createClioSandbox, type ClioSandbox } from '../../src/sandboxes/clio';
import { allowAtClio } from '../helpers/clio-consent';
import { type Api, errorOf, send, startApi } from './api-harness';

const NOT_ENABLED = {
  code: 'oauth_not_enabled',
  message:
    'Clio is connected through CLIO_REFRESH_TOKEN in this configuration; set CLIO_AUTH_MODE=oauth to connect tenants through Clio’s consent page',
};

/**
 * CLIO_AUTH_MODE=refresh_token (the default): the Clio clients use CLIO_REFRESH_TOKEN, DEFAULT_TENANT's, and never
 * read the token store. A consent would store tokens nothing uses and record a connection that does not serve reads.
 */
describe('Clio OAuth routes with CLIO_AUTH_MODE=refresh_token', () => {
  let clio: ClioSandbox;
  let clioUrl: string;
  let api: Api;
  let otherKey: string;
  beforeAll(async () => {
    clio = createClioSandbox();
    clioUrl = `http://127.0.0.1:${await clio.listen(0)}`;
    api = await startApi({ CLIO_BASE_URL: clioUrl });
    expect(api.config.CLIO_AUTH_MODE).toBe('refresh_token');
    ({ key: otherKey } = await api.keys.create({ tenant: 'other', role: 'admin', name: 'Other admin' }));
  });
  afterAll(async () => {
    await api?.stop();
    await clio?.close();
  });

  const consentFor = (state: string) => ({
    clientId: api.config.CLIO_CLIENT_ID,
    redirectUri: clioRedirectUri(api.config.PUBLIC_URL),
    state,
  });

  const written = async (tenant: string) => ({
    tokens: await api.db.knex('clio_oauth_tokens').where({ tenant }).select('tenant'),
    states: await api.db.knex('oauth_states_used').select('nonce'),
    records: await api.db
      .knex('audit_records')
      .where({ tenant })
      .whereIn('action', ['clio.connected', 'clio.disconnected'])
      .select('action'),
  });

  test.each([
    ['another tenant’s admin', 'other', () => otherKey],
    ['DEFAULT_TENANT’s admin', 'sandbox', () => 'sandbox-admin'],
  ])(
    'when %s starts, completes or removes a connection, then 409 oauth_not_enabled, and nothing is stored or recorded',
    async (_who, tenant, key) => {
      const admin = { authorization: `Bearer ${key()}` };
      const start = await send(api, 'GET', `/v1/tenants/${tenant}/oauth/start`, admin);
      expect({ status: start.status, location: start.headers.location }).toEqual({
        status: 409,
        location: undefined,
      });
      expect(errorOf(start)).toEqual(NOT_ENABLED);

      // A browser back from Clio with a code it granted and a state this service signed (one from before the mode
      // changed, say): the code is not exchanged.
      const state = createOAuthState(tenant, {
        key: stateKeyFrom(parseKey(api.config.DATA_ENCRYPTION_KEY)),
      });
      const back = await allowAtClio(clioUrl, consentFor(state));
      expect(back.searchParams.get('code')).toBeTruthy();
      const callback = await send(api, 'GET', `/oauth/clio/callback${back.search}`);
      expect(callback.status).toBe(409);
      expect(errorOf(callback)).toEqual(NOT_ENABLED);

      const disconnect = await send(api, 'DELETE', `/v1/tenants/${tenant}/oauth`, admin);
      expect(disconnect.status).toBe(409);
      expect(errorOf(disconnect)).toEqual(NOT_ENABLED);

      expect(await written(tenant)).toEqual({ tokens: [], states: [], records: [] });
    },
  );

  test('a grant stored while the service ran in oauth mode can still be revoked: DELETE revokes it at Clio and forgets it', async () => {
    // A grant Clio issued for tenant `other` when the service was in oauth mode, still in the store.
    const oauth = clioOAuthClient(api.config);
    const code = (await allowAtClio(clioUrl, consentFor('earlier'))).searchParams.get('code')!;
    const grant = await oauth.exchangeAuthorizationCode(code, clioRedirectUri(api.config.PUBLIC_URL));
    await clioTokenStore(api.config, api.db.knex).save('other', grant);
    const live = () =>
      fetch(`${clioUrl}/api/v4/users/who_am_i.json`, {
        headers: { authorization: `Bearer ${grant.accessToken}` },
      }).then((r) => r.status);
    expect(await live()).toBe(200);

    const disconnect = await send(api, 'DELETE', '/v1/tenants/other/oauth', {
      authorization: `Bearer ${otherKey}`,
    });
    expect(disconnect.status).toBe(204);
    expect(await live()).toBe(401);
    expect(await written('other')).toEqual({
      tokens: [],
      states: [],
      records: [{ action: 'clio.disconnected' }],
    });
  });
});
