import { startSandbox, type Harness, type Json } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startSandbox();
});
afterAll(() => h.sandbox.close());

describe('API v4 protocol', () => {
  it('when walking all matters by cursor, then each of the 1,000 comes back exactly once and the last page has no next', async () => {
    const seen = new Set<number>();
    let url: string | undefined =
      `${h.base}/api/v4/matters.json?order=id(asc)&limit=137&fields=id,display_number`;
    let pages = 0;
    let last: Json;
    while (url) {
      const res = await h.api(url.slice(h.base.length));
      expect(res.status).toBe(200);
      last = (await res.json()) as Json;
      for (const m of last.data) {
        expect(seen.has(m.id)).toBe(false);
        seen.add(m.id);
      }
      url = last.meta.paging.next;
      pages++;
    }
    expect(seen.size).toBe(1000);
    expect(pages).toBe(Math.ceil(1000 / 137));
    expect(last.meta.paging.next).toBeUndefined();
  });

  it('when no fields are given, then only id and etag come back', async () => {
    const res = await h.call('/api/v4/matters?limit=1');
    expect(Object.keys(res.body.data[0]).sort()).toEqual(['etag', 'id']);
  });

  it('when fields name nested records, then one level of braces works and two give 400', async () => {
    const ok = await h.call('/api/v4/matters?limit=1&fields=id,client{id,name},practice_area');
    expect(ok.status).toBe(200);
    expect(Object.keys(ok.body.data[0].client).sort()).toEqual(['id', 'name']);
    expect(Object.keys(ok.body.data[0].practice_area).sort()).toEqual(['etag', 'id']);
    expect((await h.call('/api/v4/matters?fields=client{account{name}}')).status).toBe(400);
    expect((await h.call('/api/v4/matters?fields=nope')).status).toBe(400);
    expect((await h.call('/api/v4/matters?fields=client{nope}')).status).toBe(400);
  });

  it('when limit exceeds the maximum, then it is clamped; users allow 2000', async () => {
    expect((await h.call('/api/v4/matters?limit=5000')).body.data.length).toBe(200);
    expect((await h.call('/api/v4/users?limit=5000')).body.data.length).toBe(25);
    expect((await h.call('/api/v4/matters?limit=0')).status).toBe(400);
    expect((await h.call('/api/v4/matters?order=bogus(asc)')).status).toBe(400);
    expect((await h.call('/api/v4/matters?page_token=%%%')).status).toBe(400);
  });

  it('when matters are filtered, then status is lowercase on input and capitalised on output', async () => {
    const res = await h.call('/api/v4/matters?status=closed&fields=id,status&limit=200');
    expect(res.body.data.length).toBeGreaterThan(0);
    expect(res.body.data.every((m: Json) => m.status === 'Closed')).toBe(true);
    const q = await h.call('/api/v4/matters?query=00001-&fields=id,display_number');
    expect(q.body.data[0].display_number).toMatch(/^00001-/);
    expect((await h.call('/api/v4/matters?status=Open')).status).toBe(400);
  });

  it('when a list is read, then it carries no ETag and a repeated read with If-None-Match is answered in full', async () => {
    // Clio's OpenAPI document lists 304 only for single records; a client relying on it for lists would fail
    // against Clio itself.
    const first = await h.api('/api/v4/matters.json?limit=5&fields=id,etag');
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBeNull();
    const again = await h.api('/api/v4/matters.json?limit=5&fields=id,etag', {
      headers: { 'If-None-Match': '*' },
    });
    expect(again.status).toBe(200);
    expect(((await again.json()) as Json).data).toHaveLength(5);
    const record = await h.api('/api/v4/matters/9800001.json');
    expect(record.headers.get('etag')).toMatch(/^"/);
  });

  it('when any API answer is sent, then it carries the rate-limit headers and the API version', async () => {
    for (const path of ['/api/v4/matters', '/api/v4/matters/1', '/api/v4/users/who_am_i.json']) {
      const res = await h.api(path);
      expect(res.headers.get('x-ratelimit-limit')).toBe('600');
      expect(Number(res.headers.get('x-ratelimit-remaining'))).toBeGreaterThanOrEqual(0);
      expect(Number(res.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
    }
    const unauth = await fetch(`${h.base}/api/v4/matters`);
    expect(unauth.status).toBe(401);
    expect(unauth.headers.get('x-ratelimit-limit')).toBe('600');
    expect((await unauth.json()) as Json).toEqual({
      error: 'invalid_token',
      error_description: expect.any(String),
    });
  });

  it('when account_balances is asked for, then trust held per matter and per client comes from the bank transactions', async () => {
    const tx = (
      await h.call('/api/v4/bank_transactions.json?type=liability&limit=1&fields=amount,matter,client')
    ).body.data[0];
    const matter = await h.call(
      `/api/v4/matters/${tx.matter.id}.json?fields=account_balances{balance,type,name}`,
    );
    expect(matter.body.data.account_balances).toEqual([
      { balance: tx.amount, type: 'Trust', name: 'IOLTA Trust Account' },
    ]);
    const client = await h.call(
      `/api/v4/contacts/${tx.client.id}.json?fields=account_balances{balance,type}`,
    );
    expect(client.body.data.account_balances[0].balance).toBeGreaterThanOrEqual(tx.amount);
  });

  it('when matters are filtered by a custom field value, then only the match returns; a bad operator is 400', async () => {
    const fields = (
      await h.call('/api/v4/custom_fields.json?parent_type=matter&field_type=text_line&fields=id,name')
    ).body.data as Json[];
    const workspace = fields.find((f) => f.name === 'iManage Workspace ID')!;
    const created = await h.call('/api/v4/matters.json?fields=id', {
      method: 'POST',
      json: {
        data: {
          description: 'CF filter',
          client: { id: 1200001 },
          custom_field_values: [{ custom_field: { id: workspace.id }, value: 'WS-77' }],
        },
      },
    });
    expect(created.status).toBe(201);
    const found = await h.call(`/api/v4/matters.json?custom_field_values[${workspace.id}]=WS-77&fields=id`);
    expect(found.body.data).toEqual([{ id: created.body.data.id }]);
    expect((await h.call(`/api/v4/matters.json?custom_field_values[${workspace.id}]=%3C5`)).status).toBe(400);
    const narrowed = await h.call(
      `/api/v4/matters/${created.body.data.id}.json?custom_field_ids[]=1&fields=custom_field_values{value}`,
    );
    expect(narrowed.body.data.custom_field_values).toEqual([]);
    const kept = await h.call(
      `/api/v4/matters/${created.body.data.id}.json?custom_field_ids[]=${workspace.id}&fields=custom_field_values{value}`,
    );
    expect(kept.body.data.custom_field_values).toEqual([{ value: 'WS-77' }]);
  });

  it('when a record is missing or a route unknown, then 404 with an error body', async () => {
    const res = await h.call('/api/v4/matters/123');
    expect(res.status).toBe(404);
    expect(res.body.error.type).toBe('RecordNotFound');
    expect((await h.call('/api/v4/nothing_here.json')).status).toBe(404);
  });
});
