import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClioApiError } from '../../src/integrations/clio/errors';
import { ClioOAuthClient } from '../../src/integrations/clio/oauth/oauth-client';
import {
  createOAuthState,
  stateKeyFrom,
  verifyOAuthState,
} from '../../src/integrations/clio/oauth/oauth-state';
import {
  completeAuthorization,
  createStoredTokenProvider,
} from '../../src/integrations/clio/oauth/stored-token-provider';
import { TokenCipher } from '../../src/integrations/clio/oauth/token-cipher';
import { CLIO_TOKENS_TABLE, ClioTokenStore } from '../../src/integrations/clio/oauth/token-store';
import { createDatabase, type Database } from '../../src/store/database';
import { clioClient, SANDBOX_CLIENT, startClio, type ClioHarness } from './helpers';

const KEY = randomBytes(32);
const REDIRECT = 'http://127.0.0.1:3000/v1/tenants/sandbox/oauth/callback';
let h: ClioHarness;
let db: Database;
let dir: string;
let store: ClioTokenStore;
let oauth: ClioOAuthClient;

beforeAll(async () => {
  h = await startClio();
  dir = mkdtempSync(join(tmpdir(), 'clio-oauth-'));
  db = await createDatabase(`sqlite:${join(dir, 'service.db')}`);
  store = new ClioTokenStore(db.knex, new TokenCipher(KEY));
  oauth = new ClioOAuthClient({ baseUrl: h.baseUrl, ...SANDBOX_CLIENT });
});
afterAll(async () => {
  await db.close();
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

const tokenRequests = async () => (await h.stats()).byRoute['POST /oauth/token'] ?? 0;

/** What a person does on Clio's consent page: follow the authorize URL and press "Allow access". */
async function consent(authorizeUrl: string): Promise<URL> {
  const page = await fetch(authorizeUrl);
  expect(page.status).toBe(200);
  const q = new URL(authorizeUrl).searchParams;
  const res = await fetch(new URL('/oauth/authorize', h.baseUrl), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: q.get('client_id') ?? '',
      redirect_uri: q.get('redirect_uri') ?? '',
      state: q.get('state') ?? '',
      decision: 'allow',
    }),
  });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') ?? '');
}

