import { randomBytes } from 'node:crypto';
import { createDatabase, type Database } from '../../src/store/database';
import { createSessionStore, parseSessionKey, Sealer } from '../../src/sessions';
import { testDialects } from '../store/dialects';

const material = (v: string) => ({
  cookies: [{ name: '_clio_session', value: v, domain: '127.0.0.1', path: '/', expires: -1 }],
  csrfToken: `csrf-${v}`,
  signedInAt: '2026-11-25T20:00:00.000Z',
});

describe.each(testDialects())('sealed session store on $name', (dialect) => {
  let db: Database;
  const key = randomBytes(32);
  beforeAll(async () => {
    db = await createDatabase(await dialect.setup());
  });
  afterAll(async () => {
    await db?.close();
    await dialect.teardown();
  });

  test('when two attempts save the same generation at once, then neither fails and one row holds the later', async () => {
    const store = createSessionStore(db.knex, key);
    const saves = Array.from({ length: 8 }, (_, i) => store.saveMaterial('race', 1, material(`racing-${i}`)));
    await expect(Promise.all(saves)).resolves.toBeDefined();
    expect(await db.knex('portal_sessions').where({ tenant: 'race' }).count({ n: '*' })).toEqual([
      { n: dialect.name === 'postgres' ? '1' : 1 },
    ]);
    expect((await store.loadMaterial('race'))?.material.csrfToken).toMatch(/^csrf-racing-\d$/);
  });

  test('when material is saved per generation, then the newest comes back, rows hold no cookie, and old generations are pruned', async () => {
    const store = createSessionStore(db.knex, key);
    await store.saveMaterial('t1', 1, material('cookie-one-value'));
    await store.saveMaterial('t1', 2, material('cookie-two-value'));
    await store.saveMaterial('t1', 2, material('cookie-two-again')); // a retried sign-in overwrites its own generation
    expect(await store.loadMaterial('t1')).toEqual({ generation: 2, material: material('cookie-two-again') });
    expect((await store.loadMaterial('t1', 1))?.material.csrfToken).toBe('csrf-cookie-one-value');
    expect(await store.loadMaterial('t2')).toBeUndefined();
    expect(JSON.stringify(await db.knex('portal_sessions').select())).not.toMatch(/cookie-(one|two)/);
    await store.saveMaterial('t1', 3, material('cookie-three-val'));
    await store.prune('t1', 2);
    expect(await store.loadMaterial('t1', 1)).toBeUndefined();
    expect((await store.loadMaterial('t1'))?.generation).toBe(3);
  });

  test("when a session workflow started afresh saves generation 1 over an ended one's 5–7, then its material is the newest and survives pruning", async () => {
    const store = createSessionStore(db.knex, key);
    for (const g of [5, 6, 7]) await store.saveMaterial('t3', g, material(`old-chain-${g}`));
    await store.saveMaterial('t3', 1, material('new-chain-1'));
    await store.prune('t3', 3);
    expect(await store.loadMaterial('t3')).toEqual({ generation: 1, material: material('new-chain-1') });
    expect(await store.loadMaterial('t3', 7)).toBeUndefined();
  });

  test('when a sealed row is moved to another tenant or read with another key, then it does not open', async () => {
    const store = createSessionStore(db.knex, key);
    await store.saveMaterial('a', 1, material('tenant-a-cookie'));
    const row = (await db.knex('portal_sessions').where({ tenant: 'a', generation: 1 }).first()) as {
      sealed: string;
    };
    await db
      .knex('portal_sessions')
      .insert({ tenant: 'b', generation: 1, sealed: row.sealed, created_at: new Date() });
    await expect(store.loadMaterial('b')).rejects.toThrow();
    await expect(createSessionStore(db.knex, randomBytes(32)).loadMaterial('a')).rejects.toThrow();
  });

  test('when an MFA code is stored, then only its reference is handed out, only its tenant reads it, and it can be dropped', async () => {
    const store = createSessionStore(db.knex, key);
    const ref = await store.putMfaCode('t1', '482913');
    expect(ref).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(await db.knex('portal_mfa_codes').select())).not.toContain('482913');
    expect(await store.readMfaCode('t2', ref)).toBeUndefined();
    expect(await store.readMfaCode('t1', ref)).toBe('482913');
    await store.dropMfaCode('t1', ref);
    expect(await store.readMfaCode('t1', ref)).toBeUndefined();
  });

  test('when the key is configured, then base64 and hex of 32 bytes work and anything else is refused', () => {
    const raw = randomBytes(32);
    expect(parseSessionKey(raw.toString('base64')).equals(raw)).toBe(true);
    expect(parseSessionKey(raw.toString('hex')).equals(raw)).toBe(true);
    expect(() => parseSessionKey('c2hvcnQ=')).toThrow(/32 bytes/);
    expect(() => new Sealer(randomBytes(16))).toThrow(/32 bytes/);
  });
});
