import { createDatabase, createOperationsLedger, type Database } from '../../src/store';
import { ExternalIdHeld } from '../../src/store/operations-ledger';
import { testDialects } from './dialects';

// store.test.ts covers the upsert keeping an external id and an entry without one; this file covers the rest of
// what activities rely on: holders, concurrent records of one key, and values the drivers could reshape.
describe.each(testDialects())('operations ledger on $name', (dialect) => {
  let db: Database;
  let clock: Date;
  const now = () => clock;
  beforeAll(async () => {
    db = await createDatabase(await dialect.setup());
  });
  afterAll(async () => {
    await db?.close();
    await dialect.teardown();
  });
  beforeEach(() => {
    clock = new Date('2026-03-01T09:30:00.123Z');
  });

  test('when an operation is recorded, then it reads back with Dates of the recorded instant, to the millisecond', async () => {
    const ledger = createOperationsLedger(db.knex, now);
    const op = await ledger.record('wf-dates:step', {
      tenant: 't1',
      kind: 'clio.time_entry',
      outcome: 'started',
    });
    const read = await ledger.get('wf-dates:step');
    expect(read).toEqual(op);
    expect(read!.createdAt).toBeInstanceOf(Date);
    expect(read!.createdAt.toISOString()).toBe('2026-03-01T09:30:00.123Z');
    expect(read!.updatedAt.toISOString()).toBe('2026-03-01T09:30:00.123Z');
    expect(read).not.toHaveProperty('externalId');
  });

  test('when external ids look like numbers, then they come back as the same strings', async () => {
    const ledger = createOperationsLedger(db.knex, now);
    // Clio ids are int64: past 2^53 a number would round; a leading zero would vanish.
    for (const [key, externalId] of [
      ['wf-ids:big', '9007199254740993'],
      ['wf-ids:zero', '007'],
    ]) {
      await ledger.record(key!, { tenant: 't1', kind: 'clio.time_entry', externalId, outcome: 'created' });
      expect((await ledger.get(key!))?.externalId).toBe(externalId);
    }
  });

  test('when a later record passes a null external id, then the one learned earlier stays', async () => {
    const ledger = createOperationsLedger(db.knex, now);
    await ledger.record('wf-null:step', {
      tenant: 't1',
      kind: 'clio.time_entry',
      externalId: '42',
      outcome: 'created',
    });
    clock = new Date(clock.getTime() + 60_000);
    const again = await ledger.record('wf-null:step', {
      tenant: 't1',
      kind: 'clio.time_entry',
      externalId: null,
      outcome: 'verified',
    });
    expect(again).toMatchObject({ externalId: '42', outcome: 'verified' });
    expect(again.updatedAt.getTime() - again.createdAt.getTime()).toBe(60_000);
  });

  test('when attempts of one step record at once, then none fails and one entry holds one of their outcomes', async () => {
    const ledger = createOperationsLedger(db.knex, now);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        ledger.record('wf-race:step', {
          tenant: 't1',
          kind: 'clio.time_entry',
          externalId: `ext-${i}`,
          outcome: `attempt-${i}`,
        }),
      ),
    );
    expect(results).toHaveLength(12);
    const stored = (await ledger.get('wf-race:step'))!;
    // External id and outcome come from the same record, never a mix of two.
    expect(stored.outcome).toBe(`attempt-${stored.externalId!.slice('ext-'.length)}`);
    const [{ n }] = (await db.knex('operations').where({ key: 'wf-race:step' }).count({ n: '*' })) as [
      { n: number | string },
    ];
    expect(Number(n)).toBe(1);
  });

  test('when a retry asks which look-alikes are already held, then only ids held by its tenant and kind are named, with their holder', async () => {
    const ledger = createOperationsLedger(db.knex, now);
    const rec = (key: string, tenant: string, kind: string, externalId: string) =>
      ledger.record(key, { tenant, kind, externalId, outcome: 'created' });
    await rec('wf-h1:entry-0', 'holders', 'clio.time_entry', '100');
    await rec('wf-h1:entry-1', 'holders', 'clio.time_entry', '101');
    await rec('wf-h2:entry-0', 'holders-other', 'clio.time_entry', '102');
    await rec('wf-h3:bill', 'holders', 'clio.bill', '103');
    await ledger.record('wf-h4:entry-0', { tenant: 'holders', kind: 'clio.time_entry', outcome: 'started' });

    const held = await ledger.holders('holders', 'clio.time_entry', [
      '100',
      '101',
      '102',
      '103',
      '104',
      '0100',
    ]);
    expect([...held.entries()].sort()).toEqual([
      ['100', 'wf-h1:entry-0'],
      ['101', 'wf-h1:entry-1'],
    ]);
    expect((await ledger.holders('holders', 'clio.time_entry', [])).size).toBe(0);
    expect((await ledger.holders('nobody', 'clio.time_entry', ['100'])).size).toBe(0);
    expect([...(await ledger.holders('holders', 'clio.bill', ['103'])).entries()]).toEqual([
      ['103', 'wf-h3:bill'],
    ]);
  });

  test('when a retry asks about many look-alikes at once, then the answer covers all of them', async () => {
    const ledger = createOperationsLedger(db.knex, now);
    const ids = Array.from({ length: 300 }, (_, i) => String(5_000_000 + i));
    for (const [i, id] of ids.entries()) {
      if (i % 3 === 0)
        await ledger.record(`wf-many:entry-${i}`, {
          tenant: 'many',
          kind: 'clio.time_entry',
          externalId: id,
          outcome: 'created',
        });
    }
    const held = await ledger.holders('many', 'clio.time_entry', ids);
    expect(held.size).toBe(100);
    expect(held.get(ids[3]!)).toBe('wf-many:entry-3');
    expect(held.has(ids[4]!)).toBe(false);
  });

  test('when two operations record the same external id (two retries took one look-alike), then one holds it and the other is refused', async () => {
    const ledger = createOperationsLedger(db.knex, now);
    const write = { tenant: 't-held', kind: 'clio.time_entry', externalId: '4100777', outcome: 'recovered' };
    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => ledger.record(`wf-held-${i}:step`, write)),
    );
    const kept = outcomes.filter((o) => o.status === 'fulfilled');
    expect(kept).toHaveLength(1);
    for (const o of outcomes.filter((x) => x.status === 'rejected'))
      expect(o.reason).toBeInstanceOf(ExternalIdHeld);
    const holder = [...(await ledger.holders('t-held', 'clio.time_entry', ['4100777'])).values()];
    expect(holder).toHaveLength(1);
    // Its holder may record it again; the same id under another tenant or kind is another thing.
    await ledger.record(holder[0]!, { ...write, outcome: 'created' });
    await ledger.record('wf-held-other:step', { ...write, tenant: 't-other' });
    await ledger.record('wf-held-kind:step', { ...write, kind: 'clio.note' });
  });

  test('when a key or input is out of bounds, then it is refused and nothing is written', async () => {
    const ledger = createOperationsLedger(db.knex, now);
    await expect(
      ledger.record('', { tenant: 't1', kind: 'clio.time_entry', outcome: 'created' }),
    ).rejects.toThrow();
    await expect(
      ledger.record('k'.repeat(401), { tenant: 't1', kind: 'clio.time_entry', outcome: 'created' }),
    ).rejects.toThrow();
    await expect(
      ledger.record('wf-bad:step', { tenant: 't1', kind: 'clio.time_entry', outcome: '' }),
    ).rejects.toThrow();
    expect(await ledger.get('wf-bad:step')).toBeUndefined();
    // The longest key allowed fits the column on either database.
    const longest = 'k'.repeat(400);
    await ledger.record(longest, { tenant: 't'.repeat(64), kind: 'clio.time_entry', outcome: 'created' });
    expect((await ledger.get(longest))?.tenant).toBe('t'.repeat(64));
  });
});
