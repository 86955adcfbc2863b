import { type SandboxUser } from '../config';
import { type Db } from './db';
import { type Links } from './links';

/** What every repository function needs: the database and the link builder. */
export interface Store {
  db: Db;
  links: Links;
}

export type Profile = Record<string, unknown>;

export interface Page<T> {
  results: T[];
  total: number;
}

export function paginate<T>(all: T[], offset: number, limit: number): Page<T> {
  return { results: all.slice(offset, offset + limit), total: all.length };
}

export function actorFields(
  user: SandboxUser,
  prefix: 'owner' | 'last_user' | 'author' | 'operator',
): Profile {
  return { [prefix]: user.id, [`${prefix}_description`]: user.name };
}

export const isoNow = (): string => new Date().toISOString();

/** A profile value as text: strings as they are, anything else (absent, null, objects) as ''. */
export const text = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';

/** A workspace's stored profile; both the workspace and the folder repositories read it. */
export function workspaceProfile(s: Store, number: number): Profile | undefined {
  const r = s.db.prepare('SELECT profile FROM workspaces WHERE number = ?').get(number) as
    { profile: string } | undefined;
  return r && (JSON.parse(r.profile) as Profile);
}
