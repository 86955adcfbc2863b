import type { Json } from './helpers';
import { useContract } from './contract-harness';
import { DOCUMENTED_NULLS, readClioSpec } from './openapi-validator';

const { op } = useContract();

const VALUE_FIELDS =
  'custom_field_values{id,etag,field_name,field_type,field_required,field_displayed,field_display_order,value,soft_deleted,custom_field,created_at,updated_at}';

const byField = (values: Json[], fieldId: number): Json[] =>
  values.filter((v: Json) => v.custom_field.id === fieldId);

async function matterFields(): Promise<Json[]> {
  return (
    await op(
      '/custom_fields.json',
      'GET',
      '/api/v4/custom_fields.json?parent_type=matter&fields=id,name,field_type,displayed,required,display_order,deleted',
      { expect: 200 },
    )
  ).data;
}

async function newMatter(description: string): Promise<number> {
  const created = await op('/matters.json', 'POST', '/api/v4/matters.json?fields=id', {
    json: { data: { description, client: { id: 1200001 } } },
    expect: 201,
  });
  return created.data.id;
}

async function valuesOf(matterId: number, query = ''): Promise<Json[]> {
  return (
    await op(
      '/matters/{id}.json',
      'GET',
      `/api/v4/matters/${matterId}.json?fields=${encodeURIComponent(VALUE_FIELDS)}${query}`,
      { expect: 200 },
    )
  ).data.custom_field_values;
}

async function patchValues(matterId: number, items: unknown[], expectStatus: number): Promise<Json> {
  return op('/matters/{id}.json', 'PATCH', `/api/v4/matters/${matterId}.json?fields=id`, {
    json: { data: { custom_field_values: items } },
    expect: expectStatus,
  });
}

