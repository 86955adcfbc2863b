import { WorkflowNotFoundError } from '@temporalio/client';
import {
  api,
  forgetSession,
  sandboxControl,
  startSessionSystem,
  waitForSession,
  type SessionSystem,
  newestCode as newestCodeAfter,
  outboxSize as outboxSizeOf,
} from './session-system';
import { PortalClient } from '../../src/integrations/clio-portal/portal-client';
import { DEFAULT_PORTAL_PATHS, type SessionMaterial } from '../../src/integrations/clio-portal/types';
import { clioSessionWorkflowId } from '../../workflows/shared/session-messages';
import { ensureTenantSession } from '../../workers/ensure-session';

const TENANT = 'sandbox';

/**
 * A bill's PDF follows the session workflow's state, not merely the cookies in the store: the web-app user here
 * gets SMS codes (no TOTP secret), so the session waits for a person at every sign-in.
 */
describe('GET /v1/bills/:id/pdf while the web session waits for an MFA code (real Chromium, real Temporal)', () => {
  let sys: SessionSystem;
  let billId: string;

  beforeAll(async () => {
    sys = await startSessionSystem({
      CLIO_PORTAL_USERNAME: 'clerk@sandbox.test',
      CLIO_PORTAL_TOTP_SECRET: '',
    });
    const page = await api(
      sys,
      'GET',
      '/v1/bills?status=awaiting_payment&limit=1',
      undefined,
      'sandbox-paralegal',
    );
    billId = page.body.data[0].id as string;
  });
  afterAll(async () => {
    await sys?.stop();
  });

  const pdf = (id: string) =>
    fetch(`${sys.api.url}/v1/bills/${id}/pdf`, { headers: { authorization: 'Bearer sandbox-paralegal' } });

  type Stats = { byRoute: Record<string, number> };
  const stats = async () => (await sandboxControl(sys, 'GET', '/_sandbox/stats')) as Stats;
  /** Requests Clio's web app got for a bill PDF. */
  const pdfCalls = (s: Stats) =>
    Object.entries(s.byRoute)
      .filter(([route]) => route.includes('pdf'))
      .reduce((n, [, c]) => n + c, 0);

  const outboxSize = () => outboxSizeOf(sys);
  const newestCode = (after: number) => newestCodeAfter(sys, after);

  /** Requests Clio's web app got on its sign-in pages (a sign-in, whoever started it, begins there). */
  const signInCalls = (s: Stats) =>
    Object.entries(s.byRoute)
      .filter(([route]) => / \/session\/(new|email|password)$/.test(route))
      .reduce((n, [, c]) => n + c, 0);

  const signedIn = (material: SessionMaterial) =>
    new PortalClient({ baseUrl: sys.clioUrl, paths: DEFAULT_PORTAL_PATHS, material }).isSignedIn();

  async function expectNotReady(res: Response, state: RegExp): Promise<void> {
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('10');
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('clio_session_not_ready');
    expect(error.message).toMatch(state);
  }

  test('when the first sign-in waits for a code, then 503 clio_session_not_ready with Retry-After, and the PDF once the code is in', async () => {
    const sent = await outboxSize();
    await expectNotReady(await pdf(billId), /not started/); // this request starts the sign-in
    await waitForSession(sys, (v) => v.state === 'awaiting_mfa');
    await expectNotReady(await pdf(billId), /MFA code/);
    expect(
      (await api(sys, 'POST', `/v1/tenants/${TENANT}/session/mfa`, { code: await newestCode(sent) })).status,
    ).toBe(202);
    await waitForSession(sys, (v) => v.state === 'active');
    const res = await pdf(billId);
    expect(res.status).toBe(200);
    expect(
      Buffer.from(await res.arrayBuffer())
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
  });

  test('when an operator ended the session workflow, then 503 clio_session_failed although the stored cookies still work', async () => {
    const handle = sys.env.client.workflow.getHandle(clioSessionWorkflowId(TENANT));
    await handle.terminate('operator test');
    expect((await api(sys, 'GET', `/v1/tenants/${TENANT}/session`)).body).toMatchObject({ state: 'failed' });
    expect(await signedIn((await sys.store.loadMaterial(TENANT))!.material)).toBe(true);
    const before = pdfCalls(await stats());
    const res = await pdf(billId);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('clio_session_failed');
    expect(pdfCalls(await stats())).toBe(before);
  });

  test('when a person retried and the new session waits for its MFA code, then 503 clio_session_not_ready with Retry-After, not the PDF over the old cookies', async () => {
    const sent = await outboxSize();
    expect((await api(sys, 'POST', `/v1/tenants/${TENANT}/session/retry`, {})).status).toBe(202);
    await waitForSession(sys, (v) => v.state === 'awaiting_mfa');
    expect((await api(sys, 'GET', `/v1/tenants/${TENANT}/session`)).body).toMatchObject({
      state: 'awaiting_mfa',
    });
    // The ended session's cookies are still in the store (the new sign-in has not finished) and still work in Clio.
    const stored = await sys.store.loadMaterial(TENANT);
    expect(await signedIn(stored!.material)).toBe(true);
    const before = pdfCalls(await stats());
    await expectNotReady(await pdf(billId), /MFA code/);
    expect(pdfCalls(await stats())).toBe(before);

    expect(
      (await api(sys, 'POST', `/v1/tenants/${TENANT}/session/mfa`, { code: await newestCode(sent) })).status,
    ).toBe(202);
    await waitForSession(sys, (v) => v.state === 'active');
    const res = await pdf(billId);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/pdf/);
  });

  test('when an operator ended the session and Temporal has since forgotten the run (retention), then it stays failed: 503 clio_session_failed, no sign-in starts, until a person retries', async () => {
    await waitForSession(sys, (v) => v.state === 'active');
    const handle = sys.env.client.workflow.getHandle(clioSessionWorkflowId(TENANT));
    // Ended and forgotten with nobody looking in between: no request saw the run end.
    await handle.terminate('operator test: stop signing in');
    await forgetSession(sys, TENANT);
    expect(await signedIn((await sys.store.loadMaterial(TENANT))!.material)).toBe(true);
    const sent = await outboxSize();
    const before = await stats();

    const res = await pdf(billId);
    expect(res.status).toBe(503);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('clio_session_failed');
    expect(error.message).toMatch(/session\/retry/);
    const session = await api(sys, 'GET', `/v1/tenants/${TENANT}/session`);
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({
      tenant: TENANT,
      state: 'failed',
      reason: expect.stringMatching(/ended/),
    });
    // Nothing started it again: no session workflow, no sign-in page asked for, no SMS sent.
    await new Promise((r) => setTimeout(r, 2_000));
    await expect(handle.describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    const after = await stats();
    expect(signInCalls(after)).toBe(signInCalls(before));
    expect(pdfCalls(after)).toBe(pdfCalls(before));
    expect(await outboxSize()).toBe(sent);
    // A second look answers the same, and the session still is not started.
    expect((await pdf(billId)).status).toBe(503);
    expect((await api(sys, 'GET', `/v1/tenants/${TENANT}/session`)).body).toMatchObject({ state: 'failed' });
    // Nor does a worker process starting (a deploy, a restart), which ensures the default tenant's session.
    const logged = sys.logs.length;
    await ensureTenantSession(sys.link, sys.store, sys.config, sys.logger);
    const said = sys.logs.slice(logged).map((l) => JSON.parse(l) as { msg: string; state?: string });
    expect(said.find((l) => l.msg.startsWith('Clio portal session workflow'))).toMatchObject({
      state: 'failed',
    });
    await expect(handle.describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    expect((await api(sys, 'GET', `/v1/tenants/${TENANT}/session`)).body).toMatchObject({ state: 'failed' });

    // A person's retry signs in again, and what recorded the end no longer stands in the way.
    expect((await api(sys, 'POST', `/v1/tenants/${TENANT}/session/retry`, {})).status).toBe(202);
    await waitForSession(sys, (v) => v.state === 'awaiting_mfa');
    expect(signInCalls(await stats())).toBeGreaterThan(signInCalls(before));
    await expectNotReady(await pdf(billId), /MFA code/);
    expect(
      (await api(sys, 'POST', `/v1/tenants/${TENANT}/session/mfa`, { code: await newestCode(sent) })).status,
    ).toBe(202);
    await waitForSession(sys, (v) => v.state === 'active');
    expect((await api(sys, 'GET', `/v1/tenants/${TENANT}/session`)).body).toMatchObject({ state: 'active' });
    const ok = await pdf(billId);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^application\/pdf/);
  });
});
