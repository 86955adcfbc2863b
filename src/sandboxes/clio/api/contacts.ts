import { asText } from '../http/query-value';
import { z } from 'zod';
import { forbidden, unprocessable } from '../http/errors';
import { USD } from '../seed/seed-firm';
import { customFieldFilter } from './custom-field-filter';
import type { Doc } from '../state/record-store';
import { applyCustomFieldValues } from './custom-field-values';
import { dataOf, parseInput, zBool, zDate, zId, zRef } from './input';
import type { ApiContext, ResourceDef } from './resource-def';
import { metaFor } from './resource-meta';

const Email = z.object({
  id: zId.optional(),
  name: z.enum(['Work', 'Home', 'Other']).optional(),
  address: z.string().email().optional(),
  default_email: zBool.optional(),
  _destroy: zBool.optional(),
});
const Phone = z.object({
  id: zId.optional(),
  name: z.enum(['Work', 'Home', 'Mobile', 'Fax', 'Pager', 'Skype', 'Other']).optional(),
  number: z.string().min(1).optional(),
  default_number: zBool.optional(),
  _destroy: zBool.optional(),
});
const Address = z.object({
  id: zId.optional(),
  name: z.enum(['Work', 'Home', 'Billing', 'Other']).optional(),
  street: z.string().optional(),
  city: z.string().optional(),
  province: z.string().optional(),
  postal_code: z.string().optional(),
  country: z.string().optional(),
  _destroy: zBool.optional(),
});

const ContactInput = z.object({
  type: z.enum(['Person', 'Company']),
  name: z.string().max(255).optional(),
  first_name: z.string().max(255).optional(),
  middle_name: z.string().max(255).optional(),
  last_name: z.string().max(255).optional(),
  prefix: z.string().optional(),
  title: z.string().optional(),
  date_of_birth: zDate.optional(),
  company: zRef.optional(),
  is_client: zBool.optional(),
  ledes_client_id: z.string().optional(),
  sales_tax_number: z.string().optional(),
  email_addresses: z.array(Email).optional(),
  phone_numbers: z.array(Phone).optional(),
  addresses: z.array(Address).optional(),
  custom_field_values: z.array(z.record(z.string(), z.unknown())).optional(),
});
type ContactFields = Partial<z.infer<typeof ContactInput>>;

/** Write names (default_email, Home/Mobile phones) map to the read schema (primary, Work|Personal|Other). */
const PHONE_READ_NAME: Record<string, string> = {
  Work: 'Work',
  Home: 'Personal',
  Mobile: 'Personal',
  Fax: 'Other',
  Pager: 'Other',
  Skype: 'Other',
  Other: 'Other',
};

function mergeItems(
  ctx: ApiContext,
  collection: string,
  current: Doc[],
  items: Record<string, unknown>[] | undefined,
  toRead: (item: Record<string, unknown>) => Record<string, unknown>,
): Doc[] {
  if (!items) return current;
  const out = current.map((c) => ({ ...c }));
  const stamp = new Date().toISOString();
  for (const item of items) {
    const index = item.id === undefined ? -1 : out.findIndex((c) => c.id === item.id);
    if (item.id !== undefined && index === -1)
      throw unprocessable(`${collection} ${asText(item.id)} could not be found on this contact`);
    if (item._destroy === true) {
      out.splice(index, 1);
      continue;
    }
    const fields = toRead(item);
    if (index === -1)
      out.push({
        id: ctx.state.store.nextId(collection),
        etag: `"${stamp}"`,
        created_at: stamp,
        updated_at: stamp,
        ...fields,
      });
    else out[index] = { ...(out[index] as Doc), ...fields, updated_at: stamp };
  }
  // One primary at most, as Clio keeps it.
  if (out.length && !out.some((o) => o.primary === true)) (out[0] as Doc).primary = true;
  return out;
}

