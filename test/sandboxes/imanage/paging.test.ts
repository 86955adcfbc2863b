import { call, clientWith, expectEnvelope, useSandbox } from './helpers';

/**
 * Reference (../shared/reference/imanage-api.md §6 "Pagination" and §4 "Response envelope"): lists answer
 * `{ data: { results }, total_count?, cursor? }`; searches accept an opaque `cursor`, and "when more items exist
 * than `limit`, a cursor is returned".
 */
describe('iManage sandbox: cursor paging', () => {
  const s = useSandbox();
  const ids = (a: { body: { data: { results: { id: string }[] } } }) => a.body.data.results.map((r) => r.id);

  it('when more workspaces match than the limit, then a cursor comes back and following it walks the rest', async () => {
    const client = clientWith(3);
    const seen: string[] = [];
    let url = `${s.lib}/workspaces?custom1=${client.alias}&limit=1`;
    for (let page = 0; page < 10; page++) {
      const a = await call(url, s.token);
      expect(a.status).toBe(200);
      seen.push(...ids(a));
      if (a.body.cursor === undefined) break;
      expect(typeof a.body.cursor).toBe('string');
      url = `${s.lib}/workspaces?custom1=${client.alias}&limit=1&cursor=${encodeURIComponent(a.body.cursor as string)}`;
    }
    expect(seen).toHaveLength(client.matters.length);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('when everything fits in one page, then no cursor', async () => {
    const client = clientWith(2);
    const a = await call(`${s.lib}/workspaces?custom1=${client.alias}&limit=100`, s.token);
    expect(a.body.cursor).toBeUndefined();
  });

  it('when documents and folders are listed past the limit, then they carry a cursor too', async () => {
    const docs = await call(`${s.lib}/documents?limit=5`, s.token);
    const next = await call(
      `${s.lib}/documents?limit=5&cursor=${encodeURIComponent(docs.body.cursor as string)}`,
      s.token,
    );
    expect(ids(next)).toHaveLength(5);
    expect(ids(next).some((id) => ids(docs).includes(id))).toBe(false);
    const folders = await call(`${s.lib}/folders?container_id=ACTIVE!1&limit=2`, s.token);
    expect(typeof folders.body.cursor).toBe('string');
  });

  it('when a cursor is not one the server gave, then 400 naming it (not page one again)', async () => {
    const a = await call(`${s.lib}/workspaces?limit=2&cursor=not-a-cursor`, s.token);
    expectEnvelope(a, 400, 'INVALID_REQUEST');
    expect(a.body.error.messages[0].field).toBe('cursor');
  });
});
