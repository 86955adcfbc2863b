import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Db } from './db';
import { DEFAULT_ID_BASE, ID_BASES } from './id-bases';

/** A stored record: the API shape with money in integer cents and links as `{ id }`. */
export type Doc = Record<string, unknown> & { id: number };

/** A condition evaluated in SQL on the JSON document (fast path for hot filters). */
export interface SqlCondition {
  /** JSON path such as `$.matter.id`, or the column names `created_at` / `updated_at`. */
  path: string;
  op: '=' | '>' | '<' | '>=' | '<=' | 'is null' | 'in';
  value?: unknown;
}

export interface ListQuery {
  where?: SqlCondition[];
  /** Filters SQL cannot express; applied while iterating so paging still stops early. */
  predicate?: (doc: Doc) => boolean;
  /** Cursor: only ids strictly after (or before, when descending) this one. */
  afterId?: number;
  limit?: number;
  descending?: boolean;
}

export const computeEtag = (doc: Doc): string =>
  `"${createHash('sha1').update(JSON.stringify(doc)).digest('hex').slice(0, 32)}"`;

const COLUMNS = new Set(['id', 'created_at', 'updated_at']);

/**
 * Expression indexes of db.ts by JSON path. Without statistics SQLite prefers the primary key (it
 * already yields id order), so equality filters on these paths name their index explicitly.
 */
const INDEX_BY_PATH: Record<string, string> = {
  '$.matter.id': 'records_by_matter',
  '$.user.id': 'records_by_user',
  '$.client.id': 'records_by_client',
  '$.task.id': 'records_by_task',
  '$.calendar_entry.id': 'records_by_calendar_entry',
};

/**
 * The SQL for a condition's target. JSON paths are inlined (after a strict check) rather than bound,
 * because SQLite matches expression indexes such as json_extract(doc, '$.matter.id') only on the literal.
 */
function sqlTarget(path: string): string {
  if (COLUMNS.has(path)) return path;
  if (!/^\$(\.[a-z_]+)+$/.test(path)) throw new Error(`unsupported JSON path ${path}`);
  return `json_extract(doc, '${path}')`;
}

export class RecordStore {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Runs fn in one SQLite transaction: every write either lands whole or not at all. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  get(collection: string, id: number): Doc | undefined {
    const row = this.stmt('SELECT doc FROM records WHERE collection = ? AND id = ?').get(collection, id) as
      { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as Doc) : undefined;
  }

  list(collection: string, query: ListQuery = {}): Doc[] {
    const params: unknown[] = [collection];
    const clauses = ['collection = ?'];
    for (const cond of query.where ?? []) {
      const target = sqlTarget(cond.path);
      if (cond.op === 'is null') clauses.push(`${target} IS NULL`);
      else if (cond.op === 'in') {
        const values = cond.value as unknown[];
        clauses.push(`${target} IN (${values.map(() => '?').join(',') || 'NULL'})`);
        params.push(...values);
      } else {
        clauses.push(`${target} ${cond.op} ?`);
        params.push(typeof cond.value === 'boolean' ? Number(cond.value) : cond.value);
      }
    }
    if (query.afterId !== undefined) {
      clauses.push(query.descending ? 'id < ?' : 'id > ?');
      params.push(query.afterId);
    }
    const indexed = (query.where ?? []).find((c) => c.op === '=' && INDEX_BY_PATH[c.path]);
    const from = indexed ? `records INDEXED BY ${INDEX_BY_PATH[indexed.path]}` : 'records';
    const sql = `SELECT doc FROM ${from} WHERE ${clauses.join(' AND ')} ORDER BY id ${query.descending ? 'DESC' : 'ASC'}`;
    const out: Doc[] = [];
    const limit = query.limit ?? Number.POSITIVE_INFINITY;
    if (limit <= 0) return out;
    for (const row of this.stmt(sql).iterate(...params) as IterableIterator<{ doc: string }>) {
      const doc = JSON.parse(row.doc) as Doc;
      if (query.predicate && !query.predicate(doc)) continue;
      out.push(doc);
      if (out.length >= limit) break;
    }
    return out;
  }

  all(collection: string): Doc[] {
    return this.list(collection);
  }

