import { type Db } from './db';

/** Derived container flags, computed from the data rather than stored, so they can never go stale. */
export interface ContainerFlags {
  hasSubfolders(n: number): boolean;
  hasDocuments(n: number): boolean;
}

/** One pass over the tables: used by listings and the dump, where per-row queries would be slow. */
export function loadAllFlags(db: Db): ContainerFlags {
  const parents = new Set(
    (db.prepare('SELECT DISTINCT parent_number AS n FROM folders').all() as { n: number }[]).map((r) => r.n),
  );
  const filled = new Set(
    (db.prepare('SELECT DISTINCT folder_number AS n FROM documents').all() as { n: number }[]).map(
      (r) => r.n,
    ),
  );
  return { hasSubfolders: (n) => parents.has(n), hasDocuments: (n) => filled.has(n) };
}

export function singleFlags(db: Db): ContainerFlags {
  const sub = db.prepare('SELECT 1 FROM folders WHERE parent_number = ? LIMIT 1');
  const docs = db.prepare('SELECT 1 FROM documents WHERE folder_number = ? LIMIT 1');
  return { hasSubfolders: (n) => sub.get(n) !== undefined, hasDocuments: (n) => docs.get(n) !== undefined };
}
