import { CONTAINER_SEQUENCE, FIRST_CONTAINER_NUMBER, LIBRARY, type SandboxUser } from '../config';
import { notFound } from '../errors';
import { type CustomValues, inheritedCustoms, resolveCustoms } from './custom-values';
import { nextNumber } from './db';
import { type Filters, matches } from './filters';
import { type ContainerFlags, loadAllFlags, singleFlags } from './flags';
import {
  type Page,
  type Profile,
  type Store,
  actorFields,
  isoNow,
  paginate,
  text,
  workspaceProfile,
} from './store';

export type FolderSecurity = 'inherit' | 'private' | 'view' | 'public';

export interface FolderInput {
  name: string;
  description?: string;
  owner?: string;
  default_security?: FolderSecurity;
  email?: string;
  /** customN values for the folder; absent ones are inherited from the workspace. */
  custom: CustomValues;
}

interface Row {
  number: number;
  parent_number: number;
  workspace_number: number;
  profile: string;
}

export function folderView(s: Store, r: Row, flags: ContainerFlags): Profile {
  const p = JSON.parse(r.profile) as Profile;
  return {
    id: s.links.containerId(r.number),
    database: LIBRARY,
    wstype: 'folder',
    ...p,
    parent_id: s.links.containerId(r.parent_number),
    workspace_id: s.links.containerId(r.workspace_number),
    has_subfolders: flags.hasSubfolders(r.number),
    has_documents: flags.hasDocuments(r.number),
    folder_url: s.links.folderUrl(r.number),
  };
}

export function getFolderRow(s: Store, number: number): Row | undefined {
  return s.db
    .prepare('SELECT number, parent_number, workspace_number, profile FROM folders WHERE number = ?')
    .get(number) as Row | undefined;
}

export function getFolder(s: Store, number: number): Profile | undefined {
  const r = getFolderRow(s, number);
  return r && folderView(s, r, singleFlags(s.db));
}

export function insertFolderRow(
  s: Store,
  number: number,
  parent: number,
  workspace: number,
  p: Profile,
): void {
  s.db
    .prepare('INSERT INTO folders (number, parent_number, workspace_number, profile) VALUES (?, ?, ?, ?)')
    .run(number, parent, workspace, JSON.stringify(p));
}

/** Where a new folder lands: under a workspace or under another folder, with what it inherits from there. */
function parentContext(
  s: Store,
  parent: number,
): { workspace: number; wsProfile: Profile; security: string } {
  const own = workspaceProfile(s, parent);
  if (own) return { workspace: parent, wsProfile: own, security: String(own.default_security) };
  const folder = getFolderRow(s, parent);
  if (!folder) throw notFound(`Container '${s.links.containerId(parent)}'`);
  const fp = JSON.parse(folder.profile) as Profile;
  const security = fp.default_security === 'inherit' ? fp.inherited_default_security : fp.default_security;
  return {
    workspace: folder.workspace_number,
    wsProfile: workspaceProfile(s, folder.workspace_number)!,
    security: String(security),
  };
}

export function buildFolderProfile(
  input: Omit<FolderInput, 'custom'>,
  ctx: { wsProfile: Profile; security: string },
  customs: Profile,
  user: SandboxUser,
  now: string,
): Profile {
  const security = input.default_security ?? 'inherit';
  return {
    name: input.name,
    description: input.description ?? '',
    ...actorFields(user, 'owner'),
    ...(input.owner ? { owner: input.owner, owner_description: input.owner } : {}),
    ...actorFields(user, 'last_user'),
    create_date: now,
    edit_date: now,
    default_security: security,
    ...(security === 'inherit' ? { inherited_default_security: ctx.security } : {}),
    folder_type: 'regular',
    view_type: 'document',
    workspace_name: ctx.wsProfile.name,
    is_external: false,
    ...(input.email ? { email: input.email } : {}),
    ...customs,
  };
}

export function createFolder(s: Store, parent: number, input: FolderInput, user: SandboxUser): Profile {
  const ctx = parentContext(s, parent);
  const own = Object.keys(input.custom).length ? resolveCustoms(s.db, input.custom) : {};
  const customs = { ...inheritedCustoms(ctx.wsProfile), ...own };
  const number = nextNumber(s.db, CONTAINER_SEQUENCE, FIRST_CONTAINER_NUMBER);
  insertFolderRow(s, number, parent, ctx.workspace, buildFolderProfile(input, ctx, customs, user, isoNow()));
  return getFolder(s, number)!;
}

/** Copies a template workspace's folder tree (parents before children) into a new workspace. */
export function copyFolderTree(
  s: Store,
  fromWs: number,
  toWs: number,
  wsProfile: Profile,
  user: SandboxUser,
): void {
  const rows = s.db
    .prepare(
      'SELECT number, parent_number, workspace_number, profile FROM folders WHERE workspace_number = ? ORDER BY number',
    )
    .all(fromWs) as Row[];
  const renumbered = new Map<number, number>([[fromWs, toWs]]);
  const now = isoNow();
  for (const r of rows) {
    const parent = renumbered.get(r.parent_number);
    if (parent === undefined) continue;
    const src = JSON.parse(r.profile) as Profile;
    const number = nextNumber(s.db, CONTAINER_SEQUENCE, FIRST_CONTAINER_NUMBER);
    renumbered.set(r.number, number);
    const input = {
      name: text(src.name),
      description: text(src.description),
      default_security: src.default_security as FolderSecurity,
    };
    const ctx = { wsProfile, security: String(wsProfile.default_security) };
    insertFolderRow(
      s,
      number,
      parent,
      toWs,
      buildFolderProfile(input, ctx, inheritedCustoms(wsProfile), user, now),
    );
  }
}

export function searchFolders(s: Store, f: Filters, offset: number, limit: number): Page<Profile> {
  const where: string[] = [];
  const params: number[] = [];
  if (f.container_id !== undefined) {
    where.push('parent_number = ?');
    params.push(Number(f.container_id));
  }
  if (f.workspace_id !== undefined) {
    where.push('workspace_number = ?');
    params.push(Number(f.workspace_id));
  }
  const sql = `SELECT number, parent_number, workspace_number, profile FROM folders
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY number`;
  const rows = (s.db.prepare(sql).all(...params) as Row[]).filter((r) =>
    matches(JSON.parse(r.profile) as Profile, { ...f, container_id: undefined, workspace_id: undefined }),
  );
  const flags = loadAllFlags(s.db);
  const page = paginate(rows, offset, limit);
  return { total: page.total, results: page.results.map((r) => folderView(s, r, flags)) };
}

export function allFolders(s: Store, flags: ContainerFlags): Profile[] {
  const rows = s.db
    .prepare('SELECT number, parent_number, workspace_number, profile FROM folders ORDER BY number')
    .all() as Row[];
  return rows.map((r) => folderView(s, r, flags));
}
