import { badRequest, notFound } from '../errors';
import { type Filters } from '../state/filters';
import { type ParsedDocumentId, parseContainerId, parseDocumentId } from '../state/links';

/** Ids that cannot name anything here (malformed, or another library) are simply not found. */
export function containerNumber(raw: string | undefined, what: string): number {
  const n = raw === undefined ? undefined : parseContainerId(raw);
  if (n === undefined) throw notFound(`${what} '${raw}'`);
  return n;
}

export function documentIdParam(raw: string | undefined): ParsedDocumentId {
  const id = raw === undefined ? undefined : parseDocumentId(raw);
  if (!id) throw notFound(`Document '${raw}'`);
  return id;
}

/** Container filters arrive as `LIB!number`; repositories compare plain numbers. */
export function normalizeContainerFilters(f: Filters): Filters {
  const out = { ...f };
  for (const key of ['container_id', 'workspace_id'] as const) {
    const raw = f[key];
    if (raw === undefined) continue;
    const n = parseContainerId(raw);
    if (n === undefined)
      throw badRequest(`'${key}' must be a container id such as ACTIVE!123.`, [
        { field: key, code: 'INVALID_ID', code_message: 'Not a container id.' },
      ]);
    out[key] = String(n);
  }
  return out;
}
