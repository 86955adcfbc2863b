import type { Request } from 'express';
import { badRequest } from '../http/errors';
import { asText } from '../http/query-value';
import type { Doc, SqlCondition } from '../state/record-store';

type Query = Request['query'];

const asList = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(asText) : v === undefined ? [] : asText(v).split(',');

export function parseTimestamp(param: string, value: unknown): string {
  const t = Date.parse(asText(value));
  if (Number.isNaN(t)) throw badRequest(`Invalid ${param}: expected an ISO-8601 timestamp`);
  return new Date(t).toISOString();
}

export function parseDate(param: string, value: unknown): string {
  const s = asText(value);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(Date.parse(s)))
    throw badRequest(`Invalid ${param}: expected YYYY-MM-DD`);
  return s;
}

function parseId(param: string, value: unknown): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw badRequest(`Invalid ${param}: expected an id`);
  return n;
}

/** Builds the SQL conditions and in-memory predicates of an index request from its query string. */
export class FilterBuilder {
  readonly where: SqlCondition[] = [];
  private readonly predicates: ((d: Doc) => boolean)[] = [];

  constructor(readonly query: Query) {}

  /** ids[], created_since and updated_since: shared by nearly every Clio index endpoint. */
  common(): this {
    const ids = this.query['ids[]'] ?? this.query.ids;
    if (ids !== undefined)
      this.where.push({ path: 'id', op: 'in', value: asList(ids).map((v) => parseId('ids[]', v)) });
    // Clio compares strictly "after" the given time.
    if (this.query.created_since !== undefined)
      this.where.push({
        path: 'created_at',
        op: '>',
        value: parseTimestamp('created_since', this.query.created_since),
      });
    if (this.query.updated_since !== undefined)
      this.where.push({
        path: 'updated_at',
        op: '>',
        value: parseTimestamp('updated_since', this.query.updated_since),
      });
    return this;
  }

  /**
   * An association filter such as matter_id; the keyword `null` matches records without one, except where
   * Clio's document says "The keyword `null` is not valid for this field" (`nullable: false`): a 400 there.
   */
  link(param: string, path: string, opts: { nullable?: boolean } = {}): this {
    const v = this.query[param];
    if (v === undefined) return this;
    if (asText(v) === 'null') {
      if (opts.nullable === false) throw badRequest(`Invalid ${param}: the keyword null is not valid here`);
      this.where.push({ path, op: 'is null' });
    } else this.where.push({ path, op: '=', value: parseId(param, v) });
    return this;
  }

  /** The id an association filter names (`null` for the keyword), checked as `link` checks it. */
  linkId(param: string): number | null | undefined {
    const v = this.query[param];
    if (v === undefined) return undefined;
    return asText(v) === 'null' ? null : parseId(param, v);
  }

  equals(
    param: string,
    path: string,
    allowed?: readonly string[],
    map: (s: string) => unknown = (s) => s,
  ): this {
    const v = this.query[param];
    if (v === undefined) return this;
    const values = asList(v);
    if (allowed) for (const x of values) if (!allowed.includes(x)) throw badRequest(`Invalid ${param}: ${x}`);
    this.where.push({ path, op: 'in', value: values.map(map) });
    return this;
  }

  bool(param: string, path: string): this {
    const v = this.query[param];
    if (v === undefined) return this;
    if (v !== 'true' && v !== 'false') throw badRequest(`Invalid ${param}: expected true or false`);
    this.where.push({ path, op: '=', value: v === 'true' ? 1 : 0 });
    return this;
  }

  dateRange(fromParam: string, toParam: string, path: string): this {
    if (this.query[fromParam] !== undefined)
      this.where.push({ path, op: '>=', value: parseDate(fromParam, this.query[fromParam]) });
    if (this.query[toParam] !== undefined)
      this.where.push({ path, op: '<=', value: parseDate(toParam, this.query[toParam]) });
    return this;
  }

  /** `query`: case-insensitive substring search over the given fields. */
  text(fields: string[], extra?: (doc: Doc, needle: string) => boolean): this {
    const q = this.query.query;
    const needle = asText(q).toLowerCase();
    if (needle === '') return this;
    this.predicates.push(
      (doc) =>
        fields.some((f) => asText(doc[f]).toLowerCase().includes(needle)) || (extra?.(doc, needle) ?? false),
    );
    return this;
  }

  predicate(fn: (doc: Doc) => boolean): this {
    this.predicates.push(fn);
    return this;
  }

  build(): { where: SqlCondition[]; predicate?: (doc: Doc) => boolean } {
    const preds = this.predicates;
    return { where: this.where, predicate: preds.length ? (doc) => preds.every((p) => p(doc)) : undefined };
  }
}