function buildFields(ctx: ApiContext, input: ContactFields, current?: Doc): Record<string, unknown> {
  const type = input.type ?? (current?.type as string);
  const first = input.first_name ?? (current?.first_name as string | undefined);
  const last = input.last_name ?? (current?.last_name as string | undefined);
  let name = input.name ?? (current?.name as string | undefined);
  if (type === 'Person' && (input.first_name !== undefined || input.last_name !== undefined))
    name = [first, last].filter(Boolean).join(' ');
  if (type === 'Person' && !first && !last) {
    // Clio splits a lone name; failing that it asks for a first or last name.
    const parts = (name ?? '').trim().split(/\s+/).filter(Boolean);
    if (parts.length < 1) throw unprocessable('First name or last name is required');
    return buildFields(
      ctx,
      { ...input, first_name: parts.slice(0, -1).join(' ') || undefined, last_name: parts[parts.length - 1] },
      current,
    );
  }
  if (!name) throw unprocessable('Name is required');
  if (input.company && !ctx.state.store.get('contacts', input.company.id))
    throw unprocessable('Company could not be found');
  const emails = mergeItems(
    ctx,
    'email_addresses',
    (current?.email_addresses as Doc[]) ?? [],
    input.email_addresses,
    (e) => ({
      ...(e.address ? { address: e.address } : {}),
      ...(e.name ? { name: e.name } : {}),
      ...(e.default_email !== undefined ? { primary: e.default_email } : {}),
    }),
  );
  const phones = mergeItems(
    ctx,
    'phone_numbers',
    (current?.phone_numbers as Doc[]) ?? [],
    input.phone_numbers,
    (p) => ({
      ...(p.number ? { number: p.number } : {}),
      ...(p.name ? { name: PHONE_READ_NAME[p.name as string] } : {}),
      ...(p.default_number !== undefined ? { primary: p.default_number } : {}),
    }),
  );
  const addresses = mergeItems(
    ctx,
    'addresses',
    (current?.addresses as Doc[]) ?? [],
    input.addresses,
    (a) => {
      const { id: _id, _destroy, ...rest } = a;
      return rest;
    },
  );
  const {
    email_addresses: _e,
    phone_numbers: _p,
    addresses: _a,
    custom_field_values: _c,
    ...scalars
  } = input;
  return {
    ...scalars,
    type,
    name,
    ...(type === 'Person'
      ? { first_name: first, last_name: last, initials: `${first?.[0] ?? ''}${last?.[0] ?? ''}` }
      : { initials: name.slice(0, 1) }),
    email_addresses: emails,
    phone_numbers: phones,
    addresses,
    primary_email_address: (emails.find((e) => e.primary) ?? emails[0])?.address,
    primary_phone_number: (phones.find((p) => p.primary) ?? phones[0])?.number,
    ...(input.custom_field_values
      ? {
          custom_field_values: applyCustomFieldValues(
            ctx,
            'Contact',
            (current?.custom_field_values as Doc[]) ?? [],
            input.custom_field_values,
          ),
        }
      : {}),
  };
}

export const contactsDef: ResourceDef = {
  meta: metaFor('contacts'),
  path: 'contacts',
  // Clio's `order` enum for GET /contacts.json.
  orders: ['name', 'shared_at'],
  filter: (f, ctx) => {
    f.equals('type', '$.type', ['Person', 'Company']);
    if (f.query.client_only === 'true') f.where.push({ path: '$.is_client', op: '=', value: 1 });
    if (f.query.email_only === 'true') f.predicate((c) => Boolean(c.primary_email_address));
    if (typeof f.query.initial === 'string') {
      const initial = f.query.initial.toUpperCase();
      f.predicate((c) =>
        asText(c.type === 'Person' ? c.last_name : c.name)
          .toUpperCase()
          .startsWith(initial),
      );
    }
    const exclude = f.query['exclude_ids[]'];
    if (exclude !== undefined) {
      const ids = new Set((Array.isArray(exclude) ? exclude : [exclude]).map(Number));
      f.predicate((c) => !ids.has(c.id));
    }
    customFieldFilter(f, ctx);
    // Clio: "name, title, email address, address, phone number, web site, instant messenger address, custom
    // fields, related matter name, or company name".
    const { store } = ctx.state;
    const within = (list: unknown, keys: string[], needle: string) =>
      ((list as Doc[] | undefined) ?? []).some((item) =>
        keys.some((k) => asText(item[k]).toLowerCase().includes(needle)),
      );
    f.text(
      ['name', 'first_name', 'last_name', 'title', 'primary_email_address', 'primary_phone_number'],
      (c, needle) => {
        if (within(c.email_addresses, ['address'], needle)) return true;
        if (within(c.phone_numbers, ['number'], needle)) return true;
        if (within(c.addresses, ['street', 'city', 'province', 'postal_code', 'country'], needle))
          return true;
        if (within(c.web_sites, ['address'], needle) || within(c.instant_messengers, ['address'], needle))
          return true;
        if (within(c.custom_field_values, ['value'], needle)) return true;
        const company = c.company as { id: number } | undefined;
        if (company && asText(store.get('contacts', company.id)?.name).toLowerCase().includes(needle))
          return true;
        return store
          .list('matters', { where: [{ path: '$.client.id', op: '=', value: c.id }] })
          .some((m) => `${asText(m.display_number)} ${asText(m.description)}`.toLowerCase().includes(needle));
      },
    );
  },
  create: (ctx, body) => {
    const input = parseInput(ContactInput, dataOf(body));
    return ctx.state.store.insert('contacts', {
      is_client: false,
      is_co_counsel: false,
      is_bill_recipient: true,
      has_clio_for_clients_permission: false,
      is_clio_for_client_user: false,
      locked_clio_connect_email: false,
      currency: USD,
      custom_field_values: [],
      ...buildFields(ctx, input),
    });
  },
  update: (ctx, current, body) => {
    const input = parseInput(ContactInput.partial(), dataOf(body));
    return ctx.state.store.update('contacts', current.id, buildFields(ctx, input, current));
  },
  destroy: (ctx, current) => {
    const { store } = ctx.state;
    if (
      store.list('matters', { where: [{ path: '$.client.id', op: '=', value: current.id }], limit: 1 }).length
    )
      throw forbidden('A contact that is the client of a matter cannot be deleted');
    store.remove('contacts', current.id);
  },
};
