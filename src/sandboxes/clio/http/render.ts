import { metaFor, toApiUnits, type ResourceMeta } from '../api/resource-meta';
import type { Doc, RecordStore } from '../state/record-store';
import type { ApiVersion } from './api-version';
import { DOCUMENTED_NULL } from './documented-null';
import { schemaEntry, type FieldSelection } from './fields-param';

const DEFAULT_NESTED = ['id', 'etag'];

export interface RenderContext {
  store: RecordStore;
  version: ApiVersion;
  /** Linked records looked up once per request, however many rows point at them. */
  cache: Map<string, Doc | null>;
  /** The request's query, for per-request shaping such as `custom_field_ids[]`. */
  query?: Record<string, unknown>;
  /** Per-request lookups shared by every row (e.g. the displayed custom field definitions). */
  memo: Map<string, unknown>;
}

function lookup(ctx: RenderContext, collection: string, id: unknown): Doc | null {
  if (typeof id !== 'number' && typeof id !== 'string') return null;
  const key = `${collection}:${String(id)}`;
  let doc = ctx.cache.get(key);
  if (doc === undefined) {
    doc = ctx.store.get(collection, Number(id)) ?? null;
    ctx.cache.set(key, doc);
  }
  return doc;
}

/**
 * Clio's schemas never mark a field nullable, so an absent value is left out rather than answered
 * as null: a response the OpenAPI document rejects would be a sandbox bug. The exception is a null
 * Clio's own docs promise, marked DOCUMENTED_NULL.
 */
const present = (v: unknown): boolean => v !== undefined && v !== null;

function pick(source: Record<string, unknown>, names: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const n of names) {
    const v = source[n];
    if (v === DOCUMENTED_NULL) {
      out[n] = null;
      continue;
    }
    if (!present(v)) continue;
    // A link inside a nested record answers with its own default fields only (one level of braces).
    out[n] =
      v !== null && typeof v === 'object' && !Array.isArray(v)
        ? pick(v as Record<string, unknown>, DEFAULT_NESTED)
        : v;
  }
  return out;
}

function renderNested(
  ctx: RenderContext,
  collection: string | undefined,
  item: unknown,
  names: string[],
): unknown {
  if (item === null || typeof item !== 'object') return undefined;
  const stored = item as Record<string, unknown>;
  if (!collection) return pick(stored, names);
  const target = lookup(ctx, collection, stored.id);
  if (!target) return pick(stored, names);
  const meta = metaFor(collection);
  const units = toApiUnits(meta, target);
  meta.adjust?.(units, ctx.version);
  return pick(units, names);
}

/** One record in API shape, limited to the requested fields. */
export function renderRecord(
  ctx: RenderContext,
  meta: ResourceMeta,
  doc: Doc,
  fields: FieldSelection[],
): Record<string, unknown> {
  // Shaping runs without a query too: nested routes and webhook payloads answer the same record shape.
  const units = toApiUnits(meta, meta.shape ? meta.shape(doc, ctx) : doc);
  meta.adjust?.(units, ctx.version);
  for (const sel of fields) {
    const compute = meta.virtual?.[sel.name];
    if (compute) units[sel.name] = compute(ctx.store, doc);
  }
  const links = meta.schema ? schemaEntry(meta.schema).links : {};
  const out: Record<string, unknown> = {};
  for (const sel of fields) {
    const value = units[sel.name];
    if (!present(value)) continue;
    if (!links[sel.name] || typeof value !== 'object') {
      out[sel.name] = value === DOCUMENTED_NULL ? null : value;
      continue;
    }
    const names = sel.nested ?? DEFAULT_NESTED;
    const collection = meta.links[sel.name];
    if (Array.isArray(value))
      out[sel.name] = value.map((item) => renderNested(ctx, collection, item, names)).filter(present);
    else {
      const nested = renderNested(ctx, collection, value, names);
      if (present(nested)) out[sel.name] = nested;
    }
  }
  return out;
}

export function renderContext(
  store: RecordStore,
  version: ApiVersion,
  query?: Record<string, unknown>,
): RenderContext {
  return { store, version, cache: new Map(), query, memo: new Map() };
}
