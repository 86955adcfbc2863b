import { DOCUMENT_SEQUENCE, FIRST_DOCUMENT_NUMBER, LIBRARY, type SandboxUser } from '../config';
import { notFound } from '../errors';
import { type CustomValues, inheritedCustoms, resolveCustoms } from './custom-values';
import { nextNumber } from './db';
import { contentFields, newDocumentProfile, splitFileName } from './document-profile';
import { type Filters, matches } from './filters';
import { getFolderRow } from './folders-repo';
import { type ParsedDocumentId } from './links';
import { type Page, type Profile, type Store, actorFields, isoNow, paginate } from './store';

/** The `doc_profile` of an upload or profile update: named fields plus customN values. */
export type DocProfileInput = Partial<Record<string, string | number | boolean | null>>;

export interface UploadedFile {
  buffer: Buffer;
  originalname: string;
}

export interface DocumentRow {
  number: number;
  version: number;
  folder_number: number;
  workspace_number: number;
  profile: string;
}

const COLUMNS = 'number, version, folder_number, workspace_number, profile';
const SETTABLE = [
  'name',
  'comment',
  'class',
  'subclass',
  'author',
  'operator',
  'default_security',
  'retain_days',
];

export function documentView(s: Store, r: DocumentRow): Profile {
  const p = JSON.parse(r.profile) as Profile;
  return {
    id: s.links.documentId(r.number, r.version),
    document_number: r.number,
    version: r.version,
    database: LIBRARY,
    wstype: 'document',
    ...p,
    workspace_id: s.links.containerId(r.workspace_number),
    iwl: s.links.iwl(r.number, r.version),
    document_url: s.links.documentUrl(r.number, r.version),
  };
}

