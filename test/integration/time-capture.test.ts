import { randomUUID } from 'node:crypto';
import { TenantId } from '../../workflows/shared/search-attributes';
import { startSystem, waitForWorkflow, type System } from '../helpers/system';

interface ClioActivityRecord {
  id: number;
  note: string;
  quantity: number;
  date: string;
  matter: { id: number } | null;
  user: { id: number } | null;
}

describe('time capture over HTTP: API → Temporal → worker → Clio sandbox', () => {
  let sys: System;
  let matterId: string;
  let userId: string;

  beforeAll(async () => {
    sys = await startSystem();
    const dump = await sandboxDump();
    const matter = (dump.matters as { id: number; status: string }[]).find((m) => m.status === 'Open')!;
    matterId = String(matter.id);
    userId = String((dump.users as { id: number }[])[0]!.id);
  });
  afterAll(async () => {
    await sys?.stop();
  });

  async function sandboxDump(): Promise<Record<string, unknown[]>> {
    return (await (await fetch(`${sys.clioUrl}/_sandbox/dump`)).json()) as Record<string, unknown[]>;
  }
  async function activitiesWithNote(fragment: string): Promise<ClioActivityRecord[]> {
    return ((await sandboxDump()).activities as ClioActivityRecord[]).filter((a) =>
      a.note?.includes(fragment),
    );
  }
  function post(
    body: unknown,
    opts: { key?: string; idempotencyKey?: string; contentType?: string; raw?: string } = {},
  ) {
    return fetch(`${sys.api.url}/v1/time-entries`, {
      method: 'POST',
      headers: {
        'content-type': opts.contentType ?? 'application/json',
        ...(opts.key === '' ? {} : { authorization: `Bearer ${opts.key ?? 'sandbox-attorney'}` }),
        ...(opts.idempotencyKey ? { 'idempotency-key': opts.idempotencyKey } : {}),
      },
      body: opts.raw ?? JSON.stringify(body),
    });
  }
  async function timeCaptureRuns(): Promise<number> {
    let n = 0;
    for await (const _ of sys.env.client.workflow.list({ query: `WorkflowType = 'timeCapture'` })) n++;
    return n;
  }

  test('when an attorney posts entries, then each appears in Clio exactly once and the run reports their ids', async () => {
    const tag = randomUUID();
    const res = await post({
      entries: [
        {
          matterId,
          date: '2026-11-02',
          durationSeconds: 1800,
          description: `Drafted motion ${tag}`,
          userId,
          taskCode: 'L210',
          activityCode: 'A103',
        },
        {
          matterId,
          date: '2026-11-03',
          durationSeconds: 420,
          description: `Client call ${tag}`,
          documentId: 'ACTIVE!1234.2',
        },
      ],
    });
    expect(res.status).toBe(202);
    const started = (await res.json()) as { workflowId: string; runId: string; statusUrl: string };
    expect(started.statusUrl).toBe(`/v1/workflows/${started.workflowId}`);

    const run = (await waitForWorkflow(sys.api.url, started.statusUrl)) as {
      status: string;
      type: string;
      result: { created: { index: number; clioActivityId: string }[] };
    };
    expect(run.status).toBe('COMPLETED');
    expect(run.type).toBe('timeCapture');
    const stored = await activitiesWithNote(tag);
    expect(stored).toHaveLength(2);
    expect(run.result.created.map((c) => c.clioActivityId).sort()).toEqual(
      stored.map((a) => String(a.id)).sort(),
    );
    const drafted = stored.find((a) => a.note.startsWith('Drafted'))!;
    expect(drafted.quantity).toBe(1800);
    expect(drafted.matter?.id).toBe(Number(matterId));
    expect(stored.find((a) => a.note.startsWith('Client call'))!.note).toContain('[iManage ACTIVE!1234.2]');

    const description = await sys.env.client.workflow.getHandle(started.workflowId).describe();
    expect(description.typedSearchAttributes.get(TenantId)).toBe('sandbox');
  });

  test('when Clio stores each write but drops the answer, then retries find it and nothing is created twice', async () => {
    const tag = randomUUID();
    await fetch(`${sys.clioUrl}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ commitThenDropRate: 1 }),
    });
    try {
      const same = {
        matterId,
        date: '2026-11-04',
        durationSeconds: 360,
        description: `Same entry ${tag}`,
        userId,
      };
      const res = await post({ entries: [same, same, { ...same, durationSeconds: 720 }] });
      expect(res.status).toBe(202);
      const { statusUrl } = (await res.json()) as { statusUrl: string };
      const run = (await waitForWorkflow(sys.api.url, statusUrl)) as {
        status: string;
        result: { created: { clioActivityId: string; recovered: boolean }[] };
      };
      expect(run.status).toBe('COMPLETED');
      expect(run.result.created.every((c) => c.recovered)).toBe(true);
      const stored = await activitiesWithNote(tag);
      // Two identical entries were asked for, and two exist: told apart by rank, neither lost nor doubled.
      expect(stored.filter((a) => a.quantity === 360)).toHaveLength(2);
      expect(stored.filter((a) => a.quantity === 720)).toHaveLength(1);
      expect(new Set(run.result.created.map((c) => c.clioActivityId)).size).toBe(3);
    } finally {
      await fetch(`${sys.clioUrl}/_sandbox/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ commitThenDropRate: 0 }),
      });
    }
  });

  const faults = (f: Record<string, unknown>) =>
    fetch(`${sys.clioUrl}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(f),
    });
  const finished = async (res: Response) => {
    const { statusUrl } = (await res.json()) as { statusUrl: string };
    return (await waitForWorkflow(sys.api.url, statusUrl)) as {
      status: string;
      result?: { created: { index: number; clioActivityId: string; recovered: boolean }[] };
      failure?: unknown;
    };
  };

  test("when a retry meets another request's identical entry in Clio, then it does not take it for its own", async () => {
    const tag = randomUUID();
    const entry = { matterId, date: '2026-11-06', durationSeconds: 360, description: `Twice ${tag}`, userId };
    const first = await finished(await post({ entries: [entry] }, { idempotencyKey: `first-${tag}` }));
    expect(first.status).toBe('COMPLETED');
    // The same work recorded again on purpose, under a new key; its first attempt fails before Clio writes.
    const errorsBefore = (await (await fetch(`${sys.clioUrl}/_sandbox/stats`)).json()) as {
      byStatus: Record<string, number>;
    };
    await faults({ errorRate: 1 });
    const second = await post({ entries: [entry] }, { idempotencyKey: `second-${tag}` });
    try {
      // Until the first attempt has failed: without it no retry happens, and the test would pass vacuously.
      const deadline = Date.now() + 30_000;
      for (;;) {
        const stats = (await (await fetch(`${sys.clioUrl}/_sandbox/stats`)).json()) as {
          byStatus: Record<string, number>;
        };
        // The fault answers 500 or 503 at random: either is a failed first attempt.
        const faulted = (s: { byStatus: Record<string, number> }) =>
          (s.byStatus['500'] ?? 0) + (s.byStatus['503'] ?? 0);
        if (faulted(stats) > faulted(errorsBefore)) break;
        if (Date.now() > deadline) throw new Error('the second run never reached Clio while it answered 5xx');
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await faults({ errorRate: 0 });
    }
    const run = await finished(second);
    expect(run.status).toBe('COMPLETED');
    const stored = await activitiesWithNote(tag);
    expect(stored).toHaveLength(2);
    expect(run.result!.created[0]!.clioActivityId).not.toBe(first.result!.created[0]!.clioActivityId);
  });

  test('when answers are dropped, then entries told apart only by their document, or after an earlier one failed, are each written once', async () => {
    const tag = randomUUID();
    const base = { matterId, date: '2026-11-07', durationSeconds: 600, description: `Docs ${tag}`, userId };
    await faults({ commitThenDropRate: 1 });
    try {
      const byDocument = await finished(
        await post({
          entries: [
            { ...base, documentId: 'ACTIVE!1001.1' },
            { ...base, documentId: 'ACTIVE!1002.1' },
          ],
        }),
      );
      expect(byDocument.status).toBe('COMPLETED');
      const docs = await activitiesWithNote(`Docs ${tag}`);
      expect(docs.map((a) => a.note).sort()).toEqual([
        `Docs ${tag} [iManage ACTIVE!1001.1]`,
        `Docs ${tag} [iManage ACTIVE!1002.1]`,
      ]);

      const afterFailure = await finished(
        await post({
          entries: [
            { ...base, description: `Codes ${tag}`, taskCode: 'L999' },
            { ...base, description: `Codes ${tag}`, taskCode: 'L110' },
          ],
        }),
      );
      expect(afterFailure.status).toBe('FAILED');
      expect(await activitiesWithNote(`Codes ${tag}`)).toHaveLength(1);
    } finally {
      await faults({ commitThenDropRate: 0 });
    }
  });

  test('when the same Idempotency-Key is sent again, then the first answer comes back; with another body, 409', async () => {
    const key = randomUUID();
    const body = {
      entries: [{ matterId, date: '2026-11-05', durationSeconds: 60, description: `Idem ${key}` }],
    };
    const first = await post(body, { idempotencyKey: key });
    const second = await post(body, { idempotencyKey: key });
    expect(second.status).toBe(first.status);
    expect(await second.json()).toEqual(await first.json());
    const conflict = await post(
      { entries: [{ ...body.entries[0], durationSeconds: 120 }] },
      { idempotencyKey: key },
    );
    expect(conflict.status).toBe(409);
    expect(((await conflict.json()) as { error: { code: string } }).error.code).toBe(
      'idempotency_key_reused',
    );
  });

  test("when a key's stored answer is gone (expired, or raced by another body), the workflow itself still tells the bodies apart: another body is a 409 and starts nothing, the same body finds the same run", async () => {
    const key = randomUUID();
    const body = {
      entries: [{ matterId, date: '2026-11-05', durationSeconds: 60, description: `Memo ${key}` }],
    };
    const starts = async () =>
      Number(
        /workflow_starts_total\{type="timeCapture"\} (\d+)/.exec(
          await (await fetch(`${sys.api.url}/metrics`)).text(),
        )?.[1] ?? 0,
      );
    const first = await post(body, { idempotencyKey: key });
    expect(first.status).toBe(202);
    const { workflowId, runId } = (await first.json()) as { workflowId: string; runId: string };
    const startsAfterFirst = await starts();

    await sys.db.knex('idempotency_keys').where({ key }).delete();
    const other = await post(
      { entries: [{ ...body.entries[0]!, durationSeconds: 120 }] },
      { idempotencyKey: key },
    );
    expect(other.status).toBe(409);
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe('idempotency_key_reused');

    await sys.db.knex('idempotency_keys').where({ key }).delete();
    const same = await post(body, { idempotencyKey: key });
    expect(same.status).toBe(202);
    expect(await same.json()).toMatchObject({ workflowId, runId });
    expect(await starts()).toBe(startsAfterFirst);
  });

  test.each([
    [
      'unknown field',
      {
        entries: [
          { matterId: '1', date: '2026-11-02', durationSeconds: 60, description: 'x', billable: true },
        ],
      },
      'body.entries.0.billable',
    ],
    [
      'wrong type',
      { entries: [{ matterId: '1', date: '2026-11-02', durationSeconds: '60', description: 'x' }] },
      'body.entries.0.durationSeconds',
    ],
    ['empty list', { entries: [] }, 'body.entries'],
    [
      'more than 500 entries',
      {
        entries: Array.from({ length: 501 }, () => ({
          matterId: '1',
          date: '2026-11-02',
          durationSeconds: 60,
          description: 'x',
        })),
      },
      'body.entries',
    ],
    [
      'negative duration',
      { entries: [{ matterId: '1', date: '2026-11-02', durationSeconds: -5, description: 'x' }] },
      'body.entries.0.durationSeconds',
    ],
    [
      'zero duration',
      { entries: [{ matterId: '1', date: '2026-11-02', durationSeconds: 0, description: 'x' }] },
      'body.entries.0.durationSeconds',
    ],
    [
      'unparseable date',
      { entries: [{ matterId: '1', date: 'yesterday', durationSeconds: 60, description: 'x' }] },
      'body.entries.0.date',
    ],
    [
      'missing description',
      { entries: [{ matterId: '1', date: '2026-11-02', durationSeconds: 60 }] },
      'body.entries.0.description',
    ],
    [
      'top-level unknown field',
      {
        entries: [{ matterId: '1', date: '2026-11-02', durationSeconds: 60, description: 'x' }],
        dryRun: true,
      },
      'body.dryRun',
    ],
  ])('when the body has %s, then 400 names the field and nothing starts', async (_name, body, field) => {
    const before = await timeCaptureRuns();
    const res = await post(body);
    expect(res.status).toBe(400);
    const answer = (await res.json()) as {
      error: { code: string; details: { fields: { field: string; reason: string }[] } };
    };
    expect(answer.error.code).toBe('invalid_request');
    expect(answer.error.details.fields.map((f) => f.field)).toContain(field);
    expect(await timeCaptureRuns()).toBe(before);
  });

  test('when the API key is missing or unknown, or the body is not JSON, then a clear 4xx and nothing starts', async () => {
    const body = { entries: [{ matterId, date: '2026-11-02', durationSeconds: 60, description: 'x' }] };
    const before = await timeCaptureRuns();
    expect((await post(body, { key: '' })).status).toBe(401);
    expect((await post(body, { key: 'not-a-key' })).status).toBe(401);
    expect((await post(body, { key: 'sandbox-billing' })).status).toBe(403);
    const badJson = await post(undefined, { raw: '{"entries": [' });
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as { error: { code: string } }).error.code).toBe('invalid_json');
    expect(
      (await post(undefined, { raw: 'entries=1', contentType: 'application/x-www-form-urlencoded' })).status,
    ).toBe(415);
    expect(await timeCaptureRuns()).toBe(before);
  });

  test('when every task queue has a polling worker, then /readyz is 200 and lists them', async () => {
    const res = await fetch(`${sys.api.url}/readyz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ready: boolean; taskQueues: { name: string; pollers: number }[] };
    expect(body.taskQueues.map((q) => q.name).sort()).toEqual([
      'clio-api',
      'clio-browser',
      'clio-orchestrator',
    ]);
    expect(body.taskQueues.every((q) => q.pollers > 0)).toBe(true);
  });

  test('when a workflow id is unknown, then 404', async () => {
    const res = await fetch(`${sys.api.url}/v1/workflows/timeCapture-sandbox-nope`, {
      headers: { authorization: 'Bearer sandbox-admin' },
    });
    expect(res.status).toBe(404);
  });
});
