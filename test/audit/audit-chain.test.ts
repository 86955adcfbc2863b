import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createAuditStore, type AuditStore } from '../../src/audit';
import { createDatabase, type Database } from '../../src/store';
import { testDialects } from '../store/dialects';
import { entry } from './fixtures';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

describe.each(testDialects())('audit chain on $name', (dialect) => {
  let url: string;
  let db: Database;
  let audit: AuditStore;

  beforeAll(async () => {
    url = await dialect.setup();
    db = await createDatabase(url);
    audit = createAuditStore(db);
  });
  afterAll(async () => {
    await db?.close();
    await dialect.teardown();
  });

  it('when records are untouched, then every chain verifies and links to the previous hash', async () => {
    const a1 = await audit.append(entry('ok-a', 'k1'));
    const a2 = await audit.append(entry('ok-a', 'k2', { action: 'matter.created', rationale: 'new client' }));
    const b1 = await audit.append(entry('ok-b', 'k1', { actor: { type: 'system', id: 'worker' } }));
    expect(a1.record.seq).toBe(1);
    expect(a2.record).toMatchObject({ seq: 2, prevHash: a1.record.hash });
    expect(b1.record.seq).toBe(1); // each tenant has its own chain
    const result = await audit.verify();
    expect(result).toMatchObject({ ok: true, broken: [] });
    expect(result.records).toBeGreaterThanOrEqual(3);
  });

  it('when the same idempotency key is appended again (a retried activity), then the first record comes back and nothing is written', async () => {
    const first = await audit.append(entry('idem', 'wf-1:step-3'));
    const again = await audit.append(entry('idem', 'wf-1:step-3'));
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.record).toEqual(first.record);
    // A new run of the same workflow redoing the step is the same act.
    const rerun = await audit.append(entry('idem', 'wf-1:step-3', { runId: 'run-2' }));
    expect(rerun).toEqual({ record: first.record, created: false });
    // A reset run redoing the step finds its earlier effect (recovered) and may word a reason otherwise: same act.
    const reset = await audit.append(
      entry('idem', 'wf-1:step-3', {
        runId: 'run-3',
        outcome: 'recovered',
        rationale: 'found the earlier write',
      }),
    );
    expect(reset).toEqual({ record: first.record, created: false });
    const racing = await Promise.all(
      Array.from({ length: 10 }, () => audit.append(entry('idem', 'wf-1:step-4'))),
    );
    expect(racing.filter((r) => r.created)).toHaveLength(1);
    expect((await audit.query({ tenant: 'idem', limit: 50 })).records).toHaveLength(2);
  });

  it('when the same idempotency key comes with other content, then the append is refused, naming what differs', async () => {
    const first = await audit.append(entry('idem-conflict', 'wf-1:step-1'));
    const refused = (over: Parameters<typeof entry>[2]) =>
      audit.append(entry('idem-conflict', 'wf-1:step-1', over)).then(
        () => 'no refusal',
        (err: unknown) => (err as Error).message,
      );
    expect(await refused({ outcome: 'failed' })).toMatch(/already exists with other content \(outcome\)/);
    expect(await refused({ dataHash: 'a'.repeat(64) })).toMatch(/\(dataHash\)/);
    expect(await refused({ target: { kind: 'activity', ids: { clioActivityId: 43 } } })).toMatch(/target/);
    // Racing appends under the lock are checked too: one writes, the one with other content is refused.
    const race = await Promise.allSettled([
      audit.append(entry('idem-conflict', 'wf-1:step-2')),
      audit.append(entry('idem-conflict', 'wf-1:step-2', { outcome: 'rejected' })),
    ]);
    expect(race.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const records = (await audit.query({ tenant: 'idem-conflict', limit: 50 })).records;
    expect(records).toHaveLength(2);
    expect(records[1]).toEqual(first.record);
  });

  it('when verification runs while workers keep appending, then an intact chain verifies every time', async () => {
    for (let i = 0; i < 5; i++) await audit.append(entry('live', `pre-${i}`));
    const verifications = [];
    for (let round = 0; round < 20; round++) {
      const appends = Array.from({ length: 3 }, (_, i) => audit.append(entry('live', `r${round}-${i}`)));
      verifications.push(audit.verify('live'));
      await Promise.all(appends);
    }
    for (const v of await Promise.all(verifications)) expect(v).toMatchObject({ ok: true });
    expect(await audit.verify('live')).toMatchObject({ ok: true, records: 65 });
  });

  it('when a rationale was cut in the middle of an emoji (a lone surrogate), then the record still verifies', async () => {
    const cut = `Clio refused: matter closed 🙂`.slice(0, -1);
    const { record } = await audit.append(entry('emoji', 'k1', { rationale: cut }));
    expect(record.rationale).toBe(`Clio refused: matter closed \uFFFD`);
    expect(await audit.verify('emoji')).toMatchObject({ ok: true, records: 1 });
  });

  it('when a text holds a NUL character (PostgreSQL text cannot), then it is stored on both databases and verifies', async () => {
    const { record } = await audit.append(
      entry('nul', 'k1', { rationale: 'portal said:\u0000 error', refs: { page: 'a\u0000b' } }),
    );
    expect(record.rationale).toBe('portal said:\uFFFD error');
    expect(await audit.verify('nul')).toMatchObject({ ok: true, records: 1 });
  });

  it('when 200 appends run in parallel, then they form one valid chain with no gaps', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => audit.append(entry('busy', `k-${i}`))),
    );
    expect(results.every((r) => r.created)).toBe(true);
    expect(results.map((r) => r.record.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 200 }, (_, i) => i + 1),
    );
    expect(await audit.verify('busy')).toMatchObject({ ok: true, records: 200 });
  });

  it('when a row is changed with raw SQL, then the database refuses, and if the trigger is dropped verify names that row', async () => {
    const records = [];
    for (let i = 0; i < 5; i++) records.push((await audit.append(entry('tamper', `k${i}`))).record);
    const victim = records[2]!;
    // Preconditions, read back from the database: the append-only trigger is installed and the row is there.
    if (dialect.name === 'sqlite') {
      const triggers = await db.knex.raw<{ name: string }[]>(
        "SELECT name FROM sqlite_master WHERE type = 'trigger'",
      );
      expect(triggers.map((t) => t.name)).toContain('audit_records_no_update');
    }
    const [{ n }] = (await db.knex('audit_records').where({ id: victim.id }).count({ n: '*' })) as [
      { n: number | string },
    ];
    expect(Number(n)).toBe(1);
    // The refusal is read off the rejection itself: toThrow does not recognise the driver's error when jest loaded
    // it in another module realm, which made this assertion fail now and then.
    const refusal = await db
      .knex('audit_records')
      .where({ id: victim.id })
      .update({ outcome: 'failed' })
      .then(
        () => 'no refusal',
        (err: unknown) => (err as { message?: string }).message ?? String(err),
      );
    expect(refusal).toMatch(/append-only/);
    await dropUpdateTrigger();
    await db.knex.raw('UPDATE audit_records SET outcome = ? WHERE id = ?', ['failed', victim.id]);
    const result = await audit.verify('tamper');
    expect(result.ok).toBe(false);
    expect(result.broken).toEqual([
      { tenant: 'tamper', recordId: victim.id, seq: 3, reason: expect.stringMatching(/hash mismatch/) },
    ]);
    // Other tenants' chains are unaffected and named as fine.
    expect((await audit.verify()).broken.map((b) => b.tenant)).toEqual(['tamper']);
  });

  it('when records are deleted or the head rewound with ordinary SQL, then the database refuses', async () => {
    const rec = [];
    for (let i = 0; i < 4; i++) rec.push((await audit.append(entry('guard', `k${i}`))).record);
    const refusal = (p: PromiseLike<unknown>) =>
      Promise.resolve(p).then(
        () => 'no refusal',
        (err: unknown) => (err as { message?: string }).message ?? String(err),
      );
    expect(await refusal(db.knex('audit_records').where({ id: rec[1]!.id }).delete())).toMatch(
      /retention purge/,
    );
    expect(await refusal(db.knex('audit_records').where({ id: rec[3]!.id }).delete())).toMatch(
      /retention purge/,
    );
    expect(
      await refusal(
        db
          .knex('audit_chain_heads')
          .where({ tenant: 'guard' })
          .update({ last_seq: 2, last_hash: rec[1]!.hash }),
      ),
    ).toMatch(/only moves forward/);
    // An anchor moved past young records without naming the record it stops at is refused too.
    expect(
      await refusal(
        db
          .knex('audit_chain_heads')
          .where({ tenant: 'guard' })
          .update({ anchor_seq: 4, anchor_hash: 'x'.repeat(64) }),
      ),
    ).toMatch(/anchor|moves forward/);
    expect(await refusal(db.knex('audit_chain_heads').where({ tenant: 'guard' }).delete())).toMatch(
      /never deleted/,
    );
    expect(await audit.verify('guard')).toMatchObject({ ok: true, records: 4 });
  });

  it('when a chain head is rewritten in place or a record is inserted beside the chain, then the database refuses', async () => {
    const rec = [];
    for (let i = 0; i < 3; i++) rec.push((await audit.append(entry('inplace', `k${i}`))).record);
    const refusal = (p: PromiseLike<unknown>) =>
      Promise.resolve(p).then(
        () => 'no refusal',
        (err: unknown) => (err as { message?: string }).message ?? String(err),
      );
    const head = () => db.knex('audit_chain_heads').where({ tenant: 'inplace' });
    // The head's hash changed without moving it: the next record would link to a forged hash.
    expect(await refusal(head().update({ last_hash: 'f'.repeat(64) }))).toMatch(/audit chain head/);
    // The anchor's time made older without moving the anchor: after an anchor moved to the newest record and every
    // record deleted, an old anchor time would pass verification for a lawful purge.
    expect(await refusal(head().update({ anchor_time: '2000-01-01T00:00:00.000Z' }))).toMatch(
      /audit chain (head|anchor)/,
    );
    expect(await refusal(head().update({ anchor_hash: rec[0]!.hash }))).toMatch(/audit chain (head|anchor)/);
    // A record written anywhere but at the head, or not linking to it: below an anchor no verification would see it.
    const row = (await db.knex('audit_records').where({ id: rec[2]!.id }).first()) as Record<string, unknown>;
    const forged = (over: Record<string, unknown>) => {
      const { recorded_at: _stamp, ...copy } = row;
      return db.knex('audit_records').insert({ ...copy, id: `forged-${String(over.seq)}`, ...over });
    };
    expect(await refusal(forged({ seq: 0 }))).toMatch(/appended at the chain head/);
    expect(await refusal(forged({ seq: 9 }))).toMatch(/appended at the chain head/);
    expect(await refusal(forged({ seq: 4, prev_hash: rec[1]!.hash, idempotency_key: 'fork' }))).toMatch(
      /appended at the chain head/,
    );
    expect(await refusal(forged({ tenant: 'headless', seq: 1 }))).toMatch(/appended at the chain head/);
    // A new chain starts at genesis: a head made up mid-chain would let made-up records verify from its anchor.
    expect(
      await refusal(
        db.knex('audit_chain_heads').insert({
          tenant: 'made-up',
          last_seq: 5,
          last_hash: 'a'.repeat(64),
          anchor_seq: 5,
          anchor_hash: 'a'.repeat(64),
        }),
      ),
    ).toMatch(/starts empty/);
    expect(await audit.verify('inplace')).toMatchObject({ ok: true, records: 3 });
    expect((await audit.append(entry('inplace', 'k3'))).record).toMatchObject({
      seq: 4,
      prevHash: rec[2]!.hash,
    });
    expect(await audit.verify('inplace')).toMatchObject({ ok: true, records: 4 });
  });

  it('when the anchor is moved past records inside the retention window, then verify says so', async () => {
    for (let i = 0; i < 3; i++) await audit.append(entry('early', `k${i}`));
    const second = (await db.knex('audit_records').where({ tenant: 'early', seq: 2 }).first()) as {
      hash: string;
      time: string;
    };
    // Named exactly as the purge would name it, but the records are minutes old, not years.
    await db
      .knex('audit_chain_heads')
      .where({ tenant: 'early' })
      .update({
        anchor_seq: 2,
        anchor_hash: second.hash,
        anchor_time: second.time,
        anchor_recorded_at: db.knex.raw(
          `(SELECT recorded_at FROM audit_records WHERE tenant = 'early' AND seq = 2)`,
        ),
      });
    await db.knex('audit_records').where({ tenant: 'early' }).andWhere('seq', '<=', 2).delete();
    expect((await audit.verify('early')).broken[0]).toMatchObject({
      reason: expect.stringMatching(/removed inside the retention window/),
    });
  });

  it('when a record is deleted from the middle or the end, then verify names where the chain breaks', async () => {
    const rec = [];
    for (let i = 0; i < 4; i++) rec.push((await audit.append(entry('gap', `k${i}`))).record);
    await dropGuards();
    await db.knex('audit_records').where({ id: rec[1]!.id }).delete();
    expect((await audit.verify('gap')).broken[0]).toMatchObject({
      recordId: rec[2]!.id,
      reason: expect.stringMatching(/sequence gap/),
    });

    for (let i = 0; i < 3; i++) rec.push((await audit.append(entry('tail', `k${i}`))).record);
    await db
      .knex('audit_records')
      .where({ id: rec[rec.length - 1]!.id })
      .delete();
    expect((await audit.verify('tail')).broken[0]).toMatchObject({
      recordId: null,
      reason: expect.stringMatching(/removed from the end/),
    });
  });

  it('when a filter column is changed, then verify notices although that column is outside the hash', async () => {
    const { record } = await audit.append(entry('index', 'k1'));
    await dropUpdateTrigger();
    await db.knex('audit_records').where({ id: record.id }).update({ matter_number: '99999-Other' });
    expect((await audit.verify('index')).broken[0]).toMatchObject({
      recordId: record.id,
      reason: expect.stringMatching(/index columns/),
    });
  });

  it('when two processes append to one tenant at once, then the chain stays valid', async () => {
    const worker = join(__dirname, 'append-worker.ts');
    const args = (prefix: string) => ['--import', 'tsx', worker, url, 'multi', prefix, '40'];
    await Promise.all([
      run(process.execPath, args('p1'), { cwd: ROOT }),
      run(process.execPath, args('p2'), { cwd: ROOT }),
    ]);
    await audit.append(entry('multi', 'after'));
    expect(await audit.verify('multi')).toMatchObject({ ok: true, records: 81 });
  });

  async function dropUpdateTrigger(): Promise<void> {
    // What an administrator with DDL rights could do; the hash chain is the defence that remains.
    await dropTriggers(['audit_records_no_update']);
  }

  /** Every append-only guard gone: what remains against such an administrator is the hash chain. */
  async function dropGuards(): Promise<void> {
    await dropTriggers([
      'audit_records_no_update',
      'audit_records_no_delete',
      'audit_heads_forward_only',
      'audit_heads_no_delete',
    ]);
  }

  async function dropTriggers(names: string[]): Promise<void> {
    for (const name of names) {
      const table = name.startsWith('audit_heads') ? 'audit_chain_heads' : 'audit_records';
      await db.knex.raw(
        dialect.name === 'postgres'
          ? `DROP TRIGGER IF EXISTS ${name} ON ${table}`
          : `DROP TRIGGER IF EXISTS ${name}`,
      );
    }
  }
});
