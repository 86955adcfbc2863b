import { z } from 'zod';
import { conflict, unprocessable } from '../http/errors';
import type { Doc, RecordStore } from '../state/record-store';
import { dataOf, parseInput, zId } from './input';
import type { ApiContext, ResourceDef } from './resource-def';
import { metaFor } from './resource-meta';

/** The account's single root folder, made on first use. */
export function rootFolder(store: RecordStore): Doc {
  const root = store.list('folders', { where: [{ path: '$.root', op: '=', value: 1 }], limit: 1 })[0];
  return root ?? store.insert('folders', { name: 'Documents', root: true, locked: false, type: 'Folder' });
}

/** The folder of a matter or contact (Clio makes one per record), created under the root on demand. */
export function ownerFolder(store: RecordStore, kind: 'Matter' | 'Contact', id: number): Doc {
  const path = kind === 'Matter' ? '$.matter.id' : '$.contact.id';
  const existing = store.list('folders', {
    where: [
      { path, op: '=', value: id },
      { path: '$.owner_folder', op: '=', value: 1 },
    ],
    limit: 1,
  })[0];
  if (existing) return existing;
  const owner = store.get(kind === 'Matter' ? 'matters' : 'contacts', id);
  if (!owner) throw unprocessable(`${kind} ${id} could not be found`);
  const root = rootFolder(store);
  return store.insert('folders', {
    name: String(kind === 'Matter' ? owner.display_number : owner.name),
    root: false,
    locked: false,
    type: 'Folder',
    owner_folder: true,
    parent: { id: root.id, type: 'Folder' },
    ...(kind === 'Matter' ? { matter: { id } } : { contact: { id } }),
  });
}

export const ParentInput = z.object({
  id: zId,
  type: z.enum(['Folder', 'Matter', 'Contact', 'Document']).default('Folder'),
});

/** Resolves a write's parent to a folder, inheriting the folder's matter or contact. */
export function resolveParentFolder(ctx: ApiContext, parent: z.infer<typeof ParentInput>): Doc {
  const { store } = ctx.state;
  if (parent.type === 'Matter' || parent.type === 'Contact')
    return ownerFolder(store, parent.type, parent.id);
  const folder = store.get('folders', parent.id);
  if (!folder || folder.deleted_at) throw unprocessable(`Folder ${parent.id} could not be found`);
  return folder;
}

const inherit = (folder: Doc): Record<string, unknown> => ({
  parent: { id: folder.id, type: 'Folder' },
  ...(folder.matter ? { matter: folder.matter } : {}),
  ...(folder.contact ? { contact: folder.contact } : {}),
});

const FolderInput = z.object({ name: z.string().min(1).max(255), parent: ParentInput.optional() });

export const foldersDef: ResourceDef = {
  meta: metaFor('folders'),
  path: 'folders',
  orders: ['name', 'updated_at'],
  filter: (f) => {
    f.link('parent_id', '$.parent.id');
    f.link('matter_id', '$.matter.id');
    f.link('contact_id', '$.contact.id');
    if (f.query.include_deleted !== 'true') f.predicate((d) => !d.deleted_at);
    f.text(['name']);
  },
  create: (ctx, body) => {
    const input = parseInput(FolderInput, dataOf(body));
    const parent = input.parent ? resolveParentFolder(ctx, input.parent) : rootFolder(ctx.state.store);
    return ctx.state.store.insert('folders', {
      name: input.name,
      root: false,
      locked: false,
      type: 'Folder',
      creator: { id: ctx.userId },
      ...inherit(parent),
    });
  },
  update: (ctx, current, body) => {
    const input = parseInput(FolderInput.partial(), dataOf(body));
    if (current.root) throw unprocessable('The root folder cannot be changed');
    const parent = input.parent ? resolveParentFolder(ctx, input.parent) : undefined;
    if (parent?.id === current.id) throw unprocessable('A folder cannot be its own parent');
    return ctx.state.store.update('folders', current.id, {
      ...(input.name ? { name: input.name } : {}),
      ...(parent ? inherit(parent) : {}),
    });
  },
  destroy: (ctx, current) => {
    const { store } = ctx.state;
    const children = [
      ...store.list('folders', { where: [{ path: '$.parent.id', op: '=', value: current.id }] }),
      ...store.list('documents', { where: [{ path: '$.parent.id', op: '=', value: current.id }] }),
    ];
    if (current.root || current.locked || children.some((c) => !c.deleted_at))
      throw conflict('The folder is locked, the root, or not empty');
    store.update('folders', current.id, { deleted_at: new Date().toISOString() });
  },
};

export { inherit as folderPlacement };
