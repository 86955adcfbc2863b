import { ClioApiError } from '../../src/integrations/clio/errors';
import { activitySchema } from '../../src/integrations/clio/resources/activities';
import { billSchema } from '../../src/integrations/clio/resources/billing';
import { type ClioResource } from '../../src/integrations/clio/resource';
import { clioClient, recordingTransport, startClio, type ClioHarness } from './helpers';

let h: ClioHarness;
beforeAll(async () => {
  h = await startClio();
});
afterAll(() => h.close());

describe('Clio client: typed reads against the sandbox', () => {
  it('when reading who_am_i, then the user is normalized (ids as strings, rate in cents)', async () => {
    const me = await clioClient(h.baseUrl).users.whoAmI();
    expect(me).toMatchObject({
      id: expect.stringMatching(/^\d+$/),
      email: 'admin@sandbox.test',
      accountName: expect.any(String),
    });
    expect(me.rate).toEqual({ amountCents: expect.any(Number), currency: 'USD' });
    expect(Number.isInteger(me.rate?.amountCents)).toBe(true);
  });

  it('when reading a matter, then status is lower case, links are ids and custom fields are a list', async () => {
    const clio = clioClient(h.baseUrl);
    const first = (await clio.matters.listPage({ limit: 1 })).data[0];
    expect(first).toBeDefined();
    const matter = await clio.matters.get(first?.id as string);
    expect(matter).toMatchObject({
      id: first?.id,
      displayNumber: expect.stringMatching(/^\d{5}/),
      status: expect.stringMatching(/^(open|pending|closed)$/),
      clientId: expect.stringMatching(/^\d+$/),
      currency: 'USD',
    });
    expect(Array.isArray(matter.customFieldValues)).toBe(true);
  });

  it('when walking all matters by cursor, then every matter comes once, in id order', async () => {
    const clio = clioClient(h.baseUrl);
    const ids: string[] = [];
    for await (const m of clio.matters.list({}, { limit: 200 })) ids.push(m.id);
    const dump = (await (await fetch(`${h.baseUrl}/_sandbox/dump`)).json()) as { matters: unknown[] };
    expect(ids).toHaveLength(dump.matters.length);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort((a, b) => Number(a) - Number(b))).toEqual(ids);
  });

  it('when paging by hand, then listPage hands back an opaque token for the next page', async () => {
    const clio = clioClient(h.baseUrl);
    const p1 = await clio.matters.listPage({ limit: 3, filters: { status: 'open' } });
    expect(p1.data).toHaveLength(3);
    expect(p1.nextPageToken).toEqual(expect.any(String));
    const p2 = await clio.matters.listPage({
      limit: 3,
      filters: { status: 'open' },
      pageToken: p1.nextPageToken,
    });
    expect(Number(p2.data[0]?.id)).toBeGreaterThan(Number(p1.data[2]?.id));
  });

  it('when reading time entries, then durations are seconds and money is integer cents', async () => {
    const page = await clioClient(h.baseUrl).activities.listPage({
      limit: 20,
      filters: { type: 'TimeEntry' },
    });
    expect(page.data.length).toBe(20);
    for (const a of page.data) {
      expect(a.type).toBe('TimeEntry');
      expect(Number.isInteger(a.durationSeconds)).toBe(true);
      expect(a.total).toEqual({ amountCents: expect.any(Number), currency: 'USD' });
      expect(Number.isInteger(a.total?.amountCents)).toBe(true);
      expect(a.matterId).toMatch(/^\d+$/);
    }
  });

  it('when reading UTBMS codes, then task and activity codes are there', async () => {
    const codes = [];
    for await (const c of clioClient(h.baseUrl).utbmsCodes.list()) codes.push(c);
    expect(codes.find((c) => c.code === 'L110')).toMatchObject({ type: 'UtbmsTask' });
    expect(codes.find((c) => c.code === 'A103')).toMatchObject({ type: 'UtbmsActivity' });
  });

  it('when every resource is listed, then each served one parses into its domain type', async () => {
    const clio = clioClient(h.baseUrl);
    const resources: Record<string, ClioResource<unknown>> = {
      contacts: clio.contacts,
      matters: clio.matters,
      activities: clio.activities,
      bills: clio.bills,
      bankAccounts: clio.bankAccounts,
      bankTransactions: clio.bankTransactions,
      calendarEntries: clio.calendarEntries,
      tasks: clio.tasks,
      documents: clio.documents,
      folders: clio.folders,
      notes: clio.notes,
      practiceAreas: clio.practiceAreas,
      utbmsCodes: clio.utbmsCodes,
      users: clio.users,
    };
    const served: string[] = [];
    for (const [name, resource] of Object.entries(resources)) {
      try {
        // Clio's notes index requires a type.
        await resource.listPage({ limit: 5, filters: name === 'notes' ? { type: 'Matter' } : {} });
        served.push(name);
      } catch (err) {
        // A route the sandbox does not serve yet answers 404 "Route ..."; anything else is a real failure.
        if (!(err instanceof ClioApiError && err.status === 404 && /Route/.test(err.message))) throw err;
      }
    }
    expect(served).toEqual(expect.arrayContaining(['matters', 'activities', 'utbmsCodes', 'users']));
  });
});

