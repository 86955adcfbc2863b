import { createHash } from 'node:crypto';
import { createCursorCodec } from '../../src/api/cursor';
import { parseKey } from '../../src/crypto/secret-box';
import { startSystem, type System } from '../helpers/system';

interface Page<T> {
  data: T[];
  nextCursor: string | null;
}
interface MatterView {
  id: string;
  displayNumber: string;
  status: string;
  clientId?: string;
  clientName?: string;
  customFieldValues: unknown[];
}

describe('normalized reads through the Clio client', () => {
  let sys: System;
  beforeAll(async () => {
    sys = await startSystem({ API_RATE_LIMIT_PER_MINUTE: '100000' });
    await fetch(`${sys.clioUrl}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rateLimitPerMinute: 100000 }),
    });
  });
  afterAll(async () => {
    await sys?.stop();
  });

  const get = (path: string, key = 'sandbox-paralegal') =>
    fetch(`${sys.api.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  async function json<T>(path: string): Promise<T> {
    const res = await get(path);
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  }

  test('when matters are listed, then records are normalized and the cursor is opaque', async () => {
    const page = await json<Page<MatterView>>('/v1/matters?limit=50');
    expect(page.data).toHaveLength(50);
    for (const m of page.data) {
      expect(typeof m.id).toBe('string');
      expect(['open', 'pending', 'closed']).toContain(m.status);
      expect(Array.isArray(m.customFieldValues)).toBe(true);
    }
    expect(page.nextCursor).toBeTruthy();
    expect(page.nextCursor).not.toMatch(/http|page_token|api\/v4/);
    // Nor does it carry Clio's page token in any readable form.
    const direct = (await (
      await fetch(`${sys.clioUrl}/api/v4/matters.json?limit=50&order=id(asc)&fields=id`, {
        headers: { authorization: 'Bearer sandbox-access-token' },
      })
    ).json()) as { meta: { paging: { next: string } } };
    const token = new URL(direct.meta.paging.next).searchParams.get('page_token')!;
    const readable = page
      .nextCursor!.split('.')
      .map((part) => Buffer.from(part, 'base64url').toString('latin1'));
    expect([page.nextCursor, ...readable].some((text) => text!.includes(token))).toBe(false);
  });

  test('when the cursor is followed to the end, then every matter comes exactly once', async () => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<MatterView> = await json<Page<MatterView>>(
        `/v1/matters?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      ids.push(...page.data.map((m) => m.id));
      cursor = page.nextCursor;
    } while (cursor);
    const dump = (await (await fetch(`${sys.clioUrl}/_sandbox/dump`)).json()) as { matters: unknown[] };
    expect(ids).toHaveLength(dump.matters.length);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('when filters are given, then they are applied by Clio', async () => {
    const closed = await json<Page<MatterView>>('/v1/matters?status=closed&limit=100');
    expect(closed.data.length).toBeGreaterThan(0);
    expect(closed.data.every((m) => m.status === 'closed')).toBe(true);
    const clientId = closed.data[0]!.clientId!;
    const ofClient = await json<Page<MatterView>>(`/v1/matters?clientId=${clientId}`);
    expect(ofClient.data.length).toBeGreaterThan(0);
    expect(ofClient.data.every((m) => m.clientId === clientId)).toBe(true);
    const future = await json<Page<MatterView>>('/v1/matters?updatedSince=2099-01-01T00:00:00Z');
    expect(future.data).toEqual([]);
    expect(future.nextCursor).toBeNull();
  });

  test('when a cursor is forged or reused with other filters, then 400 names query.cursor', async () => {
    const first = await json<Page<MatterView>>('/v1/matters?limit=10&status=open');
    for (const path of [
      '/v1/matters?cursor=abc.def',
      `/v1/matters?limit=10&cursor=${encodeURIComponent(first.nextCursor!)}`,
    ]) {
      const res = await get(path);
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { details: { fields: { field: string }[] } } };
      expect(body.error.details.fields[0]!.field).toBe('query.cursor');
    }
  });

  test('when Clio no longer takes the page token inside a cursor, then 400 names query.cursor (not a 502)', async () => {
    // Clio's documents do not say how long a page token lives (reference §1.5: "an opaque page_token", to be
    // followed in sequence); whatever the reason Clio refuses one (400, as for any malformed parameter, §6),
    // the cursor is the client's to drop, and the list is to be started again.
    const key = createHash('sha256')
      .update('list-cursors\n')
      .update(parseKey(sys.config.DATA_ENCRYPTION_KEY))
      .digest();
    const stale = createCursorCodec(key).encode('sandbox:/v1/matters', {}, 'expired-page-token');
    const res = await get(`/v1/matters?limit=10&cursor=${stale}`);
    const body = (await res.json()) as {
      error: { code: string; message: string; details: { fields: { field: string; reason: string }[] } };
    };
    expect(res.status).toBe(400);
    expect(body.error.details.fields[0]).toEqual({
      field: 'query.cursor',
      reason: expect.stringMatching(/no longer|start/i),
    });
    // Without the cursor the same list reads as before.
    expect((await get('/v1/matters?limit=10')).status).toBe(200);
  });

  test.each([
    'limit=0',
    'limit=201',
    'limit=abc',
    'status=archived',
    'clientId=abc',
    'updatedSince=yesterday',
    'colour=blue',
  ])('when the query has %s, then 400', async (q) => {
    const res = await get(`/v1/matters?${q}`);
    expect(res.status).toBe(400);
  });

  test("when a matter's client is renamed in Clio, then the next read of the matter shows the new name, and its ETag changes", async () => {
    const { data } = await json<Page<MatterView>>('/v1/matters?limit=1');
    const id = data[0]!.id;
    const first = await get(`/v1/matters/${id}`);
    const before = (await first.json()) as MatterView;
    expect(before.id).toBe(id);
    const renamed = `Renamed ${Date.now()}`;
    const patched = await fetch(`${sys.clioUrl}/api/v4/contacts/${before.clientId}.json`, {
      method: 'PATCH',
      headers: { authorization: 'Bearer sandbox-access-token', 'content-type': 'application/json' },
      body: JSON.stringify({ data: { name: renamed } }),
    });
    expect(patched.status).toBe(200);
    const revalidated = await fetch(`${sys.api.url}/v1/matters/${id}`, {
      headers: { authorization: 'Bearer sandbox-paralegal', 'if-none-match': first.headers.get('etag')! },
    });
    expect(revalidated.status).toBe(200);
    expect(((await revalidated.json()) as MatterView).clientName).toBe(renamed);
    expect((await get('/v1/matters/999999999')).status).toBe(404);
    expect((await get('/v1/matters/abc')).status).toBe(400);
  });

  test('when bills are searched, then query is an invoice number (Clio takes only that): other text is a 400 naming query.query', async () => {
    const { data } = await json<Page<{ number?: string }>>('/v1/bills?limit=1');
    const numeric = data[0]!.number!.replace(/\D/g, '');
    const found = await json<Page<{ number?: string }>>(`/v1/bills?query=${numeric}`);
    expect(found.data.map((b) => b.number)).toContain(data[0]!.number);
    const res = await get('/v1/bills?query=INV-1001');
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { details: { fields: { field: string }[] } } };
    expect(body.error.details.fields.map((f) => f.field)).toEqual(['query.query']);
  });

  test('when a client revalidates a page with its ETag, then it gets 304 until a record on the page changes in Clio', async () => {
    const path = '/v1/matters?limit=20&status=open';
    const first = await get(path);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    const page = (await first.json()) as Page<MatterView & { description: string }>;

    const again = await fetch(`${sys.api.url}${path}`, {
      headers: { authorization: 'Bearer sandbox-paralegal', 'if-none-match': etag! },
    });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');

    // Edited in Clio (as a lawyer would in the web app): the next read shows it at once, under a new ETag.
    const target = page.data[3]!;
    const edit = await fetch(`${sys.clioUrl}/api/v4/matters/${target.id}.json`, {
      method: 'PATCH',
      headers: { authorization: 'Bearer sandbox-access-token', 'content-type': 'application/json' },
      body: JSON.stringify({ data: { description: 'Renamed in Clio' } }),
    });
    expect(edit.status).toBe(200);
    const changed = await fetch(`${sys.api.url}${path}`, {
      headers: { authorization: 'Bearer sandbox-paralegal', 'if-none-match': etag! },
    });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    const after = (await changed.json()) as Page<MatterView & { description: string }>;
    expect(after.data.find((m) => m.id === target.id)!.description).toBe('Renamed in Clio');
    expect(after.data.map((m) => m.id)).toEqual(page.data.map((m) => m.id));

    // HEAD: the same headers, no body.
    const head = await fetch(`${sys.api.url}${path}`, {
      method: 'HEAD',
      headers: { authorization: 'Bearer sandbox-paralegal' },
    });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(changed.headers.get('etag'));
    expect(await head.text()).toBe('');

    // Another key of the same tenant reading the unchanged page gets the same answer, cursor included.
    const other = await fetch(`${sys.api.url}${path}`, {
      headers: { authorization: 'Bearer sandbox-admin' },
    });
    expect(other.headers.get('etag')).toBe(changed.headers.get('etag'));
    expect(((await other.json()) as Page<MatterView>).nextCursor).toBe(after.nextCursor);
  });

  test('when one matter is revalidated with its ETag, then 304', async () => {
    const { data } = await json<Page<MatterView>>('/v1/matters?limit=1');
    const first = await get(`/v1/matters/${data[0]!.id}`);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await fetch(`${sys.api.url}/v1/matters/${data[0]!.id}`, {
      headers: { authorization: 'Bearer sandbox-paralegal', 'if-none-match': etag! },
    });
    expect(again.status).toBe(304);
  });

  test('a bill read again is revalidated with Clio (304, no transfer), and a change in Clio is seen at once', async () => {
    const stats = async () =>
      ((await (await fetch(`${sys.clioUrl}/_sandbox/stats`)).json()) as { byStatus: Record<string, number> })
        .byStatus;
    const { data } = await json<Page<{ id: string; state: string }>>(
      '/v1/bills?limit=50&status=awaiting_payment',
    );
    const id = data[0]!.id;
    const first = await json<{ id: string; dueAt?: string }>(`/v1/bills/${id}`);
    const before = await stats();
    expect(await json(`/v1/bills/${id}`)).toEqual(first);
    const after = await stats();
    expect((after['304'] ?? 0) - (before['304'] ?? 0)).toBe(1);
    const patched = await fetch(`${sys.clioUrl}/api/v4/bills/${id}.json`, {
      method: 'PATCH',
      headers: { authorization: 'Bearer sandbox-access-token', 'content-type': 'application/json' },
      body: JSON.stringify({ data: { due_at: '2031-01-31' } }),
    });
    expect(patched.status).toBe(200);
    expect((await json<{ dueAt?: string }>(`/v1/bills/${id}`)).dueAt).toBe('2031-01-31');
  });

  test('every filter of every list reaches Clio under its Clio name: the answer narrows as Clio filters', async () => {
    type Rec = Record<string, unknown> & { id: string };
    const list = (path: string) => json<Page<Rec>>(path).then((p) => p.data);
    // Each case: the list, a filter whose value comes from an unfiltered record, and what every answer must satisfy.
    const all = {
      matters: await list('/v1/matters?limit=200'),
      contacts: await list('/v1/contacts?limit=200'),
      entries: await list('/v1/time-entries?limit=200'),
      bills: await list('/v1/bills?limit=200'),
    };
    const m = all.matters[7]!;
    const e = all.entries.find((x) => typeof x.note === 'string' && x.note.length > 8)!;
    const b = all.bills.find((x) => x.state === 'awaiting_payment')!;
    const cases: [string, Rec[], (r: Rec) => boolean][] = [
      [
        `/v1/matters?limit=200&query=${encodeURIComponent(m.displayNumber as string)}`,
        all.matters,
        (r) => r.id === m.id,
      ],
      ['/v1/matters?limit=200&status=closed', all.matters, (r) => r.status === 'closed'],
      [`/v1/matters?limit=200&clientId=${String(m.clientId)}`, all.matters, (r) => r.clientId === m.clientId],
      ['/v1/contacts?limit=200&type=Company', all.contacts, (r) => r.type === 'Company'],
      [
        `/v1/contacts?limit=200&query=${encodeURIComponent(all.contacts[3]!.name as string)}`,
        all.contacts,
        (r) => (r.name as string).includes(all.contacts[3]!.name as string),
      ],
      [
        `/v1/time-entries?limit=200&matterId=${String(e.matterId)}`,
        all.entries,
        (r) => r.matterId === e.matterId,
      ],
      [
        `/v1/time-entries?limit=200&query=${encodeURIComponent(e.note as string)}`,
        all.entries,
        (r) => (r.note as string).includes(e.note as string),
      ],
      ['/v1/bills?limit=200&status=awaiting_payment', all.bills, (r) => r.state === 'awaiting_payment'],
      [`/v1/bills?limit=200&clientId=${String(b.clientId)}`, all.bills, (r) => r.clientId === b.clientId],
      [
        `/v1/bills?limit=200&matterId=${(b.matterIds as string[])[0]}`,
        all.bills,
        (r) => (r.matterIds as string[]).includes((b.matterIds as string[])[0]!),
      ],
    ];
    for (const [path, unfiltered, holds] of cases) {
      const data = await list(path);
      expect([path, data.length > 0]).toEqual([path, true]);
      expect([path, data.filter((r) => !holds(r)).map((r) => r.id)]).toEqual([path, []]);
      // The filter did something: the unfiltered page had records it leaves out.
      expect([path, unfiltered.some((r) => !holds(r))]).toEqual([path, true]);
    }

    // updatedSince → updated_since: records changed in Clio after the time come, the others do not.
    // After what the tests before this one changed (Clio compares strictly after the time).
    await new Promise((resolve) => setTimeout(resolve, 10));
    const since = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const touch = (path: string, data: Record<string, unknown>) =>
      fetch(`${sys.clioUrl}/api/v4/${path}.json`, {
        method: 'PATCH',
        headers: { authorization: 'Bearer sandbox-access-token', 'content-type': 'application/json' },
        body: JSON.stringify({ data }),
      }).then((r) => expect(r.status).toBe(200));
    await touch(`matters/${m.id}`, { description: 'Touched for updatedSince' });
    await touch(`contacts/${all.contacts[3]!.id}`, { title: 'Touched' });
    await touch(`activities/${e.id}`, { note: `${e.note as string} (touched)` });
    await touch(`bills/${b.id}`, { memo: 'Touched' });
    for (const [path, id] of [
      ['/v1/matters', m.id],
      ['/v1/contacts', all.contacts[3]!.id],
      ['/v1/time-entries', e.id],
      ['/v1/bills', b.id],
    ] as const) {
      const data = await list(`${path}?limit=200&updatedSince=${since}`);
      expect([path, data.map((r) => r.id)]).toEqual([path, [id]]);
    }
  });

  test('contacts, time entries and bills read the same way', async () => {
    const contacts = await json<Page<{ id: string; type: string; name: string }>>('/v1/contacts?limit=5');
    expect(contacts.data).toHaveLength(5);
    const contact = await json<{ id: string }>(`/v1/contacts/${contacts.data[0]!.id}`);
    expect(contact.id).toBe(contacts.data[0]!.id);
    const matter = (await json<Page<MatterView>>('/v1/matters?limit=1')).data[0]!;
    const entries = await json<Page<{ type: string; matterId: string; durationSeconds: number }>>(
      `/v1/time-entries?matterId=${matter.id}`,
    );
    expect(
      entries.data.every(
        (e) => e.type === 'TimeEntry' && e.matterId === matter.id && Number.isInteger(e.durationSeconds),
      ),
    ).toBe(true);
    // The description's name travels with the entry (for UTBMS work its codes), not only its id.
    const all = await json<Page<{ activityDescriptionId?: string; activityDescriptionName?: string }>>(
      '/v1/time-entries?limit=200',
    );
    const described = all.data.filter((e) => e.activityDescriptionId);
    expect(described.length).toBeGreaterThan(0);
    for (const e of described) expect(e.activityDescriptionName).toMatch(/\S/);
    expect(described.some((e) => /^A\d{3} /.test(e.activityDescriptionName!))).toBe(true);
    const bills =
      await json<Page<{ id: string; state: string; total?: { amountCents: number } }>>('/v1/bills?limit=5');
    for (const b of bills.data) {
      if (b.total) expect(Number.isInteger(b.total.amountCents)).toBe(true);
      expect((await json<{ id: string }>(`/v1/bills/${b.id}`)).id).toBe(b.id);
    }
  });
});
