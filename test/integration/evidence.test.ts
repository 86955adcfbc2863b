import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createAuditStore } from '../../src/audit';
import { ensureTemporalCli } from '../../src/dev/toolchain';
import { startSystem, waitForWorkflow, type System } from '../helpers/system';

describe('evidence and confidentiality: audit trail, encrypted history, codec server', () => {
  let sys: System;
  let matterId: string;
  beforeAll(async () => {
    sys = await startSystem();
    const dump = (await (await fetch(`${sys.clioUrl}/_sandbox/dump`)).json()) as {
      matters: { id: number }[];
    };
    matterId = String(dump.matters[3]!.id);
  });
  afterAll(async () => {
    await sys?.stop();
  });

  const secretText = `Privileged settlement strategy for Acme Widgets ${randomUUID()}`;
  let workflowId = '';

  test('when entries are recorded, then each business step leaves exactly one audit record, and the chain verifies', async () => {
    const res = await fetch(`${sys.api.url}/v1/time-entries`, {
      method: 'POST',
      headers: { authorization: 'Bearer sandbox-paralegal', 'content-type': 'application/json' },
      body: JSON.stringify({
        entries: [
          { matterId, date: '2026-11-12', durationSeconds: 900, description: secretText },
          { matterId, date: '2026-11-12', durationSeconds: 300, description: `${secretText} (follow-up)` },
          {
            matterId: '999999999',
            date: '2026-11-12',
            durationSeconds: 300,
            description: 'on a matter Clio does not have',
          },
        ],
      }),
    });
    ({ workflowId } = (await res.json()) as { workflowId: string });
    const run = await waitForWorkflow(sys.api.url, `/v1/workflows/${workflowId}`);
    expect(run.status).toBe('FAILED');

    const page = (await (
      await fetch(`${sys.api.url}/v1/audit?workflowId=${encodeURIComponent(workflowId)}`, {
        headers: { authorization: 'Bearer sandbox-admin' },
      })
    ).json()) as {
      data: {
        action: string;
        outcome: string;
        actor: { apiKeyId?: string };
        target: { ids: Record<string, unknown> };
        dataHash?: string;
      }[];
    };
    expect(page.data.map((r) => `${r.action}:${r.outcome}`).sort()).toEqual([
      'time_entry.created:succeeded',
      'time_entry.created:succeeded',
      'time_entry.rejected:failed',
    ]);
    expect(page.data.every((r) => r.actor.apiKeyId === 'sandbox-paralegal')).toBe(true);
    expect(JSON.stringify(page)).not.toContain('Privileged');
    expect(page.data.every((r) => /^[0-9a-f]{64}$/.test(r.dataHash ?? ''))).toBe(true);
    expect((await createAuditStore(sys.db).verify('sandbox')).ok).toBe(true);
    expect(
      (await fetch(`${sys.api.url}/v1/audit`, { headers: { authorization: 'Bearer sandbox-attorney' } }))
        .status,
    ).toBe(403);
  });

  test('when the run is read with `temporal workflow show`, then Temporal holds only ciphertext; the codec server decodes it', async () => {
    const address = (sys.env.connection as unknown as { options: { address: string } }).options.address;
    const shown = execFileSync(
      ensureTemporalCli(process.env, false),
      ['workflow', 'show', '--address', address, '-w', workflowId, '--output', 'json'],
      { encoding: 'utf8' },
    );
    const b64 = Buffer.from(secretText.slice(0, 24)).toString('base64').slice(0, 20);
    expect(shown).not.toContain('Privileged');
    expect(shown).not.toContain(b64);
    expect(shown).not.toContain('were not recorded in Clio');
    expect(shown).toContain(Buffer.from('binary/encrypted').toString('base64'));

    const history = JSON.parse(shown) as {
      events: { workflowExecutionStartedEventAttributes?: { input: { payloads: unknown[] } } }[];
    };
    const payloads = history.events[0]!.workflowExecutionStartedEventAttributes!.input.payloads;
    const decoded = await fetch(`${sys.api.url}/codec/decode`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: 'http://127.0.0.1:8233',
        'x-namespace': 'default',
      },
      body: JSON.stringify({ payloads }),
    });
    expect(decoded.status).toBe(200);
    expect(decoded.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8233');
    const plain = (await decoded.json()) as { payloads: { data: string }[] };
    expect(Buffer.from(plain.payloads[0]!.data, 'base64').toString()).toContain(secretText);
  });
});
