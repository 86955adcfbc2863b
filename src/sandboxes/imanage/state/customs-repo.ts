import { LIBRARY } from '../config';
import { conflict, badRequest, unprocessable } from '../errors';
import { type Db, nextNumber } from './db';

export interface AliasInput {
  id: string;
  description: string;
  enabled: boolean;
  hipaa: boolean;
}

export type AliasView = Record<string, unknown> & { id: string; description: string };

interface Row1 {
  alias: string;
  ssid: number;
  profile: string;
}
interface Row2 extends Row1 {
  parent_alias: string;
  parent_ssid: number;
}

/** Alias ssids come from one sequence so a custom2's `parent.ssid` points at a unique custom1. */
const SSID_SEQUENCE = 'alias_ssid';
const FIRST_SSID = 1;

export function custom1View(r: Row1): AliasView {
  const p = JSON.parse(r.profile) as Omit<AliasInput, 'id'>;
  return { database: LIBRARY, id: r.alias, ssid: r.ssid, wstype: 'custom1', ...p };
}

export function custom2View(r: Row2): AliasView {
  const p = JSON.parse(r.profile) as Omit<AliasInput, 'id'>;
  return {
    database: LIBRARY,
    id: r.alias,
    ssid: r.ssid,
    wstype: 'custom2',
    ...p,
    parent: { id: r.parent_alias, ssid: r.parent_ssid },
  };
}

const profileOf = (a: AliasInput): string =>
  JSON.stringify({ description: a.description, enabled: a.enabled, hipaa: a.hipaa });

export function insertCustom1(db: Db, a: AliasInput): AliasView {
  if (getCustom1(db, a.id)) throw conflict(`custom1 alias '${a.id}' already exists.`, 'id');
  const ssid = nextNumber(db, SSID_SEQUENCE, FIRST_SSID);
  db.prepare('INSERT INTO custom1 (alias, ssid, profile) VALUES (?, ?, ?)').run(a.id, ssid, profileOf(a));
  return getCustom1(db, a.id)!;
}

export function getCustom1(db: Db, alias: string): AliasView | undefined {
  const r = db.prepare('SELECT alias, ssid, profile FROM custom1 WHERE alias = ?').get(alias) as
    Row1 | undefined;
  return r && custom1View(r);
}

export function updateCustom1(
  db: Db,
  alias: string,
  patch: Partial<Omit<AliasInput, 'id'>>,
): AliasView | undefined {
  const r = db.prepare('SELECT alias, ssid, profile FROM custom1 WHERE alias = ?').get(alias) as
    Row1 | undefined;
  if (!r) return undefined;
  const next = { ...(JSON.parse(r.profile) as object), ...patch };
  db.prepare('UPDATE custom1 SET profile = ? WHERE alias = ?').run(JSON.stringify(next), alias);
  return getCustom1(db, alias);
}

export function listCustom1(db: Db, offset: number, limit: number): { results: AliasView[]; total: number } {
  const rows = db
    .prepare('SELECT alias, ssid, profile FROM custom1 ORDER BY alias LIMIT ? OFFSET ?')
    .all(limit, offset) as Row1[];
  const { n } = db.prepare('SELECT COUNT(*) AS n FROM custom1').get() as { n: number };
  return { results: rows.map(custom1View), total: n };
}

const SELECT2 = `SELECT c2.alias, c2.ssid, c2.profile, c2.parent_alias, c1.ssid AS parent_ssid
  FROM custom2 c2 JOIN custom1 c1 ON c1.alias = c2.parent_alias`;

export function insertCustom2(db: Db, a: AliasInput & { parent: string }): AliasView {
  const parent = getCustom1(db, a.parent);
  if (!parent)
    throw unprocessable('parent.id', 'PARENT_NOT_FOUND', `custom1 alias '${a.parent}' does not exist.`);
  if (getCustom2(db, a.id, parent.id)) {
    throw conflict(`custom2 alias '${a.id}' already exists under custom1 '${parent.id}'.`, 'id');
  }
  const ssid = nextNumber(db, SSID_SEQUENCE, FIRST_SSID);
  db.prepare('INSERT INTO custom2 (parent_alias, alias, ssid, profile) VALUES (?, ?, ?, ?)').run(
    parent.id,
    a.id,
    ssid,
    profileOf(a),
  );
  return getCustom2(db, a.id, parent.id)!;
}

/** Without a parent the alias must be unambiguous, since custom2 aliases are unique only per custom1. */
export function getCustom2(db: Db, alias: string, parentAlias?: string): AliasView | undefined {
  if (parentAlias !== undefined) {
    const r = db.prepare(`${SELECT2} WHERE c2.alias = ? AND c2.parent_alias = ?`).get(alias, parentAlias) as
      Row2 | undefined;
    return r && custom2View(r);
  }
  const rows = db.prepare(`${SELECT2} WHERE c2.alias = ? LIMIT 2`).all(alias) as Row2[];
  if (rows.length > 1)
    throw badRequest(`custom2 alias '${alias}' exists under several custom1 values; give parent_alias.`);
  return rows[0] && custom2View(rows[0]);
}

export function updateCustom2(
  db: Db,
  alias: string,
  parentAlias: string | undefined,
  patch: Partial<Omit<AliasInput, 'id'>>,
): AliasView | undefined {
  const current = getCustom2(db, alias, parentAlias);
  if (!current) return undefined;
  const parent = (current.parent as { id: string }).id;
  const r = db
    .prepare('SELECT profile FROM custom2 WHERE alias = ? AND parent_alias = ?')
    .get(alias, parent) as {
    profile: string;
  };
  const next = { ...(JSON.parse(r.profile) as object), ...patch };
  db.prepare('UPDATE custom2 SET profile = ? WHERE alias = ? AND parent_alias = ?').run(
    JSON.stringify(next),
    alias,
    parent,
  );
  return getCustom2(db, alias, parent);
}

export function listCustom2(
  db: Db,
  parentAlias: string | undefined,
  offset: number,
  limit: number,
): { results: AliasView[]; total: number } {
  const where = parentAlias === undefined ? '' : 'WHERE c2.parent_alias = @parent';
  const params = { parent: parentAlias, limit, offset };
  const rows = db
    .prepare(`${SELECT2} ${where} ORDER BY c2.parent_alias, c2.alias LIMIT @limit OFFSET @offset`)
    .all(params) as Row2[];
  const { n } = db.prepare(`SELECT COUNT(*) AS n FROM custom2 c2 ${where}`).get(params) as { n: number };
  return { results: rows.map(custom2View), total: n };
}
