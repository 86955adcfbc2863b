import { randomUUID } from 'node:crypto';
import { ClioMatterId, MatterNumber, TenantId } from '../../workflows/shared/search-attributes';
import { startSystem, waitForWorkflow, type System } from '../helpers/system';

interface SandboxMatter {
  id: number;
  display_number: string;
  status: string;
}

/**
 * What a firm sees in the Temporal UI and CLI: a time-capture run of one matter carries the matter's display number
 * as Clio answers it (sandbox, worker, API and a real Temporal dev server, end to end).
 */
describe('timeCapture search attributes: MatterNumber from Clio, end to end', () => {
  let sys: System;
  let matters: SandboxMatter[];

  beforeAll(async () => {
    sys = await startSystem();
    const dump = (await (await fetch(`${sys.clioUrl}/_sandbox/dump`)).json()) as { matters: SandboxMatter[] };
    matters = dump.matters.filter((m) => m.status === 'Open' && m.display_number).slice(0, 2);
    expect(matters).toHaveLength(2);
  });
  afterAll(async () => {
    await sys?.stop();
  });

  const faults = (f: Record<string, unknown>) =>
    fetch(`${sys.clioUrl}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(f),
    });

  async function capture(entries: { matterId: string; description: string }[]) {
    const res = await fetch(`${sys.api.url}/v1/time-entries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sandbox-attorney' },
      body: JSON.stringify({
        entries: entries.map((e) => ({ ...e, date: '2026-11-09', durationSeconds: 600 })),
      }),
    });
    expect(res.status).toBe(202);
    const { workflowId, statusUrl } = (await res.json()) as { workflowId: string; statusUrl: string };
    const run = (await waitForWorkflow(sys.api.url, statusUrl)) as {
      status: string;
      result?: { created: { recovered: boolean }[] };
    };
    const attrs = (await sys.temporal.workflow.getHandle(workflowId).describe()).typedSearchAttributes;
    return { workflowId, run, attrs };
  }

  /** The runs a visibility query finds, waited for a while: visibility is written after the run's own state. */
  async function findRuns(query: string, expected: string): Promise<string[]> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const ids: string[] = [];
      for await (const w of sys.temporal.workflow.list({ query })) ids.push(w.workflowId);
      if (ids.includes(expected) || Date.now() > deadline) return ids;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  test("when every entry is for one matter, then the run carries the matter's display number and id, and a query by the number finds it", async () => {
    const [matter] = matters;
    const tag = randomUUID();
    const { workflowId, run, attrs } = await capture([
      { matterId: String(matter!.id), description: `Numbered ${tag}` },
      { matterId: String(matter!.id), description: `Numbered again ${tag}` },
    ]);
    expect(run.status).toBe('COMPLETED');
    expect(attrs.get(MatterNumber)).toBe(matter!.display_number);
    expect(attrs.get(ClioMatterId)).toBe(matter!.id);
    expect(attrs.get(TenantId)).toBe('sandbox');
    const query = `MatterNumber = "${matter!.display_number.replace(/"/g, '\\"')}" AND TenantId = "sandbox"`;
    expect(await findRuns(query, workflowId)).toContain(workflowId);
  });

  test('when every write is stored but its answer dropped, then the retries that find them in Clio still bring the number', async () => {
    const [matter] = matters;
    await faults({ commitThenDropRate: 1 });
    try {
      const { run, attrs } = await capture([
        { matterId: String(matter!.id), description: `Dropped answer ${randomUUID()}` },
      ]);
      expect(run.status).toBe('COMPLETED');
      expect(run.result?.created.map((c) => c.recovered)).toEqual([true]);
      expect(attrs.get(MatterNumber)).toBe(matter!.display_number);
    } finally {
      await faults({ commitThenDropRate: 0 });
    }
  });

  test('when the entries are for two matters, then the run carries neither MatterNumber nor ClioMatterId', async () => {
    const tag = randomUUID();
    const { run, attrs } = await capture(
      matters.map((m) => ({ matterId: String(m.id), description: `Two matters ${tag}` })),
    );
    expect(run.status).toBe('COMPLETED');
    expect(attrs.get(MatterNumber)).toBeUndefined();
    expect(attrs.get(ClioMatterId)).toBeUndefined();
    expect(attrs.get(TenantId)).toBe('sandbox');
  });
});
