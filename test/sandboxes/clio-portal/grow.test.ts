import { PortalClient, startPortal, type Json, type PortalHarness } from './portal-harness';

let h: PortalHarness;
let c: PortalClient;
const bearer = { authorization: 'Bearer sandbox-access-token' };

const lead = (token: string, extra: Record<string, unknown> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'application/json' },
  body: JSON.stringify({
    inbox_lead_token: token,
    inbox_lead: {
      from_first: 'Rowan',
      from_last: 'Quill',
      from_email: 'rowan.quill@new.example',
      from_phone: '555-0100',
      from_message: 'Need help with a lease',
      referring_url: 'https://example.com/form',
      from_source: 'Website',
      ...extra,
    },
  }),
});

beforeAll(async () => {
  h = await startPortal();
  c = new PortalClient(h.base);
  await c.signIn('admin@sandbox.test', 'totp');
});
afterAll(() => h.close());

describe('Clio Grow inbox and conversion', () => {
  it('when the seed loads, then 50 leads exist by state and appear in the dump', async () => {
    const dump = (await (await fetch(`${h.base}/_sandbox/dump`)).json()) as Json;
    expect(dump.inbox_leads).toHaveLength(50);
    expect(dump.grow_matters).toHaveLength(10);
    const ignored = (await (
      await fetch(`${h.base}/inbox_leads?state=ignored`, { headers: bearer })
    ).json()) as Json;
    expect(ignored.data).toHaveLength(5);
    const page = (await (
      await fetch(`${h.base}/inbox_leads?state=untriaged&limit=20`, { headers: bearer })
    ).json()) as Json;
    expect(page.data).toHaveLength(20);
    const rest = (await (
      await fetch(`${h.base}/inbox_leads?state=untriaged&limit=50&page_token=${page.meta.next_page_token}`, {
        headers: bearer,
      })
    ).json()) as Json;
    expect(rest.data).toHaveLength(25);
    expect(rest.meta.next_page_token).toBeUndefined();
    expect((await fetch(`${h.base}/inbox_leads`)).status).toBe(401);
    expect((await fetch(`${h.base}/inbox_leads?state=nope`, { headers: bearer })).status).toBe(400);
    expect((await fetch(`${h.base}/grow/matters`, { headers: bearer })).status).toBe(200);
  });

  it('when a lead is posted with a bad token, then it is refused and nothing is stored', async () => {
    expect((await fetch(`${h.base}/inbox_leads`, lead('wrong-token'))).status).toBe(401);
    const missing = await fetch(`${h.base}/inbox_leads`, lead('sandbox-inbox-token', { from_message: '' }));
    expect(missing.status).toBe(422);
    const dump = (await (await fetch(`${h.base}/_sandbox/dump`)).json()) as Json;
    expect(dump.inbox_leads).toHaveLength(50);
  });

  it('when a lead is posted and converted, then a Manage contact and matter exist and the lead is converted', async () => {
    const posted = await fetch(`${h.base}/inbox_leads`, lead('sandbox-inbox-token'));
    expect(posted.status).toBe(201);
    const created = ((await posted.json()) as Json).data;
    expect(created).toMatchObject({
      state: 'untriaged',
      from_first: 'Rowan',
      from_email: 'rowan.quill@new.example',
    });
    const check = await c.json('/internal/conflict_checks', {
      method: 'POST',
      json: { names: ['Rowan Quill'], emails: ['rowan.quill@new.example'], excludeLeadId: created.id },
    });
    expect(check.body.conflictCheck.hits).toEqual([]);
    const converted = await c.json('/internal/grow/conversions', {
      method: 'POST',
      json: { leadId: created.id, description: 'Lease dispute' },
    });
    expect(converted.status).toBe(201);
    expect(converted.body.contact.created).toBe(true);
    expect(converted.body.lead).toEqual({ id: created.id, state: 'converted' });
    const matter = await fetch(
      `${h.base}/api/v4/matters/${converted.body.matter.id}.json?fields=id,description,status,client`,
      { headers: bearer },
    );
    expect(((await matter.json()) as Json).data).toMatchObject({
      description: 'Lease dispute',
      status: 'Open',
      client: { id: converted.body.contact.id },
    });
    const again = await c.json('/internal/grow/conversions', {
      method: 'POST',
      json: { leadId: created.id },
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ alreadyConverted: true, matter: { id: converted.body.matter.id } });
    const list = (await (
      await fetch(`${h.base}/inbox_leads?state=converted`, { headers: bearer })
    ).json()) as Json;
    expect(list.data.map((l: Json) => l.id)).toContain(created.id);
  });

  it('when a seeded lead matches a contact, then the conflict check finds it and conversion reuses the contact', async () => {
    const dump = (await (await fetch(`${h.base}/_sandbox/dump`)).json()) as Json;
    const contacts = dump.contacts as Json[];
    const known = (dump.inbox_leads as Json[]).find(
      (l) =>
        l.state === 'untriaged' &&
        !l.grow_matter &&
        contacts.some((ct) => ct.primary_email_address === l.from_email),
    )!;
    const contact = contacts.find((ct) => ct.primary_email_address === known.from_email)!;
    const check = await c.json('/internal/conflict_checks', {
      method: 'POST',
      json: {
        names: [`${known.from_last}, ${known.from_first}`],
        emails: [known.from_email],
        excludeLeadId: known.id,
      },
    });
    expect(check.status).toBe(200);
    const hits = check.body.conflictCheck.hits as Json[];
    expect(hits).toContainEqual(
      expect.objectContaining({ source: 'contact', id: contact.id, matchedOn: 'email' }),
    );
    if (contact.is_client) expect(hits.some((x) => x.source === 'matter' && x.role === 'client')).toBe(true);
    expect(hits.some((x) => x.source === 'inbox_lead' && x.id === known.id)).toBe(false);
    const converted = await c.json('/internal/grow/conversions', {
      method: 'POST',
      json: { leadId: known.id },
    });
    expect(converted.body.contact).toMatchObject({ id: contact.id, created: false });
  });

  it('when Grow matters are in the pipeline, then Did Not Hire and ignored leads are refused', async () => {
    const dump = (await (await fetch(`${h.base}/_sandbox/dump`)).json()) as Json;
    const lost = (dump.grow_matters as Json[]).find((m) => m.status === 'Did Not Hire')!;
    const refused = await c.json('/internal/grow/conversions', {
      method: 'POST',
      json: { growMatterId: lost.id },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.rule).toBe('not_hired');
    const ignored = (dump.inbox_leads as Json[]).find((l) => l.state === 'ignored')!;
    expect(
      (await c.json('/internal/grow/conversions', { method: 'POST', json: { leadId: ignored.id } })).body
        .error.rule,
    ).toBe('lead_ignored');
    const hired = (dump.grow_matters as Json[]).find((m) => m.status === 'Hired')!;
    const ok = await c.json('/internal/grow/conversions', {
      method: 'POST',
      json: { growMatterId: hired.id },
    });
    expect(ok.status).toBe(201);
    expect(ok.body.growMatter.status).toBe('Converted');
    expect((await c.json('/internal/conflict_checks', { method: 'POST', json: {} })).status).toBe(400);
  });

  it('when a conversion fails half-way, then nothing of it is stored', async () => {
    const posted = (
      (await (
        await fetch(
          `${h.base}/inbox_leads`,
          lead('sandbox-inbox-token', { from_email: 'half.way@new.example' }),
        )
      ).json()) as Json
    ).data;
    const before = (await (await fetch(`${h.base}/_sandbox/dump`)).json()) as Json;
    const failed = await c.json('/internal/grow/conversions', {
      method: 'POST',
      json: { leadId: posted.id, practiceAreaId: 1 },
    });
    expect(failed.status).toBe(422);
    const after = (await (await fetch(`${h.base}/_sandbox/dump`)).json()) as Json;
    expect(after.contacts).toHaveLength(before.contacts.length);
    expect(after.matters).toHaveLength(before.matters.length);
    expect(after.grow_matters).toHaveLength(before.grow_matters.length);
    expect(after.inbox_leads.find((l: Json) => l.id === posted.id).state).toBe('untriaged');
    const one = await fetch(`${h.base}/inbox_leads/${posted.id}`, { headers: bearer });
    expect(((await one.json()) as Json).data.state).toBe('untriaged');
    expect((await fetch(`${h.base}/grow/contacts/1`, { headers: bearer })).status).toBe(404);
  });

  it('when the sandbox resets, then the Grow seed comes back as it was', async () => {
    const before = (await (await fetch(`${h.base}/_sandbox/dump`)).json()) as Json;
    await fetch(`${h.base}/_sandbox/reset`, { method: 'POST' });
    const after = (await (await fetch(`${h.base}/_sandbox/dump`)).json()) as Json;
    expect(after.inbox_leads).toHaveLength(50);
    expect(after.inbox_leads.filter((l: Json) => l.state === 'converted')).toHaveLength(0);
    expect(after.inbox_leads.map((l: Json) => [l.id, l.from_email])).toEqual(
      before.inbox_leads.slice(0, 50).map((l: Json) => [l.id, l.from_email]),
    );
  });
});
