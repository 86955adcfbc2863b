import { call, dump, expectEnvelope, useSandbox, firm, clientWith, seeded as seededMatter } from './helpers';

describe('iManage sandbox: workspaces', () => {
  const s = useSandbox();

  const newMatter = async (client: string, matter: string) => {
    await call(`${s.lib}/customs/custom1`, s.token, {
      json: { id: client, description: `Client ${client}` },
    });
    await call(`${s.lib}/customs/custom2`, s.token, {
      json: { id: matter, description: `Matter ${matter}`, parent: { id: client } },
    });
  };

  it('when a workspace is created with custom1+custom2, then it has an id, links and descriptions', async () => {
    await newMatter('W1', 'W1-01');
    const a = await call(`${s.lib}/workspaces`, s.token, {
      json: { name: 'W1 - First matter', custom1: 'W1', custom2: 'W1-01', default_security: 'private' },
    });
    expect(a.status).toBe(201);
    expect(a.body.data).toMatchObject({
      id: expect.stringMatching(/^ACTIVE!\d+$/),
      database: 'ACTIVE',
      wstype: 'workspace',
      name: 'W1 - First matter',
      custom1: 'W1',
      custom1_description: 'Client W1',
      custom2: 'W1-01',
      custom2_description: 'Matter W1-01',
      default_security: 'private',
      owner: 'ADMIN',
      iwl: expect.stringMatching(/^iwl:dms=.+&&lib=ACTIVE&&num=\d+$/),
      workspace_url: expect.stringMatching(/\/work\/link\/w\/ACTIVE!\d+\/$/),
    });
    const got = await call(`${s.lib}/workspaces/${a.body.data.id as string}`, s.token);
    expect(got.body.data).toEqual(a.body.data);
  });

  it('when the name is too long or blank, then 400 names the field', async () => {
    const long = await call(`${s.lib}/workspaces`, s.token, { json: { name: 'x'.repeat(255) } });
    expectEnvelope(long, 400, 'INVALID_REQUEST');
    expect(long.body.error.messages[0].field).toBe('name');
    expect((await call(`${s.lib}/workspaces`, s.token, { json: { name: 'x'.repeat(254) } })).status).toBe(
      201,
    );
    expectEnvelope(await call(`${s.lib}/workspaces`, s.token, { json: { name: '   ' } }), 400);
  });

  it('when custom2 comes without custom1, or an alias is unknown, then 422', async () => {
    const orphan = await call(`${s.lib}/workspaces`, s.token, { json: { name: 'Orphan', custom2: '00001' } });
    expectEnvelope(orphan, 422, 'VALIDATION_FAILED');
    expect(orphan.body.error.messages[0]).toMatchObject({ field: 'custom2', code: 'PARENT_REQUIRED' });
    expectEnvelope(await call(`${s.lib}/workspaces`, s.token, { json: { name: 'X', custom1: 'NOPE' } }), 422);
    // Matter 00001 is filed under its own client, not under another one.
    const otherClient = firm.clients.find((c) => c.alias !== seededMatter(1).custom1)!.alias;
    expectEnvelope(
      await call(`${s.lib}/workspaces`, s.token, {
        json: { name: 'X', custom1: otherClient, custom2: '00001' },
      }),
      422,
    );
  });

  // Reference imanage-api.md §3: "custom30 is a child of custom29", as custom2 is of custom1, and a child may
  // only be set together with its parent in the same request.
  it('when custom30 comes without custom29, then 422 as for custom2 without custom1', async () => {
    const orphan = await call(`${s.lib}/workspaces`, s.token, { json: { name: 'Orphan', custom30: 'M&A' } });
    expectEnvelope(orphan, 422, 'VALIDATION_FAILED');
    expect(orphan.body.error.messages[0]).toMatchObject({ field: 'custom30', code: 'PARENT_REQUIRED' });
    const patched = await call(`${s.lib}/workspaces/ACTIVE!3`, s.token, {
      method: 'PATCH',
      json: { custom30: 'M&A' },
    });
    expectEnvelope(patched, 422, 'VALIDATION_FAILED');
    const paired = await call(`${s.lib}/workspaces`, s.token, {
      json: { name: 'Paired', custom29: 'CORP', custom30: 'M&A' },
    });
    expect(paired.status).toBe(201);
    expect(paired.body.data).toMatchObject({ custom29: 'CORP', custom30: 'M&A' });
  });

  // Reference imanage-api.md §3: a workspace is created by a POST "with a JSON body"; only the OAuth endpoints
  // take form fields (§1).
  it('when a workspace or folder create comes as form fields, then 400 and nothing is created', async () => {
    const form = (url: string) =>
      fetch(url, {
        method: 'POST',
        headers: { 'X-Auth-Token': s.token },
        body: new URLSearchParams({ name: 'Formfilled' }),
      });
    const refused = await form(`${s.lib}/workspaces`);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/application\/json/);
    expect((await form(`${s.lib}/workspaces/ACTIVE!4/folders`)).status).toBe(400);
    const found = await call(`${s.lib}/workspaces?name=Formfilled`, s.token);
    expect(found.body.data.results).toEqual([]);
    expect(
      (await call(`${s.lib}/folders?container_id=ACTIVE!4&name=Formfilled`, s.token)).body.data.results,
    ).toEqual([]);
  });

  it('when a template is given, then its folders are copied and its security applies', async () => {
    await newMatter('T1', 'T1-01');
    const a = await call(`${s.lib}/workspaces`, s.token, {
      json: { name: 'From template', template: 'ACTIVE!1', custom1: 'T1', custom2: 'T1-01' },
    });
    expect(a.status).toBe(201);
    expect(a.body.data.has_subfolders).toBe(true);
    const children = await call(`${s.lib}/workspaces/${a.body.data.id as string}/children`, s.token);
    expect(children.body.data.results.map((f: { name: string }) => f.name)).toEqual([
      'Correspondence',
      'Pleadings',
      'Documents',
      'Emails',
      'Research',
    ]);
    expect(children.body.data.results[0]).toMatchObject({
      custom1: 'T1',
      custom2: 'T1-01',
      workspace_id: a.body.data.id,
    });
    expectEnvelope(
      await call(`${s.lib}/workspaces`, s.token, { json: { name: 'Bad', template: 'ACTIVE!999999' } }),
      422,
    );
  });

  it('when searching by exact custom values, then only that matter matches; partial values match nothing', async () => {
    const m10 = seededMatter(10);
    const a = await call(
      `${s.lib}/workspaces?custom1=${m10.custom1}&custom2=${m10.custom2}&total=true`,
      s.token,
    );
    expect(a.body.total_count).toBe(1);
    expect(a.body.data.results[0]).toMatchObject({ id: 'ACTIVE!10', ...m10 });
    const partial = await call(`${s.lib}/workspaces?custom2=0001&total=true`, s.token);
    expect(partial.body.total_count).toBe(0);
  });

  it('when paging with offset, limit and total, then pages tile the result without overlap', async () => {
    const client = clientWith(2);
    const first = await call(`${s.lib}/workspaces?custom1=${client.alias}&limit=1&total=true`, s.token);
    const second = await call(
      `${s.lib}/workspaces?custom1=${client.alias}&limit=1&offset=1&total=true`,
      s.token,
    );
    const past = await call(`${s.lib}/workspaces?custom1=${client.alias}&offset=50`, s.token);
    expect(first.body.total_count).toBe(client.matters.length);
    expect(first.body.data.results).toHaveLength(1);
    expect(second.body.data.results[0].id).not.toBe(first.body.data.results[0].id);
    expect(past.body).toEqual({ data: { results: [] } });
    const all = await call(`${s.lib}/workspaces?limit=1000&total=true`, s.token);
    expect(all.body.total_count).toBeGreaterThanOrEqual(1000);
    expectEnvelope(await call(`${s.lib}/workspaces?limit=-1`, s.token), 400);
  });

  it('when a workspace is patched, then the profile changes and filed items see the new name', async () => {
    const a = await call(`${s.lib}/workspaces/ACTIVE!12`, s.token, {
      method: 'PATCH',
      json: { name: 'Renamed matter', description: 'changed' },
    });
    expect(a.status).toBe(200);
    expect(a.body.data).toMatchObject({
      id: 'ACTIVE!12',
      name: 'Renamed matter',
      description: 'changed',
      custom2: '00012',
    });
    const folders = await call(`${s.lib}/workspaces/ACTIVE!12/children`, s.token);
    expect(folders.body.data.results[0].workspace_name).toBe('Renamed matter');
    expectEnvelope(
      await call(`${s.lib}/workspaces/ACTIVE!12`, s.token, { method: 'PATCH', json: { custom2: '00011' } }),
      422,
    );
    expectEnvelope(
      await call(`${s.lib}/workspaces/ACTIVE!999999`, s.token, { method: 'PATCH', json: { name: 'x' } }),
      404,
    );
    // custom2 is a child of custom1: moving the workspace to a client that has no such matter is refused.
    const current = (await call(`${s.lib}/workspaces/ACTIVE!12`, s.token)).body.data as { custom1: string };
    const clients = (await call(`${s.lib}/customs/custom1?limit=20`, s.token)).body.data.results as {
      id: string;
    }[];
    let stranger: string | undefined;
    for (const c of clients) {
      if (c.id === current.custom1) continue;
      if ((await call(`${s.lib}/customs/custom2/00012?parent_alias=${c.id}`, s.token)).status === 404) {
        stranger = c.id;
        break;
      }
    }
    expect(stranger).toBeDefined();
    expectEnvelope(
      await call(`${s.lib}/workspaces/ACTIVE!12`, s.token, { method: 'PATCH', json: { custom1: stranger } }),
      422,
    );
    expect((await call(`${s.lib}/workspaces/ACTIVE!12`, s.token)).body.data.custom1).toBe(current.custom1);
  });

  it('when a workspace is missing, then 404', async () => {
    expectEnvelope(await call(`${s.lib}/workspaces/ACTIVE!999999`, s.token), 404, 'NOT_FOUND');
    expectEnvelope(await call(`${s.lib}/workspaces/garbage`, s.token), 404);
  });

  it('when the dump is read, then the 1,000 seeded matter workspaces are there in API shape', async () => {
    const d = await dump(s.base);
    const seeded = d.workspaces.filter((w: { document_number: number }) => w.document_number <= 1000);
    expect(seeded).toHaveLength(1000);
    expect(seeded[41]).toMatchObject({
      id: 'ACTIVE!42',
      ...seededMatter(42),
      custom1_description: firm.matters[41]!.clientName,
    });
  });
});
