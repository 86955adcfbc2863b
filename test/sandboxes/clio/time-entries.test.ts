import { startSandbox, type Harness, type Json } from './helpers';

let h: Harness;
let matterId: number;
let userId: number;
beforeAll(async () => {
  h = await startSandbox();
  matterId = (await h.call('/api/v4/matters?limit=1')).body.data[0].id;
  userId = (await h.call('/api/v4/users/who_am_i')).body.data.id;
});
afterAll(() => h.sandbox.close());

const entry = (over: Record<string, unknown> = {}) => ({
  data: {
    type: 'TimeEntry',
    date: '2026-11-02',
    quantity: 1000,
    note: 'Draft motion',
    matter: { id: matterId },
    ...over,
  },
});

describe('time entries', () => {
  it('when a TimeEntry is created, then it is stored with rounding, price and total from the rate hierarchy', async () => {
    const res = await h.call(
      '/api/v4/activities.json?fields=id,type,date,quantity,rounded_quantity,price,total,note,matter,user,billed,on_bill',
      {
        method: 'POST',
        json: entry(),
      },
    );
    expect(res.status).toBe(201);
    const d = res.body.data;
    expect(d).toMatchObject({
      type: 'TimeEntry',
      date: '2026-11-02',
      quantity: 1000,
      rounded_quantity: 1080,
      note: 'Draft motion',
      billed: false,
      on_bill: false,
    });
    expect(d.matter.id).toBe(matterId);
    expect(d.user.id).toBe(userId);
    // The admin's rate is $650/h; 1080 s = 0.3 h → $195.
    expect(d.price).toBe(650);
    expect(d.total).toBe(195);
    const dump = (await (await fetch(`${h.base}/_sandbox/dump`)).json()) as Json;
    expect(dump.activities.find((a: { id: number }) => a.id === d.id)).toMatchObject({
      quantity: 1000,
      total: 195,
    });
  });

  it('when the matter has a custom hourly rate for the user, then it wins over the user rate', async () => {
    const matter = await h.call('/api/v4/matters?fields=id,custom_rate{type,on_invoice,rates}', {
      method: 'POST',
      json: {
        data: {
          description: 'Discounted',
          client: { id: 1200001 },
          custom_rate: { type: 'HourlyRate', rates: [{ user: { id: userId }, rate: 400 }] },
        },
      },
    });
    expect(matter.status).toBe(201);
    expect(matter.body.data.custom_rate).toEqual({
      type: 'HourlyRate',
      on_invoice: false,
      rates: [expect.objectContaining({ rate: 400, user: { id: userId } })],
    });
    const res = await h.call('/api/v4/activities?fields=price,total', {
      method: 'POST',
      json: entry({ quantity: 3600, matter: { id: matter.body.data.id } }),
    });
    expect(res.body.data).toEqual({ price: 400, total: 400 });
  });

  it('when the activity description has a custom rate, then it wins over matter and user rates', async () => {
    const desc = await h.call('/api/v4/activity_descriptions?fields=id,rate{type,amount}', {
      method: 'POST',
      json: { data: { name: 'Court appearance (fixed)', rate: { type: 'Custom', amount: 300 } } },
    });
    expect(desc.status).toBe(201);
    expect(desc.body.data.rate).toEqual({ type: 'Custom', amount: 300 });
    const res = await h.call('/api/v4/activities?fields=price,total', {
      method: 'POST',
      json: entry({ quantity: 7200, activity_description: { id: desc.body.data.id } }),
    });
    expect(res.body.data).toEqual({ price: 300, total: 600 });
    expect(
      (await h.call(`/api/v4/activity_descriptions/${desc.body.data.id}`, { method: 'DELETE' })).status,
    ).toBe(403);
  });

  it('when UTBMS ids are given, then the entry gets the matching activity description', async () => {
    const codes = (await h.call('/api/v4/utbms/codes?fields=id,code&limit=200')).body.data as {
      id: number;
      code: string;
    }[];
    const a103 = codes.find((c) => c.code === 'A103')!.id;
    const l110 = codes.find((c) => c.code === 'L110')!.id;
    const res = await h.call(
      '/api/v4/activities?fields=id,activity_description{name,utbms_activity_id,utbms_task_id}',
      {
        method: 'POST',
        json: entry({ activity_description: { utbms_activity_id: a103, utbms_task_id: l110 } }),
      },
    );
    expect(res.status).toBe(201);
    expect(res.body.data.activity_description).toMatchObject({
      utbms_activity_id: a103,
      utbms_task_id: l110,
    });
  });

  it('when date or type is missing or the matter is unknown, then 422 with an error body and nothing stored', async () => {
    const before = (await h.call(`/api/v4/activities?matter_id=${matterId}&limit=200`)).body.data.length;
    for (const body of [
      entry({ date: undefined }),
      entry({ type: undefined }),
      entry({ matter: { id: 1 } }),
      entry({ date: '2026-13-45' }),
    ]) {
      const res = await h.call('/api/v4/activities', { method: 'POST', json: body });
      expect(res.status).toBe(422);
      expect(typeof res.body.error.type).toBe('string');
      expect(typeof res.body.error.message).toBe('string');
    }
    expect((await h.call(`/api/v4/activities?matter_id=${matterId}&limit=200`)).body.data.length).toBe(
      before,
    );
  });

  it('when the body is not JSON, then 400', async () => {
    const res = await h.api('/api/v4/activities', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"data":',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Json).error.type).toBe('BadRequest');
  });

  it('when listing, then filters by matter, user, dates, query and updated_since apply', async () => {
    const all = await h.call(`/api/v4/activities?matter_id=${matterId}&fields=id,date,note,user,matter`);
    expect(all.status).toBe(200);
    expect(all.body.data.every((a: Json) => a.matter.id === matterId)).toBe(true);
    const ranged = await h.call(
      '/api/v4/activities?start_date=2026-09-01&end_date=2026-09-02&fields=id,date&limit=200',
    );
    expect(ranged.body.data.length).toBeGreaterThan(0);
    expect(ranged.body.data.every((a: Json) => a.date >= '2026-09-01' && a.date <= '2026-09-02')).toBe(true);
    const byUser = await h.call(`/api/v4/activities?user_id=${userId}&date=2026-11-02&fields=id,user`);
    expect(byUser.body.data.length).toBeGreaterThanOrEqual(2);
    const q = await h.call('/api/v4/activities?query=draft%20MOTION&fields=id,note&limit=5');
    expect(q.body.data.every((a: Json) => a.note.toLowerCase().includes('draft motion'))).toBe(true);
    const since = await h.call('/api/v4/activities?updated_since=2026-11-01T00:00:00Z&fields=id');
    expect(since.body.data.length).toBeGreaterThanOrEqual(2);
    expect((await h.call('/api/v4/activities?start_date=yesterday')).status).toBe(400);
  });

  it("when a TimeEntry is created or found with fields naming matter{id,display_number}, then the answer carries the matter's number", async () => {
    const fields = 'fields=id,matter{id,display_number},user{id}';
    const dump = (await (await fetch(`${h.base}/_sandbox/dump`)).json()) as Json;
    const matter = dump.matters.find((m: { id: number }) => m.id === matterId);
    expect(typeof matter.display_number).toBe('string');
    expect(matter.display_number).not.toBe('');
    const created = await h.call(`/api/v4/activities.json?${fields}`, {
      method: 'POST',
      json: entry({ note: 'Numbered matter', quantity: 1234 }),
    });
    expect(created.status).toBe(201);
    // Only what was asked for: the nested matter's id and number, no etag of its own.
    expect(created.body.data.matter).toEqual({ id: matterId, display_number: matter.display_number });
    expect(created.body.data.user).toEqual({ id: userId });
    const found = await h.call(
      `/api/v4/activities.json?matter_id=${matterId}&date=2026-11-02&query=Numbered%20matter&${fields}`,
    );
    expect(found.body.data).toEqual([created.body.data]);
    const shown = await h.call(`/api/v4/activities/${created.body.data.id}.json?${fields}`);
    expect(shown.body.data).toEqual(created.body.data);
  });

  it('when an entry is read, patched and deleted, then ETags guard it and it is gone', async () => {
    const created = (await h.call('/api/v4/activities?fields=id,etag', { method: 'POST', json: entry() }))
      .body.data;
    const shown = await h.api(`/api/v4/activities/${created.id}.json`);
    expect(shown.headers.get('etag')).toBe(created.etag);
    expect(shown.headers.get('last-modified')).toBeTruthy();
    expect(
      (await h.api(`/api/v4/activities/${created.id}`, { headers: { 'If-None-Match': created.etag } }))
        .status,
    ).toBe(304);
    const patched = await h.call(`/api/v4/activities/${created.id}?fields=id,etag,quantity,total,note`, {
      method: 'PATCH',
      json: { data: { quantity: 3600, note: 'Revised' } },
      headers: { 'If-Match': created.etag },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.data).toMatchObject({ quantity: 3600, total: 650, note: 'Revised' });
    const stale = await h.call(`/api/v4/activities/${created.id}`, {
      method: 'PATCH',
      json: { data: { note: 'x' } },
      headers: { 'If-Match': created.etag },
    });
    expect(stale.status).toBe(412);
    expect((await h.api(`/api/v4/activities/${created.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await h.call(`/api/v4/activities/${created.id}`)).status).toBe(404);
  });

  it('when X-API-VERSION is before 4.0.4, then quantities are hours both ways', async () => {
    const res = await h.call('/api/v4/activities?fields=id,quantity,rounded_quantity', {
      method: 'POST',
      json: entry({ quantity: 1.5 }),
      headers: { 'X-API-VERSION': '4.0.3' },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-api-version')).toBe('4.0.3');
    expect(res.body.data.quantity).toBe(1.5);
    const modern = await h.call(`/api/v4/activities/${res.body.data.id}?fields=quantity`);
    expect(modern.body.data.quantity).toBe(5400);
    expect((await h.call('/api/v4/activities', { headers: { 'X-API-VERSION': 'v4-latest' } })).status).toBe(
      410,
    );
    expect((await h.call('/api/v4/activities', { headers: { 'X-API-VERSION': '4.0.1' } })).status).toBe(410);
  });
});