export function insertDocumentRow(
  s: Store,
  r: Omit<DocumentRow, 'profile'>,
  p: Profile,
  content: Buffer,
): void {
  s.db
    .prepare(
      `INSERT INTO documents (number, version, folder_number, workspace_number, custom1, custom2, profile, content)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      r.number,
      r.version,
      r.folder_number,
      r.workspace_number,
      p.custom1 ?? null,
      p.custom2 ?? null,
      JSON.stringify(p),
      content,
    );
}

export function getDocumentRow(s: Store, id: ParsedDocumentId): DocumentRow | undefined {
  const sql =
    id.version === undefined
      ? `SELECT ${COLUMNS} FROM documents WHERE number = ? ORDER BY version DESC LIMIT 1`
      : `SELECT ${COLUMNS} FROM documents WHERE number = ? AND version = ?`;
  const args = id.version === undefined ? [id.number] : [id.number, id.version];
  return s.db.prepare(sql).get(...args) as DocumentRow | undefined;
}

export function getDocument(s: Store, id: ParsedDocumentId): Profile | undefined {
  const r = getDocumentRow(s, id);
  return r && documentView(s, r);
}

export function getContent(
  s: Store,
  id: ParsedDocumentId,
): { profile: Profile; content: Buffer } | undefined {
  const r = getDocumentRow(s, id);
  if (!r) return undefined;
  const c = s.db
    .prepare('SELECT content FROM documents WHERE number = ? AND version = ?')
    .get(r.number, r.version) as {
    content: Buffer;
  };
  return { profile: documentView(s, r), content: c.content };
}

/** Splits a doc_profile into plain fields iManage lets a client set and customN values. */
function split(input: DocProfileInput): { fields: Profile; custom: CustomValues } {
  const fields: Profile = {};
  const custom: CustomValues = {};
  for (const [k, v] of Object.entries(input)) {
    if (/^custom\d+$/.test(k)) custom[k] = v ?? null;
    else if (SETTABLE.includes(k) || k === 'file_create_date' || k === 'file_edit_date') fields[k] = v;
  }
  return { fields, custom };
}

const rawCustoms = (p: Profile): CustomValues =>
  Object.fromEntries(Object.entries(inheritedCustoms(p)).filter(([k]) => !k.endsWith('_description')));

export function createDocument(
  s: Store,
  folderNumber: number,
  input: { docProfile: DocProfileInput; inheritFromFolder: boolean },
  file: UploadedFile,
  user: SandboxUser,
): Profile {
  const folder = getFolderRow(s, folderNumber);
  if (!folder) throw notFound(`Folder '${s.links.containerId(folderNumber)}'`);
  const folderProfile = JSON.parse(folder.profile) as Profile;
  const { fields, custom } = split(input.docProfile);
  const base = input.inheritFromFolder ? rawCustoms(folderProfile) : {};
  const customs = resolveCustoms(s.db, { ...base, ...custom });
  const fromFile = splitFileName(file.originalname);
  const extension = String(input.docProfile.extension ?? fromFile.extension).toUpperCase();
  const number = nextNumber(s.db, DOCUMENT_SEQUENCE, FIRST_DOCUMENT_NUMBER);
  const profile: Profile = {
    ...newDocumentProfile({
      name: fromFile.name,
      extension,
      content: file.buffer,
      actor: user,
      at: isoNow(),
      workspaceName: folderProfile.workspace_name,
    }),
    ...fields,
    ...customs,
  };
  insertDocumentRow(
    s,
    { number, version: 1, folder_number: folder.number, workspace_number: folder.workspace_number },
    profile,
    file.buffer,
  );
  return getDocument(s, { number, version: 1 })!;
}

/** A new version starts from the latest one's profile, then takes the upload's content and overrides. */
export function createVersion(
  s: Store,
  number: number,
  docProfile: DocProfileInput,
  file: UploadedFile,
  user: SandboxUser,
): Profile {
  const latest = getDocumentRow(s, { number });
  if (!latest) throw notFound(`Document '${s.links.documentId(number, 1).replace(/\.1$/, '')}'`);
  const prev = JSON.parse(latest.profile) as Profile;
  const { fields, custom } = split(docProfile);
  const customs = Object.keys(custom).length ? resolveCustoms(s.db, { ...rawCustoms(prev), ...custom }) : {};
  const now = isoNow();
  const profile: Profile = {
    ...prev,
    ...contentFields(file.buffer),
    ...actorFields(user, 'last_user'),
    ...actorFields(user, 'operator'),
    create_date: now,
    edit_date: now,
    edit_profile_date: now,
    file_edit_date: now,
    comment: '',
    ...fields,
    ...customs,
  };
  const version = latest.version + 1;
  insertDocumentRow(s, { ...latest, version }, profile, file.buffer);
  return getDocument(s, { number, version })!;
}

export function updateDocumentProfile(
  s: Store,
  id: ParsedDocumentId,
  patch: DocProfileInput,
  user: SandboxUser,
): Profile | undefined {
  const row = getDocumentRow(s, id);
  if (!row) return undefined;
  const prev = JSON.parse(row.profile) as Profile;
  const { fields, custom } = split(patch);
  const customs = Object.keys(custom).length ? resolveCustoms(s.db, { ...rawCustoms(prev), ...custom }) : {};
  const profile: Profile = {
    ...prev,
    ...fields,
    ...customs,
    ...actorFields(user, 'last_user'),
    edit_profile_date: isoNow(),
  };
  s.db
    .prepare('UPDATE documents SET profile = ?, custom1 = ?, custom2 = ? WHERE number = ? AND version = ?')
    .run(JSON.stringify(profile), profile.custom1 ?? null, profile.custom2 ?? null, row.number, row.version);
  return getDocument(s, { number: row.number, version: row.version });
}

export function listVersions(s: Store, number: number): Profile[] {
  const rows = s.db
    .prepare(`SELECT ${COLUMNS} FROM documents WHERE number = ? ORDER BY version`)
    .all(number) as DocumentRow[];
  return rows.map((r) => documentView(s, r));
}

/** Searches return each document's latest version, as iManage's default search does. */
export function searchDocuments(s: Store, f: Filters, offset: number, limit: number): Page<Profile> {
  const where = [
    'NOT EXISTS (SELECT 1 FROM documents n WHERE n.number = d.number AND n.version > d.version)',
  ];
  const params: (string | number)[] = [];
  const add = (sql: string, ...values: (string | number)[]): void => {
    where.push(sql);
    params.push(...values);
  };
  if (f.custom1) add('d.custom1 = ?', f.custom1);
  if (f.custom2) add('d.custom2 = ?', f.custom2);
  if (f.container_id !== undefined)
    add('(d.folder_number = ? OR d.workspace_number = ?)', Number(f.container_id), Number(f.container_id));
  if (f.workspace_id !== undefined) add('d.workspace_number = ?', Number(f.workspace_id));
  if (f.document_number !== undefined) add('d.number = ?', Number(f.document_number));
  const rows = s.db
    .prepare(`SELECT ${COLUMNS} FROM documents d WHERE ${where.join(' AND ')} ORDER BY d.number`)
    .all(...params) as DocumentRow[];
  const rest = { ...f, container_id: undefined, workspace_id: undefined, document_number: undefined };
  const hits = rows.filter((r) => matches(JSON.parse(r.profile) as Profile, rest));
  const page = paginate(hits, offset, limit);
  return { total: page.total, results: page.results.map((r) => documentView(s, r)) };
}

export function allDocuments(s: Store): Profile[] {
  const rows = s.db
    .prepare(`SELECT ${COLUMNS} FROM documents ORDER BY number, version`)
    .all() as DocumentRow[];
  return rows.map((r) => documentView(s, r));
}
