import type { Request } from 'express';
import type { ApiVersion } from '../http/api-version';
import type { Doc } from '../state/record-store';
import type { SandboxState } from '../state/sandbox-state';
import type { FilterBuilder } from './list-filters';
import type { ResourceMeta } from './resource-meta';

/** What a handler knows about the caller. */
export interface ApiContext {
  state: SandboxState;
  userId: number;
  version: ApiVersion;
  req: Request;
}

/**
 * One API v4 resource. The generic router supplies envelopes, fields, paging, ETags and
 * transactions; a definition supplies only what differs: filters and the write rules.
 */
export interface ResourceDef {
  meta: ResourceMeta;
  /** URL segment under /api/v4, e.g. `activities` or `utbms/codes`. */
  path: string;
  maxLimit?: number;
  /** Sortable fields besides id (`order=name(asc)`): exactly the values Clio's document lists. */
  orders?: string[];
  /** Orders Clio names apart from the field they sort by, e.g. bills' `client_name` → `client.name`. */
  orderPaths?: Record<string, string>;
  filter?: (f: FilterBuilder, ctx: ApiContext) => void;
  /** Called inside a transaction; returns the stored record. */
  create?: (ctx: ApiContext, body: unknown) => Doc;
  update?: (ctx: ApiContext, current: Doc, body: unknown) => Doc;
  /** Called inside a transaction; throw to refuse. Default: remove the record. */
  destroy?: (ctx: ApiContext, current: Doc) => void;
  /** Clio roles allowed to write (create, update, delete); others get 403. Default: any user. */
  writeRoles?: string[];
  /** Checked before a show/list answer (e.g. notes require `type`). */
  validateList?: (ctx: ApiContext) => void;
}
