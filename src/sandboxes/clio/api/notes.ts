import { z } from 'zod';
import { badRequest, unprocessable } from '../http/errors';
import { dataOf, parseInput, zDate, zRef } from './input';
import type { ResourceDef } from './resource-def';
import { metaFor } from './resource-meta';
import { checkLinkFields } from './simple-crud';

const NoteInput = z.object({
  type: z.enum(['Matter', 'Contact']),
  subject: z.string().max(255).optional(),
  detail: z.string().optional(),
  detail_text_type: z.enum(['plain_text', 'rich_text']).optional(),
  date: zDate.optional(),
  matter: zRef.optional(),
  contact: zRef.optional(),
});

export const notesDef: ResourceDef = {
  meta: metaFor('notes'),
  path: 'notes',
  orders: ['date', 'updated_at'],
  // Clio requires the type on every notes index request.
  validateList: (ctx) => {
    if (ctx.req.query.type !== 'Matter' && ctx.req.query.type !== 'Contact')
      throw badRequest('type is required: Matter or Contact');
  },
  filter: (f) => {
    f.equals('type', '$.type', ['Matter', 'Contact']);
    f.link('matter_id', '$.matter.id');
    f.link('contact_id', '$.contact.id');
    f.text(['subject', 'detail']);
  },
  create: (ctx, body) => {
    const input = parseInput(NoteInput, dataOf(body));
    if (input.type === 'Matter' && !input.matter) throw unprocessable('A Matter note needs matter: {id}');
    if (input.type === 'Contact' && !input.contact) throw unprocessable('A Contact note needs contact: {id}');
    checkLinkFields(ctx, input, { matter: 'matters', contact: 'contacts' });
    return ctx.state.store.insert('notes', {
      subject: '',
      detail: '',
      detail_text_type: 'plain_text',
      date: new Date().toISOString().slice(0, 10),
      time_entries_count: 0,
      author: { id: ctx.userId },
      ...input,
      ...(input.type === 'Matter' ? { contact: undefined } : { matter: undefined }),
    });
  },
  update: (ctx, current, body) => {
    const input = parseInput(NoteInput.omit({ type: true }).partial(), dataOf(body));
    checkLinkFields(ctx, input, { matter: 'matters', contact: 'contacts' });
    return ctx.state.store.update('notes', current.id, input);
  },
  destroy: (ctx, current) => {
    ctx.state.store.remove('notes', current.id);
  },
};
