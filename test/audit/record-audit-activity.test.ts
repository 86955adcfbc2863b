import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createAuditActivities, type RecordAuditInput } from '../../activities/audit';
import { createAuditStore, type AuditStore } from '../../src/audit';
import { createDatabase, type Database } from '../../src/store';
import { testDialects } from '../store/dialects';

describe.each(testDialects().filter((d) => d.name === 'sqlite'))(
  'recordAudit activity on $name',
  (dialect) => {
    let db: Database;
    let audit: AuditStore;
    beforeAll(async () => {
      db = await createDatabase(await dialect.setup());
      audit = createAuditStore(db);
    });
    afterAll(async () => {
      await db?.close();
      await dialect.teardown();
    });

    const input = (over: Partial<RecordAuditInput> = {}): RecordAuditInput => ({
      tenant: 'act',
      actor: { type: 'api_key', id: 'key-1', role: 'paralegal', apiKeyId: 'key-1' },
      action: 'time_entry.created',
      target: { kind: 'clio_time_entry', ids: { clioActivityId: 7, clioMatterId: 3 } },
      step: 'entry-0.created',
      outcome: 'succeeded',
      data: { hours: 1.5, note: 'Call with client' },
      ...over,
    });

    it('when a step is retried it appends once; when the step key comes with another act, it fails for good', async () => {
      const env = new MockActivityEnvironment();
      const activities = createAuditActivities({ audit });
      const recordAudit = (i: RecordAuditInput) => activities.recordAudit(i);
      const first = await env.run(recordAudit, input());
      expect(await env.run(recordAudit, input())).toEqual(first);
      const conflict = await env.run(recordAudit, input({ outcome: 'failed' })).catch((err: unknown) => err);
      expect(conflict).toBeInstanceOf(ApplicationFailure);
      expect(conflict).toMatchObject({ type: 'AuditRecordConflict', nonRetryable: true });
      expect((await audit.query({ tenant: 'act' })).records).toHaveLength(1);
    });
  },
);
