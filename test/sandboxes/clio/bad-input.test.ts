import { startSandbox, type Harness, type Json } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startSandbox();
});
afterAll(() => h.sandbox.close());

const WRITABLE = [
  'contacts',
  'matters',
  'practice_areas',
  'custom_fields',
  'activities',
  'bank_accounts',
  'calendars',
  'calendar_entries',
  'reminders',
  'tasks',
  'notes',
  'communications',
  'folders',
  'documents',
  'webhooks',
  'reports',
];
const GARBAGE: unknown[] = [
  {},
  { data: null },
  { data: [] },
  { data: 'x' },
  { data: { id: 'x', type: 42, date: {}, matter: 'nope', client: { id: -1 } } },
  [1, 2],
  'text',
];

async function counts(): Promise<Record<string, number>> {
  const dump = (await (await fetch(`${h.base}/_sandbox/dump`)).json()) as Record<string, unknown[]>;
  return Object.fromEntries(Object.entries(dump).map(([k, v]) => [k, v.length]));
}

describe('bad requests', () => {
  it('when garbage is posted or patched anywhere, then 400/422 with an error body, nothing stored, no 500', async () => {
    const before = await counts();
    for (const path of WRITABLE) {
      for (const body of GARBAGE) {
        const res = await h.call(`/api/v4/${path}.json`, { method: 'POST', json: body });
        expect({ path, body, status: res.status }).toEqual({ path, body, status: expect.any(Number) });
        expect([400, 422]).toContain(res.status);
        expect(res.body.error).toEqual({ type: expect.any(String), message: expect.any(String) });
      }
      const first = (await h.call(`/api/v4/${path}.json?limit=1${path === 'notes' ? '&type=Matter' : ''}`))
        .body?.data?.[0];
      if (first) {
        const res = await h.call(`/api/v4/${path}/${first.id}.json`, {
          method: 'PATCH',
          json: { data: { date: 'not a date', status: 'weird', name: 42, type: 'Nope' } },
        });
        expect([400, 403, 422]).toContain(res.status);
      }
    }
    expect(await counts()).toEqual(before);
    const stats = (await (await fetch(`${h.base}/_sandbox/stats`)).json()) as Json;
    expect(stats.byStatus['500']).toBeUndefined();
  });

  it('when a form-encoded body is sent, then it is accepted like JSON (Clio allows both)', async () => {
    const body = new URLSearchParams({
      'data[type]': 'TimeEntry',
      'data[date]': '2026-11-06',
      'data[quantity]': '1800',
      'data[note]': 'form',
      'data[matter][id]': '9800001',
    });
    const res = await h.api('/api/v4/activities.json?fields=id,quantity,note', { method: 'POST', body });
    expect(res.status).toBe(201);
    expect(((await res.json()) as Json).data).toMatchObject({ quantity: 1800, note: 'form' });
  });

  it('when ids, dates or tokens are malformed, then 400/401/404 rather than a crash', async () => {
    expect((await h.call('/api/v4/matters/abc.json')).status).toBe(404);
    expect((await h.call('/api/v4/matters/-5')).status).toBe(404);
    expect((await h.call('/api/v4/matters?client_id=abc')).status).toBe(400);
    expect((await h.call('/api/v4/matters?updated_since=yesterday')).status).toBe(400);
    expect((await h.call('/api/v4/matters?open_date[]=soon')).status).toBe(400);
    expect((await h.call('/api/v4/tasks?assignee_id=1')).status).toBe(400);
    // Clio's OpenAPI types a bills search as an int32 invoice number.
    expect((await h.call('/api/v4/bills.json?query=INV-1001')).status).toBe(400);
    expect((await h.call('/api/v4/bills.json?query=99999999999')).status).toBe(400);
    expect((await h.call('/api/v4/bills.json?query=1001')).status).toBe(200);
    expect((await h.call('/api/v4/matters', { headers: { Authorization: 'Basic xyz' } })).status).toBe(401);
    expect((await h.call('/api/v4/matters', { method: 'PUT', json: {} })).status).toBe(404);
  });

  it("when lists are filtered by type, then the values are Clio's filter values, not the records' own", async () => {
    const revenue = await h.call('/api/v4/bills.json?type=revenue&fields=id,kind&limit=200');
    expect(revenue.status).toBe(200);
    expect(revenue.body.data.length).toBeGreaterThan(0);
    expect(revenue.body.data.every((b: Json) => b.kind === 'revenue_kind')).toBe(true);
    expect((await h.call('/api/v4/bills.json?type=trust')).body.data).toEqual([]);
    expect((await h.call('/api/v4/bills.json?type=MatterBill')).status).toBe(400);

    const trust = await h.call('/api/v4/bank_accounts.json?type=TrustAccount&fields=id,type');
    expect(trust.status).toBe(200);
    expect(trust.body.data.length).toBeGreaterThan(0);
    expect(trust.body.data.every((a: Json) => a.type === 'Trust')).toBe(true);
    expect((await h.call('/api/v4/bank_accounts.json?type=Trust')).status).toBe(400);

    const attorneys = await h.call(
      '/api/v4/users.json?subscription_type=attorney&fields=id,subscription_type',
    );
    expect(attorneys.status).toBe(200);
    expect(attorneys.body.data.every((u: Json) => u.subscription_type === 'Attorney')).toBe(true);
    expect((await h.call('/api/v4/users.json?subscription_type=Attorney')).status).toBe(400);
  });

  it('when If-Modified-Since is not older than the record, then 304', async () => {
    const res = await h.api('/api/v4/matters/9800001.json');
    const lastModified = res.headers.get('last-modified')!;
    expect(
      (await h.api('/api/v4/matters/9800001.json', { headers: { 'If-Modified-Since': lastModified } }))
        .status,
    ).toBe(304);
    expect(
      (
        await h.api('/api/v4/matters/9800001.json', {
          headers: { 'If-Modified-Since': 'Mon, 01 Jan 2001 00:00:00 GMT' },
        })
      ).status,
    ).toBe(200);
  });

  it('when the sandbox controls are called from a non-loopback address, then 403', async () => {
    // The test client is loopback; the check itself is covered by calling the middleware directly.
    const { loopbackOnly } = await import('../../../src/sandboxes/clio/http/loopback-only');
    let status = 0;
    const res = { status: (s: number) => ((status = s), { json: () => undefined }) };
    loopbackOnly({ socket: { remoteAddress: '10.0.0.5' } } as never, res as never, () => undefined);
    expect(status).toBe(403);
  });
});