describe('Clio client: ETag revalidation', () => {
  it('when a record of its own fields is read twice, then the second read is answered 304 and gives the same record', async () => {
    const rec = recordingTransport();
    const clio = clioClient(h.baseUrl, { transport: rec.transport });
    const id = (await clio.bankAccounts.listPage({ limit: 1 })).data[0]?.id as string;
    const first = await clio.bankAccounts.get(id);
    const second = await clio.bankAccounts.get(id);
    expect(rec.statuses).toEqual([200, 200, 304]);
    expect(second).toEqual(first);
  });

  it("when a record shows a linked record's name, then it is read in full each time: a renamed client shows at once", async () => {
    const rec = recordingTransport();
    const clio = clioClient(h.baseUrl, { transport: rec.transport });
    const matter = (await clio.matters.listPage({ limit: 1 })).data[0]!;
    const before = await clio.matters.get(matter.id);
    const renamed = `Renamed ${Date.now()}`;
    await clio.contacts.update(before.clientId!, { name: renamed });
    const after = await clio.matters.get(matter.id);
    // The matter's own ETag did not change (its client did): a 304 here would have kept the old name.
    expect(after.etag).toBe(before.etag);
    expect(after.clientName).toBe(renamed);
    expect(rec.statuses).not.toContain(304);
  });

  it('when the record changed in between, then the new version is read', async () => {
    const rec = recordingTransport();
    const clio = clioClient(h.baseUrl, { transport: rec.transport });
    const id = (await clio.matters.listPage({ limit: 1 })).data[0]?.id as string;
    const first = await clio.matters.get(id);
    await clio.matters.update(id, { description: `${first.description} (renamed)` });
    const again = await clio.matters.get(id);
    expect(rec.statuses.slice(-1)).toEqual([200]);
    expect(again.description).toBe(`${first.description} (renamed)`);
    expect(again.etag).not.toBe(first.etag);
  });
});

describe('Clio client: money and durations as Clio sends them', () => {
  const entry = (fields: Record<string, unknown>) =>
    activitySchema('USD').parse({ id: 410000001, type: 'TimeEntry', date: '2026-10-21', ...fields });
  const bill = (fields: Record<string, unknown>) =>
    billSchema('USD').parse({ id: 2400001, state: 'draft', ...fields });

  it.each([
    [123.45, 12345],
    [0.29, 29],
    [-123.45, -12345],
    [1234567.89, 123456789],
    ['123.45', 12345],
    // Rounded to the cent once, from the amount Clio wrote: not first to six places (1.005) and then up.
    [1.0049999999, 100],
    [-1.0049999999, -100],
    [0.0049999999, 0],
    [99999999999.995, 10000000000000],
    [1e-7, 0],
  ])('when Clio sends a total of %p, then it is %i cents exactly', (total, cents) => {
    expect(entry({ total }).total).toEqual({ amountCents: cents, currency: 'USD' });
    expect(bill({ total }).total).toEqual({ amountCents: cents, currency: 'USD' });
  });

  it("when Clio names the record's currency, then the money carries it, not the firm's default", () => {
    expect(entry({ price: 250, currency: { code: 'CAD' } }).rate).toEqual({
      amountCents: 25000,
      currency: 'CAD',
    });
    expect(bill({ balance: -10.5, currency: { id: 2, code: 'EUR' } }).balance).toEqual({
      amountCents: -1050,
      currency: 'EUR',
    });
  });

  it('when Clio sends quantity in seconds (API 4.0.4 and later), then durations are those seconds', () => {
    const e = entry({ quantity: 1328, rounded_quantity: 1440 });
    expect(e.durationSeconds).toBe(1328);
    expect(e.roundedDurationSeconds).toBe(1440);
  });

  it('when Clio leaves a value out or sends null, then the field is absent, never 0', () => {
    const e = entry({ total: null, price: null, quantity: null, note: null, matter: null });
    expect(e.total).toBeUndefined();
    expect(e.rate).toBeUndefined();
    expect(e.durationSeconds).toBeUndefined();
    expect(e.matterId).toBeUndefined();
    expect(bill({ number: 1001 }).number).toBe('1001');
  });
});
