import { createAuditStore } from '../../src/audit';
import { createDatabase, type Database } from '../../src/store';
import { migrationSource } from '../../src/store/migrations';
import { testDialects } from '../store/dialects';
import { entry, writtenWhenDated } from './fixtures';

/**
 * Migration 012 (the database's own clock on audit records) taken back, as with a return to the version before it,
 * and applied again: the guards it leaves behind let that version's purge move the anchor.
 */
describe.each(testDialects())('audit recorded_at migration rolled back on $name', (dialect) => {
  let db: Database;
  let clock: Date;
  beforeAll(async () => {
    db = await createDatabase(await dialect.setup());
  });
  afterAll(async () => {
    await db?.close();
    await dialect.teardown();
  });

  const appendOldAndNew = async (tenant: string) => {
    const audit = createAuditStore(db, { now: () => clock });
    // About no matter: kept for the window from their own time.
    const about = { target: { kind: 'api_key', ids: { apiKeyId: tenant } } };
    clock = new Date('2010-01-01T00:00:00.000Z');
    await audit.append(entry(tenant, 'old-1', about));
    const last = (await audit.append(entry(tenant, 'old-2', about))).record;
    clock = new Date('2026-01-01T00:00:00.000Z');
    await audit.append(entry(tenant, 'new-1', about));
    return { audit, last };
  };

  test('when 012 is rolled back, then the purge of the version before it still moves the anchor, and 012 applies again', async () => {
    const [, rolledBack] = await db.knex.migrate.down({ migrationSource, name: '012-audit-recorded-at' });
    expect(rolledBack).toEqual(['012-audit-recorded-at']);

    // What that version's purge does: the anchor names the last purged record's hash and time, then they go.
    const before = await appendOldAndNew('before-012');
    await db
      .knex('audit_chain_heads')
      .where({ tenant: 'before-012' })
      .update({ anchor_seq: before.last.seq, anchor_hash: before.last.hash, anchor_time: before.last.time });
    await db
      .knex('audit_records')
      .where({ tenant: 'before-012' })
      .andWhere('seq', '<=', before.last.seq)
      .delete();
    expect(await before.audit.verify('before-012')).toMatchObject({ ok: true, records: 1 });

    await db.knex.migrate.latest({ migrationSource });
    const after = await appendOldAndNew('after-012');
    await writtenWhenDated(db.knex);
    expect((await after.audit.purgeExpired()).deleted).toBe(2);
    expect(await after.audit.verify('after-012')).toMatchObject({ ok: true, records: 1 });
  });
});
