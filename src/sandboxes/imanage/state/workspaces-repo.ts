import { CONTAINER_SEQUENCE, FIRST_CONTAINER_NUMBER, LIBRARY, type SandboxUser } from '../config';
import { unprocessable } from '../errors';
import { type CustomValues, resolveCustoms } from './custom-values';
import { getCustom2 } from './customs-repo';
import { nextNumber } from './db';
import { type Filters, matches } from './filters';
import { type ContainerFlags, loadAllFlags, singleFlags } from './flags';
import { copyFolderTree } from './folders-repo';
import { parseContainerId } from './links';
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

export interface WorkspaceInput {
  name: string;
  description?: string;
  owner?: string;
  default_security?: 'private' | 'view' | 'public';
  subclass?: string;
  template?: string;
  custom: CustomValues;
}

interface Row {
  number: number;
  profile: string;
}

export function workspaceView(s: Store, r: Row, flags: ContainerFlags): Profile {
  const p = JSON.parse(r.profile) as Profile;
  return {
    id: s.links.containerId(r.number),
    database: LIBRARY,
    document_number: r.number,
    version: 1,
    wstype: 'workspace',
    ...p,
    has_subfolders: flags.hasSubfolders(r.number),
    iwl: s.links.iwl(r.number),
    workspace_url: s.links.workspaceUrl(r.number),
  };
}

export function insertWorkspaceRow(s: Store, number: number, profile: Profile): void {
  s.db
    .prepare('INSERT INTO workspaces (number, custom1, custom2, profile) VALUES (?, ?, ?, ?)')
    .run(number, profile.custom1 ?? null, profile.custom2 ?? null, JSON.stringify(profile));
}

export function getWorkspace(s: Store, number: number): Profile | undefined {
  const r = s.db.prepare('SELECT number, profile FROM workspaces WHERE number = ?').get(number) as
    Row | undefined;
  return r && workspaceView(s, r, singleFlags(s.db));
}

/** Creates the workspace, copying a template's folders and its profile where the request leaves gaps. */
export function createWorkspace(s: Store, input: WorkspaceInput, user: SandboxUser): Profile {
  let template: Profile | undefined;
  let templateNumber: number | undefined;
  if (input.template !== undefined) {
    templateNumber = parseContainerId(input.template);
    template = templateNumber === undefined ? undefined : workspaceProfile(s, templateNumber);
    if (!template)
      throw unprocessable(
        'template',
        'TEMPLATE_NOT_FOUND',
        `Template workspace '${input.template}' not found.`,
      );
  }
  const inherited = Object.fromEntries(
    Object.entries(template ?? {}).filter(([k]) => /^custom([3-9]|[12]\d|30)$/.test(k)),
  ) as CustomValues;
  const customs = resolveCustoms(s.db, { ...inherited, ...input.custom });
  const now = isoNow();
  const number = nextNumber(s.db, CONTAINER_SEQUENCE, FIRST_CONTAINER_NUMBER);
  const owner = input.owner ?? user.id;
  const profile: Profile = {
    name: input.name,
    description: input.description ?? '',
    owner,
    owner_description: owner === user.id ? user.name : owner,
    ...actorFields(user, 'last_user'),
    create_date: now,
    edit_date: now,
    default_security: input.default_security ?? (text(template?.default_security) || 'public'),
    effective_security: 'full_access',
    subclass: input.subclass ?? text(template?.subclass),
    is_external: false,
    is_external_as_normal: false,
    is_hipaa: false,
    ...customs,
  };
  insertWorkspaceRow(s, number, profile);
  if (templateNumber !== undefined) copyFolderTree(s, templateNumber, number, profile, user);
  return getWorkspace(s, number)!;
}

export function searchWorkspaces(s: Store, f: Filters, offset: number, limit: number): Page<Profile> {
  // Lookup columns narrow the scan in SQL; the remaining filters run on the parsed profiles.
  const where: string[] = [];
  const params: string[] = [];
  for (const key of ['custom1', 'custom2'] as const) {
    if (f[key]) {
      where.push(`${key} = ?`);
      params.push(f[key]);
    }
  }
  const rows = s.db
    .prepare(
      `SELECT number, profile FROM workspaces ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY number`,
    )
    .all(...params) as Row[];
  const flags = loadAllFlags(s.db);
  const hits = rows.filter((r) => matches(JSON.parse(r.profile) as Profile, f));
  const page = paginate(hits, offset, limit);
  return { total: page.total, results: page.results.map((r) => workspaceView(s, r, flags)) };
}

export function allWorkspaces(s: Store, flags: ContainerFlags): Profile[] {
  const rows = s.db.prepare('SELECT number, profile FROM workspaces ORDER BY number').all() as Row[];
  return rows.map((r) => workspaceView(s, r, flags));
}

export type WorkspacePatch = Partial<Omit<WorkspaceInput, 'template'>>;

/** Updates the profile; a rename is carried to the `workspace_name` of everything filed inside. */
export function updateWorkspace(
  s: Store,
  number: number,
  patch: WorkspacePatch,
  user: SandboxUser,
): Profile | undefined {
  const prev = workspaceProfile(s, number);
  if (!prev) return undefined;
  const { custom, ...fields } = patch;
  const customs = custom && Object.keys(custom).length ? resolveCustoms(s.db, custom) : {};
  // custom2 is a child of custom1: a new custom1 alone must still be the parent of the custom2 the workspace keeps.
  const kept = prev.custom2;
  if (customs.custom1 !== undefined && customs.custom2 === undefined && typeof kept === 'string') {
    if (!getCustom2(s.db, kept, String(customs.custom1))) {
      throw unprocessable(
        'custom2',
        'ALIAS_NOT_FOUND',
        `custom2 alias '${kept}' does not exist under custom1 '${String(customs.custom1)}'; set custom2 with it.`,
      );
    }
  }
  const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  const next: Profile = {
    ...prev,
    ...defined,
    ...customs,
    ...actorFields(user, 'last_user'),
    edit_date: isoNow(),
  };
  if (typeof defined.owner === 'string')
    next.owner_description = defined.owner === user.id ? user.name : defined.owner;
  s.db
    .prepare('UPDATE workspaces SET custom1 = ?, custom2 = ?, profile = ? WHERE number = ?')
    .run(next.custom1 ?? null, next.custom2 ?? null, JSON.stringify(next), number);
  if (next.name !== prev.name) {
    for (const table of ['folders', 'documents']) {
      s.db
        .prepare(
          `UPDATE ${table} SET profile = json_set(profile, '$.workspace_name', ?) WHERE workspace_number = ?`,
        )
        .run(next.name, number);
    }
  }
  return getWorkspace(s, number);
}
