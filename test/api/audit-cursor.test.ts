import { createAuditStore } from '../../src/audit';
import { entry } from '../audit/fixtures';
import { type Api, startApi } from './api-harness';

interface Page {
  data: { idempotencyKey: string; action: string }[];
  nextCursor: string | null;
  error?: { code: string; details: { fields: { field: string }[] } };
}

/** `GET /v1/audit` pages with a cursor the client can neither read nor carry to other filters (no Temporal needed). */
describe('GET /v1/audit cursors', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
    const audit = createAuditStore(api.db, { retentionYears: api.config.AUDIT_RETENTION_YEARS });
    // Another tenant's records between ours: the store's sequence runs across tenants.
    for (let i = 0; i < 7; i++) {
      await audit.append(entry('sandbox', `k-${i}`, i % 2 ? { action: 'time_entry.rejected' } : {}));
      await audit.append(entry('other-firm', `o-${i}`));
    }
  });
  afterAll(async () => {
    await api?.stop();
  });

  async function get(query: string): Promise<{ status: number; body: Page }> {
    const res = await fetch(`${api.url}/v1/audit?${query}`, {
      headers: { authorization: 'Bearer sandbox-billing' },
    });
    return { status: res.status, body: (await res.json()) as Page };
  }

  test('when a tenant pages through its trail, then every record comes once and the cursor reveals no sequence number', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await get(`limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.data.map((r) => r.idempotencyKey));
      cursor = page.body.nextCursor;
      if (cursor) {
        const opened = Buffer.from(cursor, 'base64url').toString('latin1');
        expect(opened).not.toMatch(/"s"\s*:|"t"\s*:/);
      }
    } while (cursor);
    expect(seen.sort()).toEqual(['k-0', 'k-1', 'k-2', 'k-3', 'k-4', 'k-5', 'k-6']);
  });

  test('when a cursor is sent with other filters, then it is refused naming query.cursor', async () => {
    const first = await get('limit=2');
    const other = await get(`limit=2&action=time_entry.rejected&cursor=${first.body.nextCursor}`);
    expect(other.status).toBe(400);
    expect(other.body.error?.details.fields.map((f) => f.field)).toEqual(['query.cursor']);
    const filtered = await get('limit=2&action=time_entry.rejected');
    const next = await get(`limit=2&action=time_entry.rejected&cursor=${filtered.body.nextCursor}`);
    expect(next.status).toBe(200);
    expect(next.body.data.map((r) => r.action)).toEqual(['time_entry.rejected']);
  });

  test('when a cursor in the old readable form is sent, then it is refused, not followed', async () => {
    const readable = Buffer.from(JSON.stringify({ v: 1, t: 'sandbox', s: 3 })).toString('base64url');
    const answer = await get(`limit=2&cursor=${readable}`);
    expect(answer.status).toBe(400);
    expect(answer.body.error?.details.fields.map((f) => f.field)).toEqual(['query.cursor']);
  });
});
