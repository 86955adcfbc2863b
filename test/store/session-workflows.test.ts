import { randomBytes } from 'node:crypto';
import { createSessionStore, createSessionWorkflowRecords, sessionReading } from '../../src/sessions';
import { type SessionLink } from '../../src/sessions/session-link';
import { createDatabase, type Database } from '../../src/store/database';
import { testDialects } from './dialects';

const ENDED_AT = new Date('2026-11-20T09:00:00.000Z');
const terminated = (chain: string | undefined) => ({
  chain,
  status: 'TERMINATED',
  reason: 'The session workflow ended (TERMINATED); POST .../session/retry starts a new one',
  at: ENDED_AT,
});

/** A link to a Temporal that has no session workflow for any tenant (never started, or forgotten). */
const forgettingLink: SessionLink = {
  ensure: () => Promise.reject(new Error('not asked here')),
  reportExpired: () => Promise.reject(new Error('not asked here')),
  retry: () => Promise.reject(new Error('not asked here')),
  state: () => Promise.resolve(undefined),
};

/**
 * What the service remembers of each tenant's session workflow, which must outlive Temporal's retention: every
 * process of the service reads and writes it, on SQLite and PostgreSQL alike.
 */
describe.each(testDialects())('session workflow records on $name', (dialect) => {
  let url: string;
  let db: Database;
  beforeAll(async () => {
    url = await dialect.setup();
    db = await createDatabase(url);
  });
  afterAll(async () => {
    await db?.close();
    await dialect.teardown();
  });
  /** Another process of the service: its own records object over the same database. */
  const process = () => createSessionWorkflowRecords(db.knex);

  test('when nothing was ever known of a tenant, then there is no record, and the tenant reads as never started', async () => {
    expect(await process().lastWorkflow('t-none')).toBeUndefined();
    expect(await sessionReading({ link: forgettingLink, store: process() }, 't-none')).toBeUndefined();
  });

  test('when a running chain was seen and then its end, then the end is kept with its status, reason and time, and a late look that saw it running does not undo it', async () => {
    const a = process();
    await a.noteRunning('t-end', 'chain-1');
    expect(await a.lastWorkflow('t-end')).toMatchObject({ chain: 'chain-1', ended: undefined });
    await process().noteEnded('t-end', terminated('chain-1'));
    // A look of another process that saw chain-1 running before it ended lands after the end was recorded.
    await process().noteRunning('t-end', 'chain-1');
    await a.noteRunning('t-end', 'chain-1');
    expect(await a.lastWorkflow('t-end')).toEqual({
      chain: 'chain-1',
      ended: {
        status: 'TERMINATED',
        reason: 'The session workflow ended (TERMINATED); POST .../session/retry starts a new one',
        at: ENDED_AT,
      },
      updatedAt: expect.any(Date) as Date,
    });
    // The first end recorded stays: "found gone" later says less than what was seen.
    await process().noteEnded('t-end', { ...terminated('chain-1'), status: 'NOT_FOUND', reason: 'gone' });
    expect((await a.lastWorkflow('t-end'))?.ended?.status).toBe('TERMINATED');
  });

  test('when a retry starts a new chain while another process records the old chain ending, then the new chain stands in either order', async () => {
    // The retry's record lands first, the late end second.
    await process().noteEnded('t-race', terminated('chain-1'));
    await process().noteRunning('t-race', 'chain-2');
    await process().noteEnded('t-race', terminated('chain-1'));
    expect(await process().lastWorkflow('t-race')).toMatchObject({ chain: 'chain-2', ended: undefined });
    // The end lands first: the retry's new chain replaces it.
    await process().noteEnded('t-race2', terminated('chain-1'));
    await process().noteRunning('t-race2', 'chain-2');
    expect(await process().lastWorkflow('t-race2')).toMatchObject({ chain: 'chain-2', ended: undefined });
    // And when the new chain ends too, that end is recorded.
    await process().noteEnded('t-race2', { ...terminated('chain-2'), status: 'FAILED' });
    expect(await process().lastWorkflow('t-race2')).toMatchObject({
      chain: 'chain-2',
      ended: { status: 'FAILED' },
    });
  });

  test('when Temporal has forgotten a session workflow the service knew, then the tenant reads as failed with the end it saw, or "ended unseen" when it saw none', async () => {
    const seen = process();
    await seen.noteRunning('t-seen', 'chain-1');
    await seen.noteEnded('t-seen', terminated('chain-1'));
    expect(await sessionReading({ link: forgettingLink, store: seen }, 't-seen')).toEqual({
      tenant: 't-seen',
      state: 'failed',
      since: ENDED_AT.toISOString(),
      reason: 'The session workflow ended (TERMINATED); POST .../session/retry starts a new one',
    });

    const unseen = process();
    await unseen.noteRunning('t-unseen', 'chain-9');
    const first = await sessionReading({ link: forgettingLink, store: unseen }, 't-unseen');
    expect(first).toMatchObject({ state: 'failed', reason: expect.stringMatching(/no longer keeps it/) });
    // Recorded when first found gone: later readings, in any process, say the same.
    expect(await sessionReading({ link: forgettingLink, store: process() }, 't-unseen')).toEqual(first);
    expect(await unseen.lastWorkflow('t-unseen')).toMatchObject({
      chain: 'chain-9',
      ended: { status: 'NOT_FOUND' },
    });
  });

  test('when a sign-in is saved, then "a session workflow ran" is recorded where nothing was, an end already recorded stays, and no session material goes into the record', async () => {
    const store = createSessionStore(db.knex, randomBytes(32));
    const material = {
      cookies: [
        { name: '_session_id', value: 'cookie-secret-4711', domain: '127.0.0.1', path: '/', expires: -1 },
      ],
      csrfToken: 'csrf-secret-0815',
      signedInAt: '2026-11-26T00:00:00.000Z',
    };
    await store.saveMaterial('t-signed', 1, material);
    expect(await store.lastWorkflow('t-signed')).toMatchObject({ chain: undefined, ended: undefined });
    // A chain seen later takes the unknown one's place, and its end is recorded over it.
    await store.noteEnded('t-signed', terminated('chain-5'));
    expect(await store.lastWorkflow('t-signed')).toMatchObject({
      chain: 'chain-5',
      ended: { status: 'TERMINATED' },
    });
    // The sign-in activity of the ended workflow (still running as it ended) saves once more.
    await store.saveMaterial('t-signed', 2, material);
    expect(await store.lastWorkflow('t-signed')).toMatchObject({ ended: { status: 'TERMINATED' } });
    const rows = JSON.stringify(await db.knex('portal_session_workflows').select());
    expect(rows).not.toContain('cookie-secret-4711');
    expect(rows).not.toContain('csrf-secret-0815');
  });

  test('when a second process opens the store, then the migration does not run again and the records stay', async () => {
    await process().noteRunning('t-reopen', 'chain-1');
    const again = await createDatabase(url);
    try {
      expect(await createSessionWorkflowRecords(again.knex).lastWorkflow('t-reopen')).toMatchObject({
        chain: 'chain-1',
      });
    } finally {
      await again.close();
    }
  });
});
