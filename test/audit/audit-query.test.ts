import {
  auditQueryParamsSchema,
  createAuditStore,
  InvalidCursorError,
  type AuditRecord,
  type AuditStore,
} from '../../src/audit';
import { createDatabase, type Database } from '../../src/store';
import { testDialects } from '../store/dialects';
import { entry, writtenWhenDated } from './fixtures';

describe.each(testDialects())('audit query and retention on $name', (dialect) => {
  let db: Database;
  let clock: Date;
  let audit: AuditStore;
  const at = (iso: string) => {
    clock = new Date(iso);
  };

  beforeAll(async () => {
    db = await createDatabase(await dialect.setup());
    audit = createAuditStore(db, { now: () => clock });
  });
  afterAll(async () => {
    await db?.close();
    await dialect.teardown();
  });

  describe('query', () => {
    beforeAll(async () => {
      const actors = ['u-1', 'u-2'];
      for (let i = 0; i < 12; i++) {
        at(`2026-01-${String(i + 1).padStart(2, '0')}T10:00:00.000Z`);
        await audit.append(
          entry('q', `k${i}`, {
            actor: { type: 'user', id: actors[i % 2]! },
            action: i % 3 === 0 ? 'matter.created' : 'time_entry.created',
            target: { kind: 'matter', ids: { clioMatterId: i }, matterNumber: i < 6 ? '00001' : '00002' },
          }),
        );
      }
      await audit.append(entry('other', 'k0', { target: { kind: 'matter', matterNumber: '00001' } }));
    });

    const seqs = (records: AuditRecord[]) => records.map((r) => r.seq);

    it('when filtering by a person written in another case, then their records come back; an id kept as written is found as written', async () => {
      at('2026-02-01T10:00:00.000Z');
      await audit.append(entry('q-case', 'c1', { actor: { type: 'user', id: 'jo@firm.law' } }));
      await audit.append(entry('q-case', 'c2', { actor: { type: 'user', id: 'Ops@BuildHost' } }));
      await audit.append(entry('q-case', 'c3', { actor: { type: 'user', id: 'sam@firm.law' } }));
      const byActor = async (actorId: string) =>
        (await audit.query({ tenant: 'q-case', actorId, limit: 50 })).records.map((r) => r.actor.id);
      expect(await byActor('Jo@Firm.LAW')).toEqual(['jo@firm.law']);
      await audit.append(entry('q-case', 'c4', { actor: { type: 'user', id: 'jos\u00e9@firm.law' } }));
      expect(await byActor('Jose\u0301@Firm.law')).toEqual(['jos\u00e9@firm.law']);
      expect(await byActor('jo@firm.law')).toEqual(['jo@firm.law']);
      expect(await byActor('Ops@BuildHost')).toEqual(['Ops@BuildHost']);
      expect(await byActor('nobody@firm.law')).toEqual([]);
    });

    it('when filtering by matter, actor, action and period, then only matching records of the tenant come back, newest first', async () => {
      expect(seqs((await audit.query({ tenant: 'q', matterNumber: '00001', limit: 50 })).records)).toEqual([
        6, 5, 4, 3, 2, 1,
      ]);
      expect(seqs((await audit.query({ tenant: 'q', actorId: 'u-2', limit: 50 })).records)).toEqual([
        12, 10, 8, 6, 4, 2,
      ]);
      expect(seqs((await audit.query({ tenant: 'q', action: 'matter.created', limit: 50 })).records)).toEqual(
        [10, 7, 4, 1],
      );
      const period = await audit.query({
        tenant: 'q',
        from: '2026-01-03T00:00:00Z',
        to: new Date('2026-01-05T10:00:00.000Z'),
        limit: 50,
      });
      expect(seqs(period.records)).toEqual([4, 3]); // from inclusive, to exclusive
      const combined = await audit.query({
        tenant: 'q',
        matterNumber: '00002',
        actorId: 'u-1',
        action: 'matter.created',
        limit: 50,
      });
      expect(seqs(combined.records)).toEqual([7]);
      expect((await audit.query({ tenant: 'nobody', limit: 50 })).records).toEqual([]);
    });

    it('when paging with a cursor, then every record comes exactly once and the last page has no cursor', async () => {
      const seen: number[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await audit.query({ tenant: 'q', limit: 5, ...(cursor ? { cursor } : {}) });
        seen.push(...seqs(page.records));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
      const filtered = await audit.query({ tenant: 'q', actorId: 'u-1', limit: 2 });
      const next = await audit.query({ tenant: 'q', actorId: 'u-1', limit: 2, cursor: filtered.nextCursor! });
      expect(seqs(next.records)).toEqual([7, 5]);
      expect((await audit.query({ tenant: 'q', limit: 12 })).nextCursor).toBeUndefined();
    });

    it("when filters arrive as URL query parameters, then they parse into a query for the caller's tenant", async () => {
      const params = auditQueryParamsSchema.parse({
        matterNumber: '00001',
        limit: '2',
        from: '2026-01-02T00:00:00Z',
      });
      const page = await audit.query({ tenant: 'q', ...params });
      expect(seqs(page.records)).toEqual([6, 5]);
      expect(() => auditQueryParamsSchema.parse({ limit: '0' })).toThrow();
      expect(() => auditQueryParamsSchema.parse({ from: 'yesterday' })).toThrow();
      expect(await audit.verify('no-such-tenant')).toMatchObject({ ok: true, records: 0 });
    });

    it('when a cursor is forged or belongs to another tenant, then it is refused', async () => {
      const page = await audit.query({ tenant: 'q', limit: 2 });
      await expect(
        audit.query({ tenant: 'other', limit: 2, cursor: page.nextCursor! }),
      ).rejects.toBeInstanceOf(InvalidCursorError);
      await expect(audit.query({ tenant: 'q', limit: 2, cursor: 'garbage' })).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
    });

    it('when an input carries content instead of references, then append refuses it', async () => {
      await expect(audit.append(entry('q', 'big', { refs: { body: 'x'.repeat(5000) } }))).rejects.toThrow();
      await expect(audit.append(entry('q', 'bad', { action: 'Created Matter' }))).rejects.toThrow();
    });
  });

  describe('retention purge', () => {
    // The records were written (as far as PostgreSQL's own clock goes) when the test's fake clock dated them.
    const purge = async () => {
      await writtenWhenDated(db.knex);
      return audit.purgeExpired();
    };

    it('when purging, then only records older than the window go, the chain still verifies and keeps growing', async () => {
      const times = [
        '2018-01-01T00:00:00.000Z', // older than 7 years
        '2019-03-14T23:59:59.999Z', // one ms before the cutoff
        '2019-03-15T00:00:00.000Z', // exactly at the cutoff: kept
        '2015-06-01T00:00:00.000Z', // old, but after a kept record in the chain (clock skew): kept
        '2024-01-01T00:00:00.000Z',
      ];
      for (const [i, t] of times.entries()) {
        at(t);
        // Records about no matter: kept for the window from their own time.
        await audit.append(
          entry('ret', `k${i}`, { target: { kind: 'api_key', ids: { apiKeyId: `k${i}` } } }),
        );
      }
      at('2026-03-15T00:00:00.000Z');
      const result = await purge();
      expect(result.cutoff).toBe('2019-03-15T00:00:00.000Z');
      const left = (await audit.query({ tenant: 'ret', limit: 50 })).records.map((r) => r.time).sort();
      expect(left).toEqual([
        '2015-06-01T00:00:00.000Z',
        '2019-03-15T00:00:00.000Z',
        '2024-01-01T00:00:00.000Z',
      ]);
      expect(await audit.verify('ret')).toMatchObject({ ok: true, records: 3 });
      await audit.append(entry('ret', 'k-after'));
      expect(await audit.verify('ret')).toMatchObject({ ok: true, records: 4 });
      // Purging again changes nothing, and recent tenants lose nothing.
      expect((await purge()).deleted).toBe(0);
      expect((await audit.query({ tenant: 'q', limit: 50 })).records).toHaveLength(12);
      expect(result.deleted).toBe(2);
    });

    it('when records are about a matter, then they are kept until the matter has been closed for the whole window', async () => {
      const about = (number: string, clioMatterId: number) => ({
        target: { kind: 'matter', matterNumber: number, ids: { clioMatterId } },
      });
      const chain: [string, string, Partial<Parameters<typeof entry>[2]>][] = [
        ['2014-01-01', 'time_entry.created', about('A', 1)],
        ['2014-02-01', 'api_key.created', { target: { kind: 'api_key', ids: { apiKeyId: 'x' } } }],
        // Named by its Clio id alone: still matter A.
        ['2014-03-01', 'time_entry.created', { target: { kind: 'activity', ids: { clioMatterId: 1 } } }],
        ['2015-01-01', 'matter.closed', about('A', 1)],
        ['2014-06-01', 'time_entry.created', about('B', 2)], // B closed, then reopened: held
        ['2015-02-01', 'matter.closed', about('B', 2)],
        ['2016-01-01', 'matter.reopened', about('B', 2)],
        ['2014-07-01', 'time_entry.created', about('C', 3)], // C closed within the window: held
        ['2024-01-01', 'matter.closed', about('C', 3)],
        ['2014-08-01', 'time_entry.created', about('D', 4)], // D never closed: held
      ];
      for (const [i, [day, action, overrides]] of chain.entries()) {
        at(`${day}T00:00:00.000Z`);
        await audit.append(entry('matters', `m${i}`, { action, ...overrides }));
      }
      at('2026-03-15T00:00:00.000Z');
      const firstPurge = await purge();
      const left = async () =>
        (await audit.query({ tenant: 'matters', limit: 50 })).records.map((r) => r.seq).sort((a, b) => a - b);
      // The closed matter A's records go (a prefix of the chain); the purge stops at B's record.
      expect(await left()).toEqual([5, 6, 7, 8, 9, 10]);
      expect(firstPurge.deleted).toBe(4);
      expect(await audit.verify('matters')).toMatchObject({ ok: true, records: 6 });

      // B closes for good long enough ago: its records go too, and the purge stops at C's.
      at('2017-01-01T00:00:00.000Z');
      await audit.append(entry('matters', 'b-closed-again', { action: 'matter.closed', ...about('B', 2) }));
      at('2026-03-15T00:00:00.000Z');
      await purge();
      expect(await left()).toEqual([8, 9, 10, 11]);
      expect(await audit.verify('matters')).toMatchObject({ ok: true, records: 4 });
    });

    it('when a matter closed under its number and Clio id is reopened under one of them, then records naming the other are kept', async () => {
      const both = { target: { kind: 'matter', matterNumber: 'R-1', ids: { clioMatterId: 77 } } };
      const chain: [string, string, Partial<Parameters<typeof entry>[2]>][] = [
        ['2014-01-01', 'document.linked', { target: { kind: 'document', matterNumber: 'R-1', ids: {} } }],
        ['2014-02-01', 'time_entry.created', { target: { kind: 'activity', ids: { clioMatterId: 77 } } }],
        ['2015-01-01', 'matter.closed', both],
        // Clio reports the reopening by the matter's id alone: the same matter, open again.
        ['2016-01-01', 'matter.reopened', { target: { kind: 'matter', ids: { clioMatterId: 77 } } }],
      ];
      for (const [i, [day, action, overrides]] of chain.entries()) {
        at(`${day}T00:00:00.000Z`);
        await audit.append(entry('reopen', `r${i}`, { action, ...overrides }));
      }
      at('2026-03-15T00:00:00.000Z');
      expect((await purge()).deleted).toBe(0);
      expect((await audit.query({ tenant: 'reopen', limit: 50 })).records).toHaveLength(4);
      expect(await audit.verify('reopen')).toMatchObject({ ok: true, records: 4 });
    });

    it('when a closed matter is written about again after a record that must stay, then its closing stays too, and all of it goes once it may', async () => {
      const about = (number: string) => ({ target: { kind: 'matter', matterNumber: number } });
      const chain: [string, string, string][] = [
        ['2014-01-01', 'matter.closed', 'M'],
        ['2014-02-01', 'time_entry.created', 'N'], // N still open in 2022: the purge stops here
        ['2014-03-01', 'time_entry.created', 'M'], // a late record about the closed M
        ['2016-01-01', 'matter.closed', 'N'],
      ];
      for (const [i, [day, action, matter]] of chain.entries()) {
        at(`${day}T00:00:00.000Z`);
        await audit.append(entry('late', `l${i}`, { action, ...about(matter) }));
      }
      const left = async () =>
        (await audit.query({ tenant: 'late', limit: 50 })).records.map((r) => r.seq).sort((a, b) => a - b);
      at('2022-06-01T00:00:00.000Z');
      await purge();
      // M's closing would go alone, and M's late record would then read as "closing not on record" for good.
      expect(await left()).toEqual([1, 2, 3, 4]);
      at('2030-06-01T00:00:00.000Z');
      await purge();
      expect(await left()).toEqual([]);
      expect(await audit.verify('late')).toMatchObject({ ok: true, records: 0 });
    });
  });
});
