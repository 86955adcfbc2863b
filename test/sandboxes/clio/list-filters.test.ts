import { readClioSpec } from './openapi-validator';
import { startSandbox, type Harness, type Json } from './helpers';

/**
 * The index filters of matters, contacts, activities and bills as Clio's OpenAPI document (test/fixtures,
 * ../shared/reference/clio-openapi-v4.json) describes each parameter.
 */
let h: Harness;
beforeAll(async () => {
  h = await startSandbox();
});
afterAll(() => h.sandbox.close());

interface Spec {
  paths: Record<string, { get: { parameters: { name: string; description?: string; schema?: Json }[] } }>;
}
const spec = readClioSpec<Spec>();
const param = (path: string, name: string) =>
  spec.paths[path]!.get.parameters.find((p) => p.name === name) as { description: string; schema: Json };

describe('association filters and the keyword null', () => {
  it.each([
    ['matters', 'client_id'],
    ['matters', 'practice_area_id'],
    ['bills', 'client_id'],
  ])('when %s are filtered by %s=null, which Clio says is not valid, then 400', async (list, name) => {
    expect(param(`/${list}.json`, name).description).toContain(
      'The keyword `null` is not valid for this field',
    );
    const res = await h.call(`/api/v4/${list}.json?${name}=null&fields=id`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { type: expect.any(String), message: expect.stringContaining(name) } });
  });

  it.each([
    ['matters', 'responsible_attorney_id'],
    ['activities', 'matter_id'],
    ['bills', 'matter_id'],
  ])('when %s are filtered by %s=null, which Clio allows, then 200', async (list, name) => {
    expect(param(`/${list}.json`, name).description).toContain(
      'Use the keyword `null` to match those without',
    );
    expect((await h.call(`/api/v4/${list}.json?${name}=null&fields=id`)).status).toBe(200);
  });

  it('when bills are filtered by a matter_id that is not an id, then 400 as for every other id filter', async () => {
    expect(param('/bills.json', 'matter_id').schema).toMatchObject({ type: 'integer' });
    for (const bad of ['abc', '-3', '1.5']) {
      const res = await h.call(`/api/v4/bills.json?matter_id=${bad}&fields=id`);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('matter_id');
    }
  });

  it('when bills are filtered by matter_id, then only bills of that matter come', async () => {
    const all = await h.call('/api/v4/bills.json?fields=id,matters&limit=200');
    const matterId = all.body.data[0].matters[0].id as number;
    const some = await h.call(`/api/v4/bills.json?matter_id=${matterId}&fields=id,matters&limit=200`);
    expect(some.body.data.length).toBeGreaterThan(0);
    expect(some.body.data.length).toBeLessThan(all.body.data.length);
    for (const b of some.body.data) expect(b.matters.map((m: Json) => m.id)).toContain(matterId);
  });
});

describe('order: the values Clio lists for each index, and no others', () => {
  const LISTS = ['matters', 'contacts', 'activities', 'bills'];
  const enumOf = (list: string) => param(`/${list}.json`, 'order').schema.enum as string[];

  it.each(LISTS)('when %s are ordered by each value Clio lists, then 200', async (list) => {
    const refused: string[] = [];
    for (const order of enumOf(list)) {
      const res = await h.call(`/api/v4/${list}.json?order=${encodeURIComponent(order)}&fields=id&limit=5`);
      if (res.status !== 200) refused.push(`${order}: ${res.status}`);
    }
    expect(refused).toEqual([]);
  });

  it.each([
    ['bills', 'total(asc)'],
    ['bills', 'state(desc)'],
    ['bills', 'updated_at(asc)'],
    ['contacts', 'created_at(asc)'],
  ])('when %s are ordered by %s, which Clio does not list, then 400', async (list, order) => {
    expect(enumOf(list)).not.toContain(order);
    const res = await h.call(`/api/v4/${list}.json?order=${encodeURIComponent(order)}&fields=id`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('order');
  });

  it("when bills are ordered by client_name, then by their client's name", async () => {
    const res = await h.call('/api/v4/bills.json?order=client_name(desc)&fields=id,client{name}&limit=200');
    const names = res.body.data.map((b: Json) => b.client.name as string);
    expect(names.length).toBeGreaterThan(1);
    expect(names).toEqual([...names].sort((a, b) => b.localeCompare(a)));
    expect(new Set(names).size).toBeGreaterThan(1);
  });
});

describe("contacts' query: the fields Clio's document names", () => {
  it('when contacts are searched, then title, every email, phone and address, company and related matter match', async () => {
    const description = param('/contacts.json', 'query').description;
    expect(description).toMatch(
      /name, title, email address, address, phone number[\s\S]*related matter name, or company name/,
    );
    const post = async (path: string, data: Json) => {
      const res = await h.call(`/api/v4/${path}.json?fields=id`, { method: 'POST', json: { data } });
      expect(res.status).toBe(201);
      return res.body.data.id as number;
    };
    const company = await post('contacts', { type: 'Company', name: 'Zephyrine Holdings' });
    const person = await post('contacts', {
      type: 'Person',
      first_name: 'Quinta',
      last_name: 'Marlowe',
      title: 'Chief Widget Officer',
      company: { id: company },
      email_addresses: [
        { name: 'Work', address: 'quinta@first.test', default_email: true },
        { name: 'Other', address: 'qm-second@elsewhere.test' },
      ],
      phone_numbers: [
        { name: 'Work', number: '555-0100', default_number: true },
        { name: 'Mobile', number: '555-0199' },
      ],
      addresses: [
        {
          name: 'Home',
          street: '1 Larkspur Lane',
          city: 'Ottawa',
          province: 'Ontario',
          postal_code: 'K1A 0B1',
          country: 'Canada',
        },
      ],
    });
    await post('matters', { description: 'Orbison estate planning', client: { id: person } });

    const found = async (q: string) =>
      (
        (await h.call(`/api/v4/contacts.json?query=${encodeURIComponent(q)}&fields=id&limit=200`)).body
          .data as Json[]
      ).map((c) => c.id as number);
    expect(await found('quinta marlowe')).toEqual([person]);
    expect(await found('widget officer')).toEqual([person]);
    expect(await found('qm-second@elsewhere')).toEqual([person]);
    expect(await found('555-0199')).toEqual([person]);
    expect(await found('K1A 0B1')).toEqual([person]);
    expect(await found('Ontario')).toContain(person);
    expect(await found('Orbison')).toEqual([person]);
    expect(await found('Zephyrine')).toEqual([company, person]);
    expect(await found('no-such-words-anywhere')).toEqual([]);
  });
});
