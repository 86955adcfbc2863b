import { z } from 'zod';
import { unprocessable } from '../http/errors';
import { dataOf, parseInput, zBool, zId, zRef } from './input';
import type { ApiContext, ResourceDef } from './resource-def';
import { metaFor } from './resource-meta';
import { checkLinkFields } from './simple-crud';

/** A matter's related contacts (opposing party, witness, ...): what conflict checks search besides clients. */
const RelationshipInput = z.object({
  description: z.string().max(255).optional(),
  matter: zRef,
  contact: zRef,
});
export const NestedRelationship = z.object({
  id: zId.optional(),
  description: z.string().max(255).optional(),
  contact: zRef.optional(),
  _destroy: zBool.optional(),
});

/** Nested `relationships` in a matter write: no id creates, id updates, `_destroy` removes. */
export function applyRelationships(
  ctx: ApiContext,
  matterId: number,
  items: z.infer<typeof NestedRelationship>[],
): void {
  const { store } = ctx.state;
  for (const item of items) {
    if (item.id === undefined) {
      if (!item.contact) throw unprocessable('A new relationship needs contact: {id}');
      checkLinkFields(ctx, item, { contact: 'contacts' });
      store.insert('relationships', {
        description: item.description ?? '',
        matter: { id: matterId },
        contact: item.contact,
      });
      continue;
    }
    const existing = store.get('relationships', item.id);
    if (!existing || (existing.matter as { id: number }).id !== matterId)
      throw unprocessable(`Relationship ${item.id} could not be found on this matter`);
    if (item._destroy) store.remove('relationships', item.id);
    else {
      checkLinkFields(ctx, item, { contact: 'contacts' });
      store.update('relationships', item.id, {
        ...(item.description !== undefined ? { description: item.description } : {}),
        ...(item.contact ? { contact: item.contact } : {}),
      });
    }
  }
}

export const relationshipsDef: ResourceDef = {
  meta: metaFor('relationships'),
  path: 'relationships',
  filter: (f) => {
    f.link('matter_id', '$.matter.id');
    f.link('contact_id', '$.contact.id');
  },
  create: (ctx, body) => {
    const input = parseInput(RelationshipInput, dataOf(body));
    checkLinkFields(ctx, input, { matter: 'matters', contact: 'contacts' });
    return ctx.state.store.insert('relationships', { description: '', ...input });
  },
  update: (ctx, current, body) => {
    const input = parseInput(RelationshipInput.partial(), dataOf(body));
    checkLinkFields(ctx, input, { matter: 'matters', contact: 'contacts' });
    return ctx.state.store.update('relationships', current.id, input);
  },
  destroy: (ctx, current) => {
    ctx.state.store.remove('relationships', current.id);
  },
};
