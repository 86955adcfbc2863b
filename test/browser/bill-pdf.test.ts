import {
  api,
  sandboxControl,
  startSessionSystem,
  waitForSession,
  type SessionSystem,
} from './session-system';
import { clioSessionWorkflowId } from '../../workflows/shared/session-messages';

/** A bill's PDF through the API: Clio's web app renders it, fetched over the tenant's browser session. */
describe('GET /v1/bills/:id/pdf', () => {
  let sys: SessionSystem;
  let billId: string;

  beforeAll(async () => {
    sys = await startSessionSystem();
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

  async function pdf(id: string) {
    return fetch(`${sys.api.url}/v1/bills/${id}/pdf`, {
      headers: { authorization: 'Bearer sandbox-paralegal' },
    });
  }

  type Stats = { byRoute: Record<string, number> };
  const stats = async () => (await sandboxControl(sys, 'GET', '/_sandbox/stats')) as Stats;
  /** Requests Clio's web app got for a bill PDF. */
  const pdfCalls = (s: Stats) =>
    Object.entries(s.byRoute)
      .filter(([route]) => route.includes('pdf'))
      .reduce((n, [, c]) => n + c, 0);

  test('when no web session exists yet, then 503 with Retry-After, and that request starts the sign-in', async () => {
    expect(await sys.link.state('sandbox')).toBeUndefined();
    const res = await pdf(billId);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('10');
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('clio_session_not_ready');
    expect(await waitForSession(sys, (v) => v.state === 'active')).toMatchObject({ state: 'active' });
  });

  test('when the session is active, then the bill comes back as a PDF attachment', async () => {
    const res = await pdf(billId);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/pdf/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="[\w.-]+\.pdf"$/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  test('when the bill does not exist, then 404 and the web app is not asked', async () => {
    const before = pdfCalls(await stats());
    const res = await pdf('2499999');
    expect(res.status).toBe(404);
    expect(pdfCalls(await stats())).toBe(before);
  });

  test('when the web session has expired, then 503 with Retry-After, one new sign-in, and the PDF once signed in again', async () => {
    const { generation } = await waitForSession(sys, (v) => v.state === 'active');
    await new Promise((r) => setTimeout(r, 2_500));
    await sandboxControl(sys, 'POST', '/_sandbox/faults', { sessionTtlSeconds: 2 });
    const refused = await pdf(billId);
    await sandboxControl(sys, 'POST', '/_sandbox/faults', { sessionTtlSeconds: 3600 });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('10');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('clio_session_not_ready');
    const again = await waitForSession(sys, (v) => v.state === 'active' && (v.generation ?? 0) > generation);
    expect(again.generation).toBe(generation + 1);
    expect((await pdf(billId)).status).toBe(200);
  });

  test('when the session failed (the portal changed), then 503 clio_session_failed names the cause and the way out', async () => {
    await sandboxControl(sys, 'POST', '/_sandbox/faults', { portalVariant: 'changed' });
    try {
      await new Promise((r) => setTimeout(r, 2_500));
      await sandboxControl(sys, 'POST', '/_sandbox/faults', { sessionTtlSeconds: 2 });
      expect((await pdf(billId)).status).toBe(503); // reports the expiry; the new sign-in meets the changed portal
      expect(await waitForSession(sys, (v) => v.state === 'failed')).toMatchObject({ state: 'failed' });
      const res = await pdf(billId);
      expect(res.status).toBe(503);
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('clio_session_failed');
      expect(error.message).toMatch(/portal changed/i);
      expect(error.message).toMatch(/session\/retry/);
    } finally {
      await sandboxControl(sys, 'POST', '/_sandbox/faults', {
        portalVariant: 'default',
        sessionTtlSeconds: 3600,
      });
    }
  });

  test("when an operator has ended the session workflow while its stored cookies still work, then 503 clio_session_failed and Clio's web app is not asked", async () => {
    // From the failed session the previous test left: a person's retry, then an active session whose cookies work.
    expect((await api(sys, 'POST', '/v1/tenants/sandbox/session/retry', {})).status).toBe(202);
    await waitForSession(sys, (v) => v.state === 'active');
    expect((await pdf(billId)).status).toBe(200);
    await sys.env.client.workflow.getHandle(clioSessionWorkflowId('sandbox')).terminate('operator test');
    expect((await api(sys, 'GET', '/v1/tenants/sandbox/session')).body).toMatchObject({ state: 'failed' });
    const before = pdfCalls(await stats());
    const res = await pdf(billId);
    expect(res.status).toBe(503);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('clio_session_failed');
    expect(error.message).toMatch(/ended \(TERMINATED\)/);
    expect(error.message).toMatch(/session\/retry/);
    // The session's cookies were not used: whoever ended the session meant it to stop acting in Clio.
    expect(pdfCalls(await stats())).toBe(before);
  });

  test('when an operator has ended the session workflow, then 503 clio_session_failed and no sign-in starts until a person retries', async () => {
    // From the failed session the previous test left: a person's retry, then an active session to end.
    expect((await api(sys, 'POST', '/v1/tenants/sandbox/session/retry', {})).status).toBe(202);
    await waitForSession(sys, (v) => v.state === 'active');
    const handle = sys.env.client.workflow.getHandle(clioSessionWorkflowId('sandbox'));
    const { runId } = await handle.describe();
    await handle.terminate('operator test');
    await new Promise((r) => setTimeout(r, 2_500));
    await sandboxControl(sys, 'POST', '/_sandbox/faults', { sessionTtlSeconds: 2 });
    try {
      const res = await pdf(billId); // the stored cookies have expired: a sign-in would be needed
      expect(res.status).toBe(503);
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('clio_session_failed');
      expect(error.message).toMatch(/ended \(TERMINATED\)/);
      const after = await handle.describe();
      expect(after.runId).toBe(runId);
      expect(after.status.name).toBe('TERMINATED');
    } finally {
      await sandboxControl(sys, 'POST', '/_sandbox/faults', { sessionTtlSeconds: 3600 });
    }
    expect((await api(sys, 'POST', '/v1/tenants/sandbox/session/retry', {})).status).toBe(202);
    await waitForSession(sys, (v) => v.state === 'active');
    expect((await pdf(billId)).status).toBe(200);
  });
});