  /** Records of a collection whose JSON path equals a value (uses the expression indexes when they exist). */
  countWhere(collection: string, path: string, value: unknown): number {
    const row = this.stmt(
      `SELECT count(*) AS n FROM records${INDEX_BY_PATH[path] ? ` INDEXED BY ${INDEX_BY_PATH[path]}` : ''} WHERE collection = ? AND ${sqlTarget(path)} = ?`,
    ).get(collection, value) as {
      n: number;
    };
    return row.n;
  }

  count(collection: string): number {
    return (
      this.stmt('SELECT count(*) AS n FROM records WHERE collection = ?').get(collection) as { n: number }
    ).n;
  }

  collections(): string[] {
    return (
      this.stmt('SELECT DISTINCT collection FROM records ORDER BY collection').all() as {
        collection: string;
      }[]
    ).map((r) => r.collection);
  }

  nextId(collection: string): number {
    const row = this.stmt('SELECT next_id FROM sequences WHERE collection = ?').get(collection) as
      { next_id: number } | undefined;
    const id = row?.next_id ?? (ID_BASES[collection] ?? DEFAULT_ID_BASE) + 1;
    this.stmt(
      'INSERT INTO sequences (collection, next_id) VALUES (?, ?) ON CONFLICT(collection) DO UPDATE SET next_id = excluded.next_id',
    ).run(collection, id + 1);
    return id;
  }

  /** Inserts a new record; id, etag and timestamps are assigned unless the caller gives them (seeding). */
  insert(collection: string, fields: Record<string, unknown>): Doc {
    const stamp = this.now().toISOString();
    const id = typeof fields.id === 'number' ? fields.id : this.nextId(collection);
    const doc: Doc = {
      ...fields,
      id,
      created_at: fields.created_at ?? stamp,
      updated_at: fields.updated_at ?? stamp,
    };
    delete doc.etag;
    doc.etag = computeEtag(doc);
    this.stmt('INSERT INTO records (collection, id, doc, created_at, updated_at) VALUES (?, ?, ?, ?, ?)').run(
      collection,
      id,
      JSON.stringify(doc),
      doc.created_at,
      doc.updated_at,
    );
    return doc;
  }

  /** Replaces a record's fields with `patch` merged over it; bumps updated_at and the etag. */
  update(collection: string, id: number, patch: Record<string, unknown>): Doc {
    const current = this.get(collection, id);
    if (!current) throw new Error(`no ${collection} ${id}`);
    const doc: Doc = { ...current, ...patch, id, created_at: current.created_at };
    for (const [k, v] of Object.entries(patch)) if (v === undefined) delete doc[k];
    doc.updated_at = this.laterThan(String(current.updated_at));
    delete doc.etag;
    doc.etag = computeEtag(doc);
    this.stmt('UPDATE records SET doc = ?, updated_at = ? WHERE collection = ? AND id = ?').run(
      JSON.stringify(doc),
      doc.updated_at,
      collection,
      id,
    );
    return doc;
  }

  remove(collection: string, id: number): boolean {
    return this.stmt('DELETE FROM records WHERE collection = ? AND id = ?').run(collection, id).changes > 0;
  }

  /** Bulk insert for seeding: ids, etags and timestamps come precomputed. */
  insertMany(collection: string, docs: Doc[]): void {
    const ins = this.stmt(
      'INSERT INTO records (collection, id, doc, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
    );
    let maxId = 0;
    for (const doc of docs) {
      ins.run(collection, doc.id, JSON.stringify(doc), doc.created_at, doc.updated_at);
      maxId = Math.max(maxId, doc.id);
    }
    if (maxId > 0) this.bumpSequence(collection, maxId + 1);
  }

  bumpSequence(collection: string, nextId: number): void {
    this.stmt(
      'INSERT INTO sequences (collection, next_id) VALUES (?, ?) ON CONFLICT(collection) DO UPDATE SET next_id = max(next_id, excluded.next_id)',
    ).run(collection, nextId);
  }

  getMeta(key: string): string | undefined {
    return (this.stmt('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)
      ?.value;
  }

  setMeta(key: string, value: string): void {
    this.stmt(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    ).run(key, value);
  }

  clearAll(): void {
    this.db.exec('DELETE FROM records; DELETE FROM sequences; DELETE FROM blobs;');
  }

  /** updated_at must move forward on every write, or updated_since and If-Modified-Since miss changes. */
  private laterThan(previous: string): string {
    const now = this.now();
    const prev = Date.parse(previous);
    return (Number.isFinite(prev) && now.getTime() <= prev ? new Date(prev + 1) : now).toISOString();
  }

  private stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }
}
