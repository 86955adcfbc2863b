import { call, dump, expectEnvelope, useSandbox, tokenFor, uploadForm, seeded } from './helpers';

describe('iManage sandbox: folders, documents and versions', () => {
  const s = useSandbox();

  it('when folders are created in a workspace and in a folder, then parents and inheritance are right', async () => {
    const top = await call(`${s.lib}/workspaces/ACTIVE!5/folders`, s.token, { json: { name: 'Discovery' } });
    expect(top.status).toBe(201);
    expect(top.body.data).toMatchObject({
      wstype: 'folder',
      name: 'Discovery',
      parent_id: 'ACTIVE!5',
      workspace_id: 'ACTIVE!5',
      default_security: 'inherit',
      inherited_default_security: 'public',
      ...seeded(5),
      has_subfolders: false,
      folder_url: expect.stringContaining('/work/link/f/'),
    });
    const sub = await call(`${s.lib}/folders/${top.body.data.id as string}/folders`, s.token, {
      json: { name: 'Productions', default_security: 'private' },
    });
    expect(sub.body.data).toMatchObject({
      parent_id: top.body.data.id,
      workspace_id: 'ACTIVE!5',
      default_security: 'private',
    });
    const parent = await call(`${s.lib}/folders/${top.body.data.id as string}`, s.token);
    expect(parent.body.data.has_subfolders).toBe(true);
    const kids = await call(`${s.lib}/folders/${top.body.data.id as string}/children?total=true`, s.token);
    expect(kids.body.total_count).toBe(1);
    const search = await call(`${s.lib}/folders?container_id=ACTIVE!5&name=discovery`, s.token);
    expect(search.body.data.results.map((f: { id: string }) => f.id)).toEqual([top.body.data.id]);
    expectEnvelope(
      await call(`${s.lib}/workspaces/ACTIVE!999999/folders`, s.token, { json: { name: 'x' } }),
      404,
    );
  });

  it('when a document is uploaded and revised, then ids, versions, links and content follow', async () => {
    const folder = (await call(`${s.lib}/workspaces/ACTIVE!7/children`, s.token)).body.data.results[0]
      .id as string;
    const profile = {
      doc_profile: { name: 'Engagement Letter', comment: 'signed' },
      inherit_profile_from_folder: true,
    };
    const created = await call(`${s.lib}/folders/${folder}/documents`, s.token, {
      form: uploadForm('letter.docx', 'version one', profile),
    });
    expect(created.status).toBe(201);
    const doc = created.body.data;
    expect(doc).toMatchObject({
      id: expect.stringMatching(/^ACTIVE!\d+\.1$/),
      version: 1,
      name: 'Engagement Letter',
      extension: 'DOCX',
      type: 'WORDX',
      size: 11,
      comment: 'signed',
      ...seeded(7),
      workspace_id: 'ACTIVE!7',
      iwl: expect.stringMatching(/&&num=\d+&&ver=1$/),
      document_url: expect.stringContaining(`/work/link/d/${doc.id as string}`),
    });
    const number = doc.document_number as number;
    const v2 = await call(`${s.lib}/documents/ACTIVE!${number}/versions`, s.token, {
      form: uploadForm('letter.docx', 'version two, longer', { doc_profile: { comment: 'redline' } }),
    });
    expect(v2.status).toBe(201);
    expect(v2.body.data).toMatchObject({
      id: `ACTIVE!${number}.2`,
      version: 2,
      size: 19,
      comment: 'redline',
      name: 'Engagement Letter',
    });

    const latest = await call(`${s.lib}/documents/ACTIVE!${number}`, s.token);
    expect(latest.body.data.id).toBe(`ACTIVE!${number}.2`);
    const first = await call(`${s.lib}/documents/active!${number}.1`, s.token);
    expect(first.body.data.comment).toBe('signed');
    const versions = await call(`${s.lib}/documents/ACTIVE!${number}/versions`, s.token);
    expect(versions.body.data.results.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    const download = await call(`${s.lib}/documents/ACTIVE!${number}.1/download`, s.token);
    expect(download.body).toBe('version one');
    expect(download.headers.get('content-disposition')).toContain('Engagement%20Letter.docx');
    const web = await call(
      `${s.base}/work/web/api/v2/customers/1/libraries/ACTIVE/documents/ACTIVE!${number}/download`,
      s.token,
    );
    expect(web.body).toBe('version two, longer');
  });

  it('when an upload is malformed, then 400; into a missing folder, then 404', async () => {
    const noFile = new FormData();
    noFile.append('profile', '{}');
    expectEnvelope(await call(`${s.lib}/folders/ACTIVE!1001/documents`, s.token, { form: noFile }), 400);
    const badJson = uploadForm('a.txt', 'x');
    badJson.set('profile', '{not json');
    expectEnvelope(await call(`${s.lib}/folders/ACTIVE!1001/documents`, s.token, { form: badJson }), 400);
    expectEnvelope(
      await call(`${s.lib}/folders/ACTIVE!999999/documents`, s.token, { form: uploadForm('a.txt', 'x') }),
      404,
    );
    expectEnvelope(await call(`${s.lib}/documents/ACTIVE!1.1`, s.token), 404);
    expectEnvelope(await call(`${s.lib}/documents/OTHER!10001.1`, s.token), 404);
  });

  it('when documents are searched, then latest versions match by custom values and container, with paging', async () => {
    const m20 = seeded(20);
    const byMatter = await call(
      `${s.lib}/documents?custom1=${m20.custom1}&custom2=${m20.custom2}&total=true`,
      s.token,
    );
    expect(byMatter.status).toBe(200);
    const d = await dump(s.base);
    const latest = new Map<number, number>();
    for (const doc of d.documents) {
      if (doc.custom2 === '00020')
        latest.set(doc.document_number, Math.max(latest.get(doc.document_number) ?? 0, doc.version));
    }
    expect(byMatter.body.total_count).toBe(latest.size);
    for (const r of byMatter.body.data.results) expect(r.version).toBe(latest.get(r.document_number));
    const inWorkspace = await call(`${s.lib}/documents?container_id=ACTIVE!20&total=true&limit=1`, s.token);
    expect(inWorkspace.body.total_count).toBe(latest.size);
    expect(inWorkspace.body.data.results.length).toBeLessThanOrEqual(1);
    const posted = await call(`${s.lib}/documents/search`, s.token, {
      json: {
        limit: 2,
        total: true,
        filters: { custom2: '00020' },
        profile_fields: { document: ['name', 'version'] },
      },
    });
    expect(posted.body.total_count).toBe(latest.size);
    for (const r of posted.body.data.results)
      expect(Object.keys(r).sort()).toEqual(['id', 'name', 'version']);
  });

  it('when searching at customer level, then the one library answers; other libraries give nothing', async () => {
    const customer = `${s.base}/work/api/v2/customers/1`;
    const ws = await call(`${customer}/workspaces?custom2=00020&total=true`, s.token);
    expect(ws.body.data.results.map((w: { id: string }) => w.id)).toEqual(['ACTIVE!20']);
    const docs = await call(`${customer}/documents?custom2=00020&libraries=active&total=true`, s.token);
    const byLibrary = await call(`${s.lib}/documents?custom2=00020&total=true`, s.token);
    expect(docs.body.total_count).toBe(byLibrary.body.total_count);
    const other = await call(`${customer}/workspaces?custom2=00020&libraries=OTHER&total=true`, s.token);
    expect(other.body).toEqual({ data: { results: [] }, total_count: 0 });
    const viewer = await tokenFor(s.base, 'viewer');
    const posted = await call(`${s.lib}/documents/search`, viewer, {
      json: { filters: { custom2: '00020' } },
    });
    expect(posted.status).toBe(200);
    expectEnvelope(await call(`${s.base}/work/api/v2/customers/9/workspaces`, s.token), 404);
  });

  it('when a document profile is patched, then the change shows on that version', async () => {
    const a = await call(`${s.lib}/documents/ACTIVE!10001.1`, s.token, {
      method: 'PATCH',
      json: { comment: 'reviewed' },
    });
    expect(a.status).toBe(200);
    expect(a.body.data.comment).toBe('reviewed');
    expectEnvelope(
      await call(`${s.lib}/documents/ACTIVE!10001.1`, s.token, {
        method: 'PATCH',
        json: { custom2: '00001' },
      }),
      422,
    );
  });

  it('when the seed is read, then 5,000 documents exist with 1 to 3 versions each', async () => {
    const d = await dump(s.base);
    const counts = new Map<number, number>();
    for (const doc of d.documents)
      counts.set(doc.document_number, (counts.get(doc.document_number) ?? 0) + 1);
    const seeded = [...counts.entries()].filter(([n]) => n >= 10001 && n <= 15000);
    expect(seeded).toHaveLength(5000);
    expect(seeded.every(([, n]) => n >= 1 && n <= 3)).toBe(true);
    expect(
      d.folders
        .filter((f: { workspace_id: string }) => f.workspace_id === 'ACTIVE!1')
        .map((f: { name: string }) => f.name),
    ).toEqual(['Correspondence', 'Pleadings', 'Documents', 'Emails', 'Research']);
  });
});
