import { randomBytes } from 'node:crypto';
import { TokenCipher } from '../../src/integrations/clio/oauth/token-cipher';
import { CLIO_TOKENS_TABLE, ClioTokenStore } from '../../src/integrations/clio/oauth/token-store';
import { createDatabase, type Database } from '../../src/store/database';
import { testDialects } from './dialects';

const tokens = (tag: string, expiresAt = 1_795_000_000_123) => ({
  accessToken: `access-${tag}`,
  refreshToken: `refresh-${tag}`,
  expiresAt,
});

describe.each(testDialects())('Clio OAuth token store on $name', (dialect) => {
  let db: Database;
  let store: ClioTokenStore;
  const key = randomBytes(32);
  beforeAll(async () => {
    db = await createDatabase(await dialect.setup());
    store = new ClioTokenStore(db.knex, new TokenCipher(key));
  });
  afterAll(async () => {
    await db?.close();
    await dialect.teardown();
  });

  test('when tokens are saved, then they load back exactly, expiry as an epoch-ms number, and the row holds neither token', async () => {
    await store.save('acme', tokens('first-value'));
    const loaded = await store.load('acme');
    // expires_at is a bigint column: PostgreSQL hands it back as a string, the store must not.
    expect(loaded).toStrictEqual(tokens('first-value'));
    expect(await store.load('other')).toBeUndefined();
    const rows = JSON.stringify(await db.knex(CLIO_TOKENS_TABLE).select());
    expect(rows).not.toContain('access-first-value');
    expect(rows).not.toContain('refresh-first-value');
  });

  test('when an expiry lies beyond 32-bit range or is the largest safe integer, then it loads back unchanged', async () => {
    await store.save('far', tokens('far', 4_102_444_800_000));
    expect((await store.load('far'))?.expiresAt).toBe(4_102_444_800_000);
    await store.save('far', tokens('far', Number.MAX_SAFE_INTEGER));
    expect((await store.load('far'))?.expiresAt).toBe(Number.MAX_SAFE_INTEGER);
  });

  test('when tokens are saved again for a tenant (a refresh), then the new ones replace the old in one row', async () => {
    await store.save('refresh', tokens('one', 1_000));
    await store.save('refresh', tokens('two', 2_000));
    expect(await store.load('refresh')).toStrictEqual(tokens('two', 2_000));
    const [{ n }] = (await db.knex(CLIO_TOKENS_TABLE).where({ tenant: 'refresh' }).count({ n: '*' })) as [
      { n: number | string },
    ];
    expect(Number(n)).toBe(1);
  });

  test('when several processes save a tenant at once, then none fails and the tokens loaded are one whole set', async () => {
    await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.save('race', tokens(`set-${i}`, 10_000 + i))),
    );
    const loaded = (await store.load('race'))!;
    const i = Number(/^access-set-(\d)$/.exec(loaded.accessToken)?.[1]);
    // Access token, refresh token and expiry all from the same save, never a mix of two.
    expect(loaded).toStrictEqual(tokens(`set-${i}`, 10_000 + i));
  });

  test('when tokens are deleted (the firm disconnected), then nothing loads, and deleting again is harmless', async () => {
    await store.save('gone', tokens('gone'));
    await store.save('stays', tokens('stays'));
    await store.delete('gone');
    expect(await store.load('gone')).toBeUndefined();
    await expect(store.delete('gone')).resolves.toBeUndefined();
    expect(await store.load('stays')).toStrictEqual(tokens('stays'));
  });

  test('when a sealed row is copied to another tenant, or its columns swapped, then it does not open', async () => {
    await store.save('victim', tokens('victim'));
    const row = (await db.knex(CLIO_TOKENS_TABLE).where({ tenant: 'victim' }).first()) as Record<
      string,
      unknown
    >;
    await db.knex(CLIO_TOKENS_TABLE).insert({ ...row, tenant: 'thief' });
    await expect(store.load('thief')).rejects.toThrow();
    await db
      .knex(CLIO_TOKENS_TABLE)
      .where({ tenant: 'victim' })
      .update({ access_token: row.refresh_token, refresh_token: row.access_token });
    await expect(store.load('victim')).rejects.toThrow();
  });

  test('when the key changed since the tokens were saved, then loading says to re-authorize', async () => {
    await store.save('rotated', tokens('rotated'));
    const rotated = new ClioTokenStore(db.knex, new TokenCipher(randomBytes(32)));
    await expect(rotated.load('rotated')).rejects.toThrow(/re-authorize/);
  });

  test('when tokens hold characters outside ASCII, then they load back unchanged', async () => {
    const odd = { accessToken: 'ä€😀'.repeat(500), refreshToken: 'x'.repeat(5000), expiresAt: 1 };
    await store.save('long', odd);
    expect(await store.load('long')).toStrictEqual(odd);
  });

  test('when Clio answers an expires_in with a fraction of a second (the OAuth client accepts any positive number), then the tokens are kept and expire no later than Clio said', async () => {
    // What ClioOAuthClient computes for expires_in 3599.9995: not a whole number of milliseconds.
    const expiresAt = 1_795_000_000_000 + 3599.9995 * 1000;
    expect(Number.isInteger(expiresAt)).toBe(false);
    await store.save('fraction', tokens('fraction', expiresAt));
    const loaded = (await store.load('fraction'))!;
    expect(loaded.accessToken).toBe('access-fraction');
    expect(loaded.expiresAt).toBeLessThanOrEqual(expiresAt);
    expect(loaded.expiresAt).toBeGreaterThan(expiresAt - 1);
  });

  test('when refreshed tokens are saved against the row they were refreshed from, then only an unchanged row takes them: a reconnect or a delete meanwhile wins', async () => {
    await store.save('cas', tokens('grant-1', 1_000));
    const before = (await store.loadVersioned('cas'))!;
    expect(before.tokens).toStrictEqual(tokens('grant-1', 1_000));
    expect(await store.replace('cas', before.version, tokens('grant-1-refreshed', 2_000))).toBe(true);
    expect(await store.load('cas')).toStrictEqual(tokens('grant-1-refreshed', 2_000));

    // The version moved with that save: a second refresh from the old row is refused.
    expect(await store.replace('cas', before.version, tokens('late', 3_000))).toBe(false);
    // Saving the same tokens again (a reconnect) moves it too.
    const current = (await store.loadVersioned('cas'))!;
    await store.save('cas', tokens('grant-1-refreshed', 2_000));
    expect(await store.replace('cas', current.version, tokens('late', 3_000))).toBe(false);
    expect(await store.load('cas')).toStrictEqual(tokens('grant-1-refreshed', 2_000));

    const last = (await store.loadVersioned('cas'))!;
    await store.delete('cas');
    expect(await store.replace('cas', last.version, tokens('late', 3_000))).toBe(false);
    expect(await store.load('cas')).toBeUndefined();
  });
});