describe('custom field values: null-id entries for displayed fields without a value', () => {
  it('each null the validator allows is still promised by Clio’s document; this one on matters and contacts', () => {
    const spec = readClioSpec<{ tags: { name: string; description?: string }[] }>();
    const text = JSON.stringify(spec);
    for (const [, , sentence] of DOCUMENTED_NULLS)
      expect(text).toContain(JSON.stringify(sentence).slice(1, -1));
    const [, , customFieldSentence] = DOCUMENTED_NULLS.find(([name]) => name === 'CustomFieldValue_base')!;
    for (const tag of ['Matters', 'Contacts'])
      expect(spec.tags.find((t) => t.name === tag)?.description).toContain(customFieldSentence);
  });

  it('when a matter has no values, then each displayed matter field is listed with a null id, and the answer matches the schema', async () => {
    const fields = (await matterFields()).filter((f) => f.displayed && !f.deleted);
    expect(fields.length).toBeGreaterThan(0);
    const matterId = await newMatter('Blank custom fields');
    const values = await valuesOf(matterId);
    expect(values).toEqual(
      fields
        .sort((a, b) => a.display_order - b.display_order || a.id - b.id)
        .map((f) => ({
          id: null,
          field_name: f.name,
          field_type: f.field_type,
          field_required: f.required,
          field_displayed: true,
          field_display_order: f.display_order,
          soft_deleted: false,
          custom_field: { id: f.id },
        })),
    );
    // Without braces a value answers its default fields: the blank one is just a null id.
    const defaults = await op(
      '/matters/{id}.json',
      'GET',
      `/api/v4/matters/${matterId}.json?fields=custom_field_values`,
      { expect: 200 },
    );
    expect(defaults.data.custom_field_values).toEqual(fields.map(() => ({ id: null })));
    await op(
      '/matters.json',
      'GET',
      `/api/v4/matters.json?limit=5&fields=${encodeURIComponent(VALUE_FIELDS)}`,
      {
        expect: 200,
      },
    );
  });

  it('when a field is not displayed by default, then it has no entry until it is given a value', async () => {
    const hidden = await op('/custom_fields.json', 'POST', '/api/v4/custom_fields.json?fields=id', {
      json: {
        data: { name: 'Hidden note', field_type: 'text_line', parent_type: 'Matter', displayed: false },
      },
      expect: 201,
    });
    const matterId = await newMatter('Hidden custom field');
    expect(byField(await valuesOf(matterId), hidden.data.id)).toEqual([]);
    await patchValues(matterId, [{ custom_field: { id: hidden.data.id }, value: 'seen now' }], 200);
    expect(byField(await valuesOf(matterId), hidden.data.id)).toEqual([
      expect.objectContaining({
        id: expect.stringMatching(/^text_line-\d+$/),
        value: 'seen now',
        field_displayed: false,
      }),
    ]);
  });

  it('when a value is created with custom_field{id}, then the null entry becomes a real one; destroying it brings the null entry back', async () => {
    const court = (await matterFields()).find((f) => f.name === 'Court')!;
    const matterId = await newMatter('Court value');
    const before = await valuesOf(matterId);
    expect(byField(before, court.id)).toEqual([expect.objectContaining({ id: null })]);

    await patchValues(matterId, [{ custom_field: { id: court.id }, value: 'Superior Court' }], 200);
    const after = await valuesOf(matterId);
    expect(after).toHaveLength(before.length);
    const [filled] = byField(after, court.id);
    expect(filled).toMatchObject({
      id: expect.stringMatching(/^text_line-\d+$/),
      value: 'Superior Court',
      etag: expect.any(String),
      field_displayed: true,
    });

    await patchValues(matterId, [{ id: filled.id, _destroy: true }], 200);
    expect(byField(await valuesOf(matterId), court.id)).toEqual([expect.objectContaining({ id: null })]);
  });

  it('when a write sends a null value id, then it is refused with 422 pointing at custom_field{id}, and nothing changes', async () => {
    const court = (await matterFields()).find((f) => f.name === 'Court')!;
    const matterId = await newMatter('Null id write');
    for (const item of [
      { id: null, value: 'x' },
      { id: null, custom_field: { id: court.id }, value: 'x' },
      { id: null, _destroy: true },
    ]) {
      const refused = await patchValues(matterId, [item], 422);
      expect(refused.error.message).toMatch(/custom_field/);
    }
    expect(byField(await valuesOf(matterId), court.id)).toEqual([expect.objectContaining({ id: null })]);
  });

  it('when custom_field_ids[] is given, then the null entries are narrowed too', async () => {
    const fields = (await matterFields()).filter((f) => f.displayed);
    const [court, other] = [fields.find((f) => f.name === 'Court')!, fields.find((f) => f.name !== 'Court')!];
    const matterId = await newMatter('Narrowed blanks');
    const one = await valuesOf(matterId, `&custom_field_ids[]=${court.id}`);
    expect(one).toEqual([expect.objectContaining({ id: null, custom_field: { id: court.id } })]);
    const two = await valuesOf(matterId, `&custom_field_ids[]=${court.id}&custom_field_ids[]=${other.id}`);
    expect(two.map((v: Json) => v.custom_field.id).sort()).toEqual([court.id, other.id].sort());
    expect(await valuesOf(matterId, '&custom_field_ids[]=1')).toEqual([]);
  });

  it('when filtering by a displayed field nobody filled, then its null entries match nothing', async () => {
    const fields = await matterFields();
    const court = fields.find((f) => f.name === 'Court')!;
    const conflict = fields.find((f) => f.field_type === 'checkbox')!;
    await newMatter('Unfilled filter target');
    for (const condition of [`${court.id}]=`, `${conflict.id}]=false`]) {
      const found = await op(
        '/matters.json',
        'GET',
        `/api/v4/matters.json?fields=id&custom_field_values[${condition}`,
        { expect: 200 },
      );
      expect(found.data).toEqual([]);
    }
  });

  it('when a contact is read, then its displayed contact fields without values are listed with null ids (seeded contacts too)', async () => {
    const contactFields = (
      await op(
        '/custom_fields.json',
        'GET',
        '/api/v4/custom_fields.json?parent_type=contact&fields=id,displayed',
        { expect: 200 },
      )
    ).data.filter((f: Json) => f.displayed);
    expect(contactFields.length).toBeGreaterThan(0);
    const expected = contactFields.map((f: Json) =>
      expect.objectContaining({ id: null, custom_field: { id: f.id } }),
    );
    const contact = await op(
      '/contacts/{id}.json',
      'GET',
      `/api/v4/contacts/1200001.json?fields=${encodeURIComponent(VALUE_FIELDS)}`,
      { expect: 200 },
    );
    expect(contact.data.custom_field_values).toEqual(expected);
    const listed = await op(
      '/contacts.json',
      'GET',
      `/api/v4/contacts.json?limit=3&fields=${encodeURIComponent(VALUE_FIELDS)}`,
      { expect: 200 },
    );
    for (const c of listed.data) expect(c.custom_field_values).toEqual(expected);
  });
});
