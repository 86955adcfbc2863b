import { call, clientWith, dump, expectEnvelope, firm, seeded, useSandbox } from './helpers';

describe('iManage sandbox: custom1/custom2 lookups', () => {
  const s = useSandbox();

  it('when a seeded client is read, then its alias comes back; a missing one is 404', async () => {
    const client = seeded(1).custom1;
    const a = await call(`${s.lib}/customs/custom1/${client}`, s.token);
    expect(a.status).toBe(200);
    expect(a.body.data).toMatchObject({
      id: client,
      description: expect.any(String),
      enabled: true,
      wstype: 'custom1',
    });
    expectEnvelope(await call(`${s.lib}/customs/custom1/99999`, s.token), 404, 'NOT_FOUND');
  });

  it('when custom1 is created, then it is readable, listed in the dump, and a duplicate is 409', async () => {
    const created = await call(`${s.lib}/customs/custom1`, s.token, {
      json: { id: 'C-100', description: 'New Client LLC' },
    });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({
      id: 'C-100',
      description: 'New Client LLC',
      enabled: true,
      hipaa: false,
    });
    expect((await call(`${s.lib}/customs/custom1/${encodeURIComponent('c-100')}`, s.token)).status).toBe(200);
    expectEnvelope(
      await call(`${s.lib}/customs/custom1`, s.token, { json: { id: 'C-100' } }),
      409,
      'ALREADY_EXISTS',
    );
    const d = await dump(s.base);
    expect(d.custom1.filter((c: { id: string }) => c.id === 'C-100')).toHaveLength(1);
  });

  it('when custom2 is created under an existing custom1, then it carries its parent', async () => {
    await call(`${s.lib}/customs/custom1`, s.token, { json: { id: 'C-200', description: 'Parent' } });
    const created = await call(`${s.lib}/customs/custom2`, s.token, {
      json: { id: 'M-1', description: 'A matter', parent: { id: 'C-200' } },
    });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ id: 'M-1', parent: { id: 'C-200', ssid: expect.any(Number) } });
    const read = await call(`${s.lib}/customs/custom2/M-1?parent_alias=C-200`, s.token);
    expect(read.body.data.description).toBe('A matter');
    expectEnvelope(
      await call(`${s.lib}/customs/custom2/M-1?parent_alias=${seeded(1).custom1}`, s.token),
      404,
    );
  });

  it('when custom2 names a missing parent, then 422; with no parent, then 400', async () => {
    expectEnvelope(
      await call(`${s.lib}/customs/custom2`, s.token, { json: { id: 'M-2', parent: { id: 'NOPE' } } }),
      422,
      'VALIDATION_FAILED',
    );
    const noParent = await call(`${s.lib}/customs/custom2`, s.token, { json: { id: 'M-2' } });
    expectEnvelope(noParent, 400, 'INVALID_REQUEST');
    expect(noParent.body.error.messages[0].field).toBe('parent');
  });

  it('when custom1 is patched, then the description changes', async () => {
    const a = await call(`${s.lib}/customs/custom1/${seeded(2).custom1}`, s.token, {
      method: 'PATCH',
      json: { description: 'Renamed' },
    });
    expect(a.status).toBe(200);
    expect(a.body.data.description).toBe('Renamed');
  });

  it('when custom1 is listed with offset, limit and total, then pages follow alias order', async () => {
    const page = await call(`${s.lib}/customs/custom1?offset=10&limit=5&total=true`, s.token);
    expect(page.body.total_count).toBeGreaterThanOrEqual(firm.clients.length);
    const inAliasOrder = firm.clients.map((c) => c.alias).sort();
    expect(page.body.data.results.map((r: { id: string }) => r.id)).toEqual(inAliasOrder.slice(10, 15));
    const noTotal = await call(`${s.lib}/customs/custom1?limit=1`, s.token);
    expect(noTotal.body.total_count).toBeUndefined();
  });

  it('when custom2 is patched, then its description changes under that parent only', async () => {
    const { custom1, custom2 } = seeded(4);
    const otherClient = firm.clients.find((c) => c.alias !== custom1)!.alias;
    const a = await call(`${s.lib}/customs/custom2/${custom2}?parent_alias=${custom1}`, s.token, {
      method: 'PATCH',
      json: { description: 'Patched matter', enabled: false },
    });
    expect(a.body.data).toMatchObject({
      id: custom2,
      description: 'Patched matter',
      enabled: false,
      parent: { id: custom1 },
    });
    expectEnvelope(
      await call(`${s.lib}/customs/custom2/${custom2}?parent_alias=${otherClient}`, s.token, {
        method: 'PATCH',
        json: {},
      }),
      404,
    );
  });

  it('when custom2 is listed by parent with total, then every seeded matter of the client comes back', async () => {
    const client = clientWith(2);
    const a = await call(`${s.lib}/customs/custom2?parent_alias=${client.alias}&total=true`, s.token);
    expect(a.body.total_count).toBe(client.matters.length);
    expect(a.body.data.results.map((r: { id: string }) => r.id)).toEqual(client.matters);
  });
});
