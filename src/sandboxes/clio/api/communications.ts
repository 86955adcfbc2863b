import { z } from 'zod';
import { unprocessable } from '../http/errors';
import { queryString } from '../http/query-value';
import type { Doc } from '../state/record-store';
import { dataOf, parseInput, zDate, zId, zRef } from './input';
import { ExternalPropertyInput, hasExternalProperty, mergeExternalProperties } from './nested-items';
import type { ApiContext, ResourceDef } from './resource-def';
import { metaFor } from './resource-meta';
import { checkLinkFields } from './simple-crud';

const Party = z.object({ id: zId, type: z.enum(['User', 'Contact']) });
const CommunicationInput = z.object({
  type: z.enum(['EmailCommunication', 'PhoneCommunication']),
  subject: z.string().min(1).max(255),
  body: z.string(),
  date: zDate.optional(),
  received_at: z
    .string()
    .refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO-8601 timestamp')
    .optional(),
  matter: zRef.optional(),
  user: zRef.optional(),
  senders: z.array(Party).optional(),
  receivers: z.array(Party).optional(),
  external_properties: z.array(ExternalPropertyInput).optional(),
});

const parties = (ctx: ApiContext, list: z.infer<typeof Party>[] | undefined): Doc[] | undefined =>
  list?.map((p) => {
    const who = ctx.state.store.get(p.type === 'User' ? 'users' : 'contacts', p.id);
    if (!who) throw unprocessable(`${p.type} ${p.id} could not be found`);
    return { id: p.id, type: p.type, name: who.name, enabled: true };
  });

function build(
  ctx: ApiContext,
  input: Partial<z.infer<typeof CommunicationInput>>,
  current?: Doc,
): Record<string, unknown> {
  checkLinkFields(ctx, input, { matter: 'matters', user: 'users' });
  const { senders, receivers, external_properties, ...rest } = input;
  return {
    ...rest,
    ...(senders ? { senders: parties(ctx, senders) } : {}),
    ...(receivers ? { receivers: parties(ctx, receivers) } : {}),
    external_properties: mergeExternalProperties(
      () => ctx.state.store.nextId('external_properties'),
      (current?.external_properties as Doc[]) ?? [],
      external_properties,
    ),
  };
}

export const communicationsDef: ResourceDef = {
  meta: metaFor('communications'),
  path: 'communications',
  orders: ['date', 'received_at'],
  filter: (f) => {
    f.link('matter_id', '$.matter.id');
    f.link('user_id', '$.user.id');
    f.equals('type', '$.type', ['EmailCommunication', 'PhoneCommunication']);
    const contact = f.query.contact_id;
    if (contact !== undefined)
      f.predicate((c) =>
        [...((c.senders as Doc[]) ?? []), ...((c.receivers as Doc[]) ?? [])].some(
          (p) => p.type === 'Contact' && p.id === Number(contact),
        ),
      );
    const name = queryString(f.query.external_property_name);
    const value = queryString(f.query.external_property_value);
    if (name !== undefined || value !== undefined) f.predicate((c) => hasExternalProperty(c, name, value));
    f.text(['subject', 'body']);
  },
  create: (ctx, body) => {
    const input = parseInput(CommunicationInput, dataOf(body));
    return ctx.state.store.insert('communications', {
      date: new Date().toISOString().slice(0, 10),
      time_entries_count: 0,
      user: { id: ctx.userId },
      senders: [],
      receivers: [],
      ...build(ctx, input),
    });
  },
  update: (ctx, current, body) =>
    ctx.state.store.update(
      'communications',
      current.id,
      build(ctx, parseInput(CommunicationInput.partial(), dataOf(body)), current),
    ),
  destroy: (ctx, current) => {
    ctx.state.store.remove('communications', current.id);
  },
};
