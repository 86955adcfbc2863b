import { z } from 'zod';
import {
  type CustomAlias,
  type CustomFields,
  type Folder,
  type IManageDocument,
  type Workspace,
} from './types';

const str = z.string().nullish();
const und = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

/** `customN` values from a profile, keeping only those set. */
function customsOf(rec: Record<string, unknown>): CustomFields {
  const out: CustomFields = {};
  for (const [k, v] of Object.entries(rec)) {
    if (
      /^custom\d+$/.test(k) &&
      (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') &&
      v !== ''
    ) {
      out[k as `custom${number}`] = v;
    }
  }
  return out;
}

export const aliasSchema = z
  .looseObject({
    id: z.string(),
    description: str,
    enabled: z.boolean().nullish(),
    parent: z.looseObject({ id: z.string() }).nullish(),
  })
  .transform((a): CustomAlias => ({
    id: a.id,
    description: und(a.description),
    enabled: und(a.enabled),
    parentId: a.parent?.id,
  }));

export const workspaceSchema = z
  .looseObject({
    id: z.string(),
    name: z.string(),
    description: str,
    document_number: z.number().nullish(),
    owner: str,
    default_security: str,
    custom1: str,
    custom2: str,
    iwl: str,
    workspace_url: str,
    create_date: str,
    edit_date: str,
  })
  .transform((w): Workspace => ({
    id: w.id,
    name: w.name,
    description: und(w.description),
    documentNumber: und(w.document_number),
    owner: und(w.owner),
    defaultSecurity: und(w.default_security),
    custom1: und(w.custom1),
    custom2: und(w.custom2),
    customs: customsOf(w),
    iwl: und(w.iwl),
    url: und(w.workspace_url),
    createdAt: und(w.create_date),
    editedAt: und(w.edit_date),
  }));

export const folderSchema = z
  .looseObject({
    id: z.string(),
    name: z.string(),
    description: str,
    parent_id: str,
    workspace_id: str,
    has_subfolders: z.boolean().nullish(),
    folder_url: str,
  })
  .transform((f): Folder => ({
    id: f.id,
    name: f.name,
    description: und(f.description),
    parentId: und(f.parent_id),
    workspaceId: und(f.workspace_id),
    hasSubfolders: und(f.has_subfolders),
    url: und(f.folder_url),
  }));

export const documentSchema = z
  .looseObject({
    id: z.string(),
    document_number: z.number(),
    version: z.number(),
    name: z.string(),
    extension: str,
    size: z.number().nullish(),
    author: str,
    comment: str,
    workspace_id: str,
    iwl: str,
    document_url: str,
    create_date: str,
    edit_date: str,
  })
  .transform((d): IManageDocument => ({
    id: d.id,
    documentNumber: d.document_number,
    version: d.version,
    name: d.name,
    extension: und(d.extension),
    size: und(d.size),
    author: und(d.author),
    comment: und(d.comment),
    workspaceId: und(d.workspace_id),
    customs: customsOf(d),
    iwl: und(d.iwl),
    url: und(d.document_url),
    createdAt: und(d.create_date),
    editedAt: und(d.edit_date),
  }));

export const showEnvelope = <T extends z.ZodType>(item: T) => z.object({ data: item });
export const listEnvelope = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.object({ results: z.array(item) }), total_count: z.number().optional() });