describe('Clio OAuth mode', () => {
  it('when a firm consents, then the callback code becomes stored tokens that the client uses', async () => {
    const stateKey = stateKeyFrom(KEY);
    const url = oauth.authorizeUrl(REDIRECT, createOAuthState('sandbox', { key: stateKey }));
    expect(url).toMatch(
      /\/oauth\/authorize\?response_type=code&client_id=sandbox-client&redirect_uri=.+&state=.+/,
    );
    const back = await consent(url);
    expect(
      verifyOAuthState(back.searchParams.get('state') ?? '', { key: stateKey, tenant: 'sandbox' }),
    ).toEqual({
      tenant: 'sandbox',
      nonce: expect.stringMatching(/^[\w-]{22}$/) as string,
      expiresAt: expect.any(Number) as number,
    });
    await completeAuthorization({
      tenant: 'sandbox',
      code: back.searchParams.get('code') ?? '',
      redirectUri: REDIRECT,
      oauth,
      store,
    });

    const before = await tokenRequests();
    const tokens = createStoredTokenProvider({ tenant: 'sandbox', store, oauth });
    const me = await clioClient(h.baseUrl, { tokens }).users.whoAmI();
    expect(me.email).toBe('admin@sandbox.test');
    expect(await tokenRequests()).toBe(before); // the stored token was used as it is
  });

  it('when a state is forged, altered, expired or for another tenant, then it is refused', () => {
    const key = stateKeyFrom(KEY);
    const good = createOAuthState('sandbox', { key });
    expect(() => verifyOAuthState(`${good}x`, { key })).toThrow(/not issued/);
    expect(() => verifyOAuthState(createOAuthState('sandbox', { key: randomBytes(32) }), { key })).toThrow(
      /not issued/,
    );
    expect(() => verifyOAuthState(good, { key, tenant: 'other' })).toThrow(/another tenant/);
    const old = createOAuthState('sandbox', { key, now: () => Date.now() - 3_600_000 });
    expect(() => verifyOAuthState(old, { key })).toThrow(/expired/);
  });

  it('when tokens are stored, then the raw row holds neither token and only the right key and tenant open it', async () => {
    const secret = {
      accessToken: `access-${randomBytes(8).toString('hex')}`,
      refreshToken: `refresh-${randomBytes(8).toString('hex')}`,
      expiresAt: Date.now() + 60_000,
    };
    await store.save('tenant-a', secret);
    const row = (await db.knex(CLIO_TOKENS_TABLE).where({ tenant: 'tenant-a' }).first()) as Record<
      string,
      unknown
    >;
    const raw = JSON.stringify(row);
    expect(raw).not.toContain(secret.accessToken);
    expect(raw).not.toContain(secret.refreshToken);
    expect(await store.load('tenant-a')).toEqual(secret);

    await expect(
      new ClioTokenStore(db.knex, new TokenCipher(randomBytes(32))).load('tenant-a'),
    ).rejects.toThrow(/another key/);
    // A sealed value moved to another tenant's row does not open there.
    await db.knex(CLIO_TOKENS_TABLE).insert({ ...row, tenant: 'tenant-b' });
    await expect(store.load('tenant-b')).rejects.toThrow();
  });

  it('when 50 callers find the stored token refused, then one refresh serves them all and is stored', async () => {
    // Independent of the consent test: a token issued for the sandbox's pre-issued refresh token.
    await store.save('sandbox', await oauth.refresh('sandbox-refresh-token'));
    const tokens = createStoredTokenProvider({ tenant: 'sandbox', store, oauth });
    const clio = clioClient(h.baseUrl, { tokens });
    const old = await tokens.getAccessToken();
    // Refused before its time, the grant standing (deauthorizing would revoke the refresh token too).
    const expired = await fetch(`${h.baseUrl}/_sandbox/expire-access-tokens`, { method: 'POST' });
    expect(expired.status).toBe(200);

    const before = await tokenRequests();
    const users = await Promise.all(Array.from({ length: 50 }, () => clio.users.whoAmI()));
    expect(users).toHaveLength(50);
    expect(await tokenRequests()).toBe(before + 1);
    expect((await store.load('sandbox'))?.accessToken).not.toBe(old);
  });

  it('when the token is near expiry, then it is refreshed before use', async () => {
    await store.save('sandbox', {
      accessToken: 'about-to-expire',
      refreshToken: 'sandbox-refresh-token',
      expiresAt: Date.now() + 1000,
    });
    const before = await tokenRequests();
    const refusedBefore = (await h.stats()).byStatus['401'] ?? 0;
    const tokens = createStoredTokenProvider({ tenant: 'sandbox', store, oauth });
    await clioClient(h.baseUrl, { tokens }).users.whoAmI();
    expect(await tokenRequests()).toBe(before + 1);
    expect((await h.stats()).byStatus['401'] ?? 0).toBe(refusedBefore);
  });

  it('when a firm disconnects, then the grant is revoked at Clio and the stored tokens are gone', async () => {
    const tokens = await oauth.refresh('sandbox-refresh-token');
    await store.save('leaving', tokens);
    await oauth.deauthorize(tokens.accessToken);
    await store.delete('leaving');
    expect(await store.load('leaving')).toBeUndefined();
    const err = await clioClient(h.baseUrl, {
      tokens: { getAccessToken: () => Promise.resolve(tokens.accessToken), invalidate: () => undefined },
    })
      .users.whoAmI()
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 401 });
    await oauth.deauthorize(tokens.accessToken); // twice is fine
    // The grant went with it: its refresh token is refused too, for good.
    await expect(oauth.refresh('sandbox-refresh-token')).rejects.toMatchObject({
      status: 400,
      retryable: false,
    });
    // The sandbox issues its pre-issued grant again on a reset, for what follows.
    await fetch(`${h.baseUrl}/_sandbox/reset`, { method: 'POST' });
  });

  it('when a tenant never connected, then a non-retryable NotAuthorized error', async () => {
    const tokens = createStoredTokenProvider({ tenant: 'nobody', store, oauth });
    await expect(tokens.getAccessToken()).rejects.toMatchObject({ type: 'NotAuthorized', retryable: false });
    await expect(tokens.getAccessToken()).rejects.toBeInstanceOf(ClioApiError);
  });

  it("when the token endpoint answers 200 with a page that is not JSON (a proxy's sign-in page), then a retryable BadTokenResponse", async () => {
    const behindProxy = new ClioOAuthClient({
      baseUrl: h.baseUrl,
      ...SANDBOX_CLIENT,
      fetch: () => Promise.resolve(new Response('<html>Sign in to the proxy</html>', { status: 200 })),
    });
    const err = await behindProxy.refresh('any-refresh-token').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClioApiError);
    expect(err).toMatchObject({ type: 'BadTokenResponse', retryable: true });
  });
});
