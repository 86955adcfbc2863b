import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromClioError } from '../../src/api/clio-errors';
import { AppError } from '../../src/api/errors';
import { ClioOAuthClient, type ClioTokenSet } from '../../src/integrations/clio/oauth/oauth-client';
import { createStoredTokenProvider } from '../../src/integrations/clio/oauth/stored-token-provider';
import { TokenCipher } from '../../src/integrations/clio/oauth/token-cipher';
import { ClioTokenStore } from '../../src/integrations/clio/oauth/token-store';
import { createDatabase, type Database } from '../../src/store/database';
import { createRefreshTokenProvider } from '../../src/integrations/clio/token-provider';
import { SANDBOX_CLIENT, startClio, type ClioHarness } from './helpers';

const DAY = 86_400_000;
let h: ClioHarness;
let db: Database;
let dir: string;
let store: ClioTokenStore;

beforeAll(async () => {
  h = await startClio();
  dir = mkdtempSync(join(tmpdir(), 'clio-oauth-lifecycle-'));
  db = await createDatabase(`sqlite:${join(dir, 'service.db')}`);
  store = new ClioTokenStore(db.knex, new TokenCipher(randomBytes(32)));
});
afterAll(async () => {
  await db.close();
  await h.close();
  rmSync(dir, { recursive: true, force: true });
});

/** An OAuth client whose refresh waits until the test lets it answer, to put a reconnect in between. */
function heldRefresh(answer: (refreshToken: string) => ClioTokenSet) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let started!: () => void;
  const refreshing = new Promise<void>((r) => (started = r));
  const oauth = {
    refresh: async (refreshToken: string) => {
      started();
      await gate;
      return answer(refreshToken);
    },
  } as unknown as ClioOAuthClient;
  return { oauth, refreshing, release };
}

const noRefresh = {
  refresh: () => Promise.reject(new Error('no refresh expected')),
} as unknown as ClioOAuthClient;

