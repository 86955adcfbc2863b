import { createApiKeyRepository, type ApiKeyRepository } from '../../src/api/auth/api-keys';
import { createDatabase, type Database } from '../../src/store/database';
import { testDialects } from './dialects';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe.each(testDialects())('API key repository on $name', (dialect) => {
  let db: Database;
  let keys: ApiKeyRepository;
  beforeAll(async () => {
    db = await createDatabase(await dialect.setup());
    keys = createApiKeyRepository(db.knex);
  });
  afterAll(async () => {
    await db?.close();
    await dialect.teardown();
  });

  test('when a key is created, then it resolves to its principal and reads back as created, holding no secret', async () => {
    const before = Date.now();
    const { key, info } = await keys.create({ tenant: 'acme', role: 'billing', name: '  Jane Doé 🧾  ' });
    expect(key).toMatch(/^co_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(info).toEqual({
      id: expect.stringMatching(/^[a-z0-9]{12}$/) as string,
      tenant: 'acme',
      role: 'billing',
      name: 'Jane Doé 🧾',
      user: null,
      createdAt: expect.stringMatching(ISO) as string,
      revokedAt: null,
    });
    expect(Date.parse(info.createdAt)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(info.createdAt)).toBeLessThanOrEqual(Date.now());
    // The stored time is the one handed out at creation, to the millisecond, on either driver.
    expect(await keys.get(info.id)).toEqual(info);
    expect(await keys.resolve(key)).toEqual({
      tenant: 'acme',
      role: 'billing',
      apiKeyId: info.id,
      name: 'Jane Doé 🧾',
    });
    const secret = key.split('_').slice(2).join('_');
    expect(JSON.stringify(await db.knex('api_keys').select())).not.toContain(secret);
  });

  test('when keys name their person, then each resolves to that person (trimmed, lower-cased) and lists it; a key naming nobody has no user', async () => {
    const first = await keys.create({
      tenant: 'people',
      role: 'billing',
      name: 'laptop',
      user: ' Jo.Smith@Firm.COM ',
    });
    const second = await keys.create({
      tenant: 'people',
      role: 'admin',
      name: 'phone',
      user: 'jo.smith@firm.com',
    });
    const erp = await keys.create({ tenant: 'people', role: 'attorney', name: 'erp' });
    expect(first.info.user).toBe('jo.smith@firm.com');
    expect(await keys.resolve(first.key)).toMatchObject({
      apiKeyId: first.info.id,
      userId: 'jo.smith@firm.com',
    });
    expect(await keys.resolve(second.key)).toMatchObject({
      apiKeyId: second.info.id,
      userId: 'jo.smith@firm.com',
    });
    expect(await keys.resolve(erp.key)).not.toHaveProperty('userId');
    expect((await keys.list('people')).map((k) => k.user)).toEqual([
      'jo.smith@firm.com',
      'jo.smith@firm.com',
      null,
    ]);
    expect(await keys.get(first.info.id)).toEqual(first.info);
    // é as one character and as e with a combining accent: one person.
    const composed = await keys.create({
      tenant: 'people',
      role: 'billing',
      name: 'a',
      user: 'Jos\u00e9@firm.law',
    });
    const decomposed = await keys.create({
      tenant: 'people',
      role: 'billing',
      name: 'b',
      user: 'Jose\u0301@firm.law',
    });
    expect(decomposed.info.user).toBe(composed.info.user);
  });

  test('when a key would name its person with spaces, control characters, nothing or too much, then it is refused and nothing is written', async () => {
    for (const user of ['Jo Smith', 'jo\u0000smith', '   ', 'u'.repeat(201), 'İ'.repeat(101)]) {
      await expect(keys.create({ tenant: 'nousers', role: 'admin', name: 'x', user })).rejects.toThrow(
        /"user"/,
      );
    }
    expect(await keys.list('nousers')).toEqual([]);
    // The longest person's name that fits, once lower-cased, is kept whole on either database.
    const { info } = await keys.create({
      tenant: 'nousers',
      role: 'admin',
      name: 'x',
      user: 'İ'.repeat(100),
    });
    expect((await keys.get(info.id))?.user).toBe('İ'.repeat(100).toLowerCase());
  });

  test('when a presented key is malformed, unknown, or carries another secret, then it resolves to nobody', async () => {
    const { key, info } = await keys.create({ tenant: 'acme', role: 'admin', name: 'ops' });
    const other = (await keys.create({ tenant: 'acme', role: 'admin', name: 'ops 2' })).key;
    expect(await keys.resolve('')).toBeUndefined();
    expect(await keys.resolve(key.slice(0, -1))).toBeUndefined();
    expect(await keys.resolve(`co_${info.id}_${other.slice(-43)}`)).toBeUndefined();
    expect(await keys.resolve(`co_zzzzzzzzzzzz_${key.slice(-43)}`)).toBeUndefined();
    expect(await keys.get('zzzzzzzzzzzz')).toBeUndefined();
  });

  test('when keys of several tenants exist, then each tenant lists its own in creation order and the unfiltered list has all', async () => {
    const created: string[] = [];
    for (const [tenant, name] of [
      ['order-a', 'first'],
      ['order-b', 'other tenant'],
      ['order-a', 'second'],
      ['order-a', 'third'],
    ] as const) {
      created.push((await keys.create({ tenant, role: 'attorney', name })).info.id);
      // Creation times a millisecond apart at least: the order is the creation time's, not the insert's.
      await pause(3);
    }
    const a = await keys.list('order-a');
    expect(a.map((k) => k.name)).toEqual(['first', 'second', 'third']);
    expect(a.every((k) => k.tenant === 'order-a')).toBe(true);
    expect((await keys.list('order-b')).map((k) => k.id)).toEqual([created[1]]);
    expect(await keys.list('nobody')).toEqual([]);
    const all = (await keys.list()).map((k) => k.id);
    expect(all).toEqual(expect.arrayContaining(created));
    expect(all.filter((id) => created.includes(id))).toEqual(created);
  });

  test('when a key is revoked, then it stops resolving, says when, and a second revocation reports nothing new', async () => {
    const { key, info } = await keys.create({ tenant: 'acme', role: 'paralegal', name: 'temp' });
    await pause(2);
    expect(await keys.revoke(info.id)).toBe(true);
    const revoked = (await keys.get(info.id))!;
    expect(revoked.revokedAt).toMatch(ISO);
    expect(Date.parse(revoked.revokedAt!)).toBeGreaterThan(Date.parse(info.createdAt));
    expect(revoked.createdAt).toBe(info.createdAt);
    expect(await keys.resolve(key)).toBeUndefined();
    expect(await keys.revoke(info.id)).toBe(false);
    expect((await keys.get(info.id))!.revokedAt).toBe(revoked.revokedAt);
    expect(await keys.revoke('zzzzzzzzzzzz')).toBe(false);
    // Revoked keys stay listed (an operator sees what was taken away and when).
    expect((await keys.list('acme')).find((k) => k.id === info.id)?.revokedAt).toBe(revoked.revokedAt);
  });

  test('when the same key is revoked by several callers at once, then exactly one of them revokes it', async () => {
    const { info } = await keys.create({ tenant: 'race', role: 'admin', name: 'contested' });
    const results = await Promise.all(Array.from({ length: 8 }, () => keys.revoke(info.id)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  test('when many keys are created at once, then each gets its own id and each resolves', async () => {
    const made = await Promise.all(
      Array.from({ length: 20 }, (_, i) => keys.create({ tenant: 'burst', role: 'attorney', name: `k${i}` })),
    );
    expect(new Set(made.map((m) => m.info.id)).size).toBe(20);
    expect(await keys.list('burst')).toHaveLength(20);
    const resolved = await Promise.all(made.map((m) => keys.resolve(m.key)));
    expect(resolved.map((p) => p?.name)).toEqual(made.map((m) => m.info.name));
  });

  test('when what is written alongside a new key fails (its audit record), then the key was never created, on either database', async () => {
    await expect(
      keys.create({ tenant: 'alongside', role: 'admin', name: 'unrecorded' }, async (trx, info) => {
        // The row is there inside the transaction, then rolled back with it.
        expect(await trx('api_keys').where({ id: info.id })).toHaveLength(1);
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(await keys.list('alongside')).toEqual([]);
    const { info } = await keys.create(
      { tenant: 'alongside', role: 'admin', name: 'recorded' },
      async (trx) => {
        await trx('api_keys').count({ n: '*' });
      },
    );
    expect((await keys.list('alongside')).map((k) => k.id)).toEqual([info.id]);
  });

  test('when the input is invalid, then nothing is written on either database', async () => {
    await expect(keys.create({ tenant: 'Bad Tenant', role: 'admin', name: 'x' })).rejects.toThrow();
    await expect(
      keys.create({ tenant: 'acme', role: 'owner' as unknown as 'admin', name: 'x' }),
    ).rejects.toThrow();
    await expect(keys.create({ tenant: 'acme', role: 'admin', name: '   ' })).rejects.toThrow();
    await expect(keys.create({ tenant: 'acme', role: 'admin', name: 'n'.repeat(201) })).rejects.toThrow();
    expect(await keys.list('bad tenant')).toEqual([]);
  });

  test('when the longest allowed tenant and name are given, then they are stored whole', async () => {
    const tenant = 't'.repeat(40);
    // Two UTF-8 bytes each: the column's limit counts characters, as the schema's does.
    const name = 'é'.repeat(200);
    const { key, info } = await keys.create({ tenant, role: 'admin', name });
    expect((await keys.get(info.id))?.name).toBe(name);
    expect((await keys.resolve(key))?.tenant).toBe(tenant);
  });
});
