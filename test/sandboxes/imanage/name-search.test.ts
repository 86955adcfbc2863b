import { call, useSandbox } from './helpers';

/**
 * A retried create-workspace or create-folder step finds what an earlier attempt created by searching for its
 * name. Reference (../shared/reference/imanage-api.md, "Searching workspaces"): searches are not case-sensitive,
 * `name` matches whole fields, several words may be given comma- or space-separated. A name's own text is a
 * whole field, so it must find its record whatever punctuation it holds.
 */
describe('iManage sandbox: search by name', () => {
  const s = useSandbox();
  const named = 'Smith & Co. - Merger (2024)';

  it('when a folder name holds punctuation, then searching its container for that exact name finds it', async () => {
    const created = await call(`${s.lib}/workspaces/ACTIVE!1/folders`, s.token, { json: { name: named } });
    expect(created.status).toBe(201);
    const found = await call(
      `${s.lib}/folders?container_id=ACTIVE!1&name=${encodeURIComponent(named)}`,
      s.token,
    );
    expect(found.status).toBe(200);
    expect(found.body.data.results.map((f: { id: string }) => f.id)).toEqual([created.body.data.id]);
  });

  it('when a workspace is searched by its own full name, then it is found (seeded names hold " - " and parentheses)', async () => {
    const ws = (await call(`${s.lib}/workspaces/ACTIVE!1`, s.token)).body.data as {
      id: string;
      name: string;
    };
    expect(ws.name).toMatch(/[-()]/);
    const found = await call(`${s.lib}/workspaces?name=${encodeURIComponent(ws.name)}`, s.token);
    expect(found.body.data.results.map((w: { id: string }) => w.id)).toContain(ws.id);
    const upper = await call(
      `${s.lib}/workspaces?name=${encodeURIComponent(ws.name.toUpperCase())}`,
      s.token,
    );
    expect(upper.body.data.results.map((w: { id: string }) => w.id)).toContain(ws.id);
  });

  it('when a name is searched by words, then whole words match and parts of words do not', async () => {
    await call(`${s.lib}/workspaces/ACTIVE!2/folders`, s.token, { json: { name: named } });
    const byWords = await call(`${s.lib}/folders?container_id=ACTIVE!2&name=merger,2024`, s.token);
    expect(byWords.body.data.results).toHaveLength(1);
    const partial = await call(`${s.lib}/folders?container_id=ACTIVE!2&name=merg`, s.token);
    expect(partial.body.data.results).toEqual([]);
  });
});