describe('Clio OAuth tokens over time, across processes', () => {
  test('when a tenant connects Clio again (another grant stored), then a process holding the old access token moves to the new one within minutes, not at the old one’s expiry', async () => {
    let clock = 1_800_000_000_000;
    const now = () => clock;
    await store.save('reconnects', {
      accessToken: 'first',
      refreshToken: 'grant-1',
      expiresAt: clock + 30 * DAY,
    });
    const tokens = createStoredTokenProvider({ tenant: 'reconnects', store, oauth: noRefresh, now });
    expect(await tokens.getAccessToken()).toBe('first');

    // The admin connected again (say, the first consent was given as the wrong Clio user): another process's callback.
    await store.save('reconnects', {
      accessToken: 'second',
      refreshToken: 'grant-2',
      expiresAt: clock + 30 * DAY,
    });
    clock += 5 * 60_000;
    expect(await tokens.getAccessToken()).toBe('second');
  });

  test('when a tenant’s tokens are deleted (disconnected), then a process holding its access token stops using it', async () => {
    let clock = 1_800_000_000_000;
    const now = () => clock;
    await store.save('leaves', { accessToken: 'kept', refreshToken: 'grant', expiresAt: clock + 30 * DAY });
    const tokens = createStoredTokenProvider({ tenant: 'leaves', store, oauth: noRefresh, now });
    expect(await tokens.getAccessToken()).toBe('kept');
    await store.delete('leaves');
    clock += 5 * 60_000;
    await expect(tokens.getAccessToken()).rejects.toMatchObject({ type: 'NotAuthorized', retryable: false });
  });

  test('when a tenant connects again while a process is refreshing its old grant, then the refresh does not overwrite the new grant', async () => {
    const clock = 1_800_000_000_000;
    await store.save('race', { accessToken: 'old', refreshToken: 'old-grant', expiresAt: clock + 1_000 });
    const held = heldRefresh((refreshToken) => ({
      accessToken: 'old-refreshed',
      refreshToken,
      expiresAt: clock + 30 * DAY,
    }));
    const tokens = createStoredTokenProvider({ tenant: 'race', store, oauth: held.oauth, now: () => clock });
    const pending = tokens.getAccessToken();
    await held.refreshing;
    await store.save('race', { accessToken: 'new', refreshToken: 'new-grant', expiresAt: clock + 30 * DAY });
    held.release();

    expect(await pending).toBe('new');
    expect(await store.load('race')).toEqual({
      accessToken: 'new',
      refreshToken: 'new-grant',
      expiresAt: clock + 30 * DAY,
    });
  });

  test('when a tenant disconnects while a process is refreshing, then the refresh does not bring the tokens back', async () => {
    const clock = 1_800_000_000_000;
    await store.save('gone', { accessToken: 'old', refreshToken: 'old-grant', expiresAt: clock + 1_000 });
    const held = heldRefresh((refreshToken) => ({
      accessToken: 'old-refreshed',
      refreshToken,
      expiresAt: clock + 30 * DAY,
    }));
    const tokens = createStoredTokenProvider({ tenant: 'gone', store, oauth: held.oauth, now: () => clock });
    const pending = tokens.getAccessToken();
    await held.refreshing;
    await store.delete('gone');
    held.release();

    await expect(pending).rejects.toMatchObject({ type: 'NotAuthorized', retryable: false });
    expect(await store.load('gone')).toBeUndefined();
  });

  test('when two processes refresh the same grant at once, then both end up on the one token stored', async () => {
    const clock = 1_800_000_000_000;
    await store.save('pair', { accessToken: 'old', refreshToken: 'grant', expiresAt: clock + 1_000 });
    let n = 0;
    const a = heldRefresh((refreshToken) => ({
      accessToken: `a-${++n}`,
      refreshToken,
      expiresAt: clock + DAY,
    }));
    const b = heldRefresh((refreshToken) => ({
      accessToken: `b-${++n}`,
      refreshToken,
      expiresAt: clock + DAY,
    }));
    const inA = createStoredTokenProvider({ tenant: 'pair', store, oauth: a.oauth, now: () => clock });
    const inB = createStoredTokenProvider({ tenant: 'pair', store, oauth: b.oauth, now: () => clock });
    const fromA = inA.getAccessToken();
    const fromB = inB.getAccessToken();
    await Promise.all([a.refreshing, b.refreshing]);
    a.release();
    expect(await fromA).toBe('a-1');
    b.release();
    expect(await fromB).toBe('a-1');
    expect((await store.load('pair'))?.accessToken).toBe('a-1');
  });

  test('when Clio refuses the stored grant (revoked in Clio), then the error says the credentials were refused and the API asks for re-authorization, not a later retry', async () => {
    const oauth = new ClioOAuthClient({ baseUrl: h.baseUrl, ...SANDBOX_CLIENT });
    const issued = await oauth.refresh('sandbox-refresh-token');
    await store.save('revoked', { ...issued, expiresAt: Date.now() + 1_000 });
    // The firm removed the app in Clio's settings: the grant and its refresh token are gone.
    await oauth.deauthorize(issued.accessToken);
    try {
      const tokens = createStoredTokenProvider({ tenant: 'revoked', store, oauth });
      const err = await tokens.getAccessToken().catch((e: unknown) => e);
      expect(err).toMatchObject({ status: 401, retryable: false });
      expect(String((err as Error).message)).toMatch(/\/v1\/tenants\/revoked\/oauth\/start/);
      const answer = fromClioError(err, 'Clio read');
      expect(answer).toBeInstanceOf(AppError);
      expect(answer).toMatchObject({ status: 502, code: 'clio_refused_credentials' });
    } finally {
      await fetch(`${h.baseUrl}/_sandbox/reset`, { method: 'POST' });
    }
  });

  test('when Clio refuses the configured refresh token (refresh_token mode), then the same: refused credentials, naming the setting to fix', async () => {
    const tokens = createRefreshTokenProvider({
      baseUrl: h.baseUrl,
      ...SANDBOX_CLIENT,
      refreshToken: 'a-grant-clio-revoked',
    });
    const err = await tokens.getAccessToken().catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 401, type: 'invalid_grant', retryable: false });
    expect(String((err as Error).message)).toMatch(/CLIO_REFRESH_TOKEN/);
    expect(fromClioError(err, 'Clio read')).toMatchObject({ status: 502, code: 'clio_refused_credentials' });
  });
});
