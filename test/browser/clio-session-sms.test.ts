import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { createAuditStore } from '../../src/audit';
import { ensureTemporalCli } from '../../src/dev/toolchain';
import { clioSessionWorkflowId, reauthenticateSignal } from '../../workflows/shared/session-messages';
import {
  api,
  startSessionSystem,
  waitForSession,
  newestCode,
  outboxSize,
  type SessionSystem,
} from './session-system';

const TENANT = 'sandbox';
const MFA = `/v1/tenants/${TENANT}/session/mfa`;

describe('Clio portal session with SMS codes from a person (real Chromium, real Temporal)', () => {
  let sys: SessionSystem;
  let cli: string;
  let address: string;
  const usedCodes: string[] = [];

  beforeAll(async () => {
    sys = await startSessionSystem({
      CLIO_PORTAL_USERNAME: 'clerk@sandbox.test',
      CLIO_PORTAL_TOTP_SECRET: '',
    });
    cli = ensureTemporalCli(process.env, false);
    address = (sys.env.connection as unknown as { options: { address: string } }).options.address;
  });
  afterAll(async () => {
    await sys?.stop();
  });

  /** The tenant's audit records of one action, oldest first. */
  const recorded = async (action: string) =>
    (await createAuditStore(sys.db).query({ tenant: TENANT, action, limit: 50 })).records.reverse();

  const signalCount = async () => {
    const history = await sys.env.client.workflow.getHandle(clioSessionWorkflowId(TENANT)).fetchHistory();
    return (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes).length;
  };

  /** The session's history as `temporal workflow show` prints it, plus every base64 string in it decoded. */
  const storedHistory = (): string => {
    const args = ['workflow', 'show', '--address', address, '--namespace', 'default'];
    const shown = execFileSync(
      cli,
      [...args, '--workflow-id', clioSessionWorkflowId(TENANT), '--output', 'json'],
      {
        encoding: 'utf8',
      },
    );
    // Payloads are printed base64-encoded: decode them, so a check for plain text cannot pass vacuously.
    const decoded = [...shown.matchAll(/"([A-Za-z0-9+/]{8,}={0,2})"/g)].map((m) =>
      Buffer.from(m[1]!, 'base64').toString('utf8'),
    );
    return `${shown}\n${decoded.join('\n')}`;
  };

  test('when no session runs yet, then a code is refused with 409 and nothing starts', async () => {
    const res = await api(sys, 'POST', MFA, { code: '123456' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('session_not_awaiting_mfa');
    expect((await api(sys, 'GET', `/v1/tenants/${TENANT}/session`)).body.state).toBe('not_started');
  });

  test('when the session waits for an SMS code, then bad input is refused with a clear 4xx and nothing is signalled', async () => {
    await sys.link.ensure(TENANT);
    expect(await waitForSession(sys, (v) => v.state === 'awaiting_mfa')).toMatchObject({
      state: 'awaiting_mfa',
      prompts: 1,
      attempts: 0,
    });
    expect(
      (await api(sys, 'GET', `/v1/tenants/${TENANT}/session`, undefined, 'sandbox-paralegal')).body.state,
    ).toBe('awaiting_mfa');
    const before = await signalCount();
    for (const body of [
      { code: '12345' },
      { code: '1234567' },
      { code: 'abcdef' },
      { code: 123456 },
      {},
      { code: '123456', extra: 1 },
    ]) {
      const res = await api(sys, 'POST', MFA, body);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.error.details.fields)).toMatch(/body\.(code|extra)/);
    }
    expect((await api(sys, 'POST', '/v1/tenants/otherfirm/session/mfa', { code: '123456' })).status).toBe(
      404,
    );
    expect((await api(sys, 'GET', '/v1/tenants/otherfirm/session')).status).toBe(404);
    expect((await api(sys, 'POST', MFA, { code: '123456' }, 'sandbox-billing')).status).toBe(403);
    expect(await signalCount()).toBe(before);
  });

  test('when a wrong code comes first, then the session waits again with the attempt counted, and the SMS code from the outbox signs in', async () => {
    const code = await newestCode(sys, 0);
    const wrong = code === '918273' ? '918274' : '918273';
    usedCodes.push(wrong, code);
    expect((await api(sys, 'POST', MFA, { code: wrong }, 'sandbox-paralegal')).status).toBe(202);
    const again = await waitForSession(sys, (v) => v.state === 'awaiting_mfa' && v.attempts === 1);
    expect(again.reason).toMatch(/not accepted/);
    const res = await api(sys, 'POST', MFA, { code });
    expect(res).toMatchObject({ status: 202, body: { tenant: TENANT, accepted: true } });
    expect(await waitForSession(sys, (v) => v.state === 'active')).toMatchObject({
      state: 'active',
      generation: 1,
      attempts: 2,
    });
    // Not waiting any more: a further code is refused, nothing signalled.
    const before = await signalCount();
    expect((await api(sys, 'POST', MFA, { code })).status).toBe(409);
    expect(await signalCount()).toBe(before);
    // Used codes are not kept in the store.
    expect(await sys.db.knex('portal_mfa_codes').count({ n: '*' })).toEqual([{ n: 0 }]);
    // Who handed in a code, each time it was passed on; the refused one is no act.
    expect((await recorded('session.mfa_supplied')).map((r) => [r.actor.type, r.actor.id])).toEqual([
      ['user', 'paralegal@sandbox.test'],
      ['user', 'admin@sandbox.test'],
    ]);
  });

  test('when the history and the logs are read, then no password, TOTP secret, MFA code, cookie or CSRF token is in them', async () => {
    const stored = await sys.store.loadMaterial(TENANT);
    const secrets = [
      'sandbox-password',
      'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
      ...usedCodes,
      stored!.material.csrfToken,
      ...stored!.material.cookies.map((c) => c.value),
    ];
    const history = storedHistory();
    expect(history).toContain('mfaCode');
    // Readable payloads (no codec) or encrypted ones (codec): either way the check below looks at what is stored.
    expect(history).toMatch(/mfa_required|binary\/encrypted/);
    const logs = sys.logs.join('');
    expect(logs).toMatch(/needs an MFA code/);
    const trail = JSON.stringify(await recorded('session.mfa_supplied'));
    expect(trail).toContain('session.mfa_supplied');
    for (const code of usedCodes) expect(trail).not.toContain(code);
    for (const secret of secrets.filter((x) => !usedCodes.includes(x))) {
      expect(history).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
    // Six-digit codes could occur inside longer digit runs (nanosecond times): only a standalone one counts.
    for (const code of usedCodes) {
      const standalone = new RegExp(`(?<![0-9])${code}(?![0-9])`);
      expect(history).not.toMatch(standalone);
      expect(logs).not.toMatch(standalone);
    }
  });

  test('when a person signals the code with the Temporal CLI, then the session signs in with it', async () => {
    const sent = await outboxSize(sys);
    const handle = sys.env.client.workflow.getHandle(clioSessionWorkflowId(TENANT));
    await handle.signal(reauthenticateSignal, { generation: 1 });
    expect(await waitForSession(sys, (v) => v.state === 'awaiting_mfa')).toMatchObject({
      generation: 2,
      prompts: 1,
    });
    const code = await newestCode(sys, sent);
    // The README's command: the CLI encodes the input through the API's codec server, so history holds ciphertext.
    // Asynchronously: the codec server answers from this very process.
    await promisify(execFile)(cli, [
      'workflow',
      'signal',
      '--codec-endpoint',
      `${sys.api.url}/codec`,
      '--address',
      address,
      '--namespace',
      'default',
      '--workflow-id',
      clioSessionWorkflowId(TENANT),
      '--name',
      'mfaCode',
      '--input',
      JSON.stringify({ code }),
    ]);
    expect(await waitForSession(sys, (v) => v.state === 'active')).toMatchObject({
      state: 'active',
      generation: 2,
      attempts: 1,
    });
    expect(storedHistory()).not.toMatch(new RegExp(`(?<![0-9])${code}(?![0-9])`));
  });

  test('when the session workflow is ended while it waits for a code, then it reads as failed, a code is refused and not kept, and retry starts a new session', async () => {
    const sent = await outboxSize(sys);
    const handle = sys.env.client.workflow.getHandle(clioSessionWorkflowId(TENANT));
    await handle.signal(reauthenticateSignal, { generation: 2 });
    await waitForSession(sys, (v) => v.state === 'awaiting_mfa');
    const code = await newestCode(sys, sent);
    await handle.terminate('operator test');

    const state = await api(sys, 'GET', `/v1/tenants/${TENANT}/session`);
    expect(state.body).toMatchObject({ state: 'failed' });
    expect(state.body.reason).toMatch(/ended \(TERMINATED\)/);
    const refused = await api(sys, 'POST', MFA, { code });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('session_not_awaiting_mfa');
    expect(await sys.db.knex('portal_mfa_codes').count({ n: '*' })).toEqual([{ n: 0 }]);

    const sentBeforeRetry = await outboxSize(sys);
    const retry = await api(sys, 'POST', `/v1/tenants/${TENANT}/session/retry`, {}, 'sandbox-attorney');
    expect(retry.status).toBe(202);
    expect((await recorded('session.retry_requested')).map((r) => r.actor.id)).toEqual([
      'attorney@sandbox.test',
    ]);
    await waitForSession(sys, (v) => v.state === 'awaiting_mfa');
    const fresh = await newestCode(sys, sentBeforeRetry);
    expect((await api(sys, 'POST', MFA, { code: fresh })).status).toBe(202);
    expect(await waitForSession(sys, (v) => v.state === 'active')).toMatchObject({ state: 'active' });
  });
});
