import type { z } from 'zod';
import { unprocessable } from '../http/errors';
import type { Doc } from '../state/record-store';
import { dataOf, parseInput } from './input';
import type { ApiContext } from './resource-def';

/** Links a write may name, checked to exist: field → collection. */
export type LinkChecks = Record<string, string>;

export function checkLinkFields(ctx: ApiContext, input: Record<string, unknown>, links: LinkChecks): void {
  for (const [field, collection] of Object.entries(links)) {
    const ref = input[field] as { id?: number } | undefined;
    if (ref?.id !== undefined && !ctx.state.store.get(collection, ref.id))
      throw unprocessable(`${field} ${ref.id} could not be found`);
  }
}

export interface CrudSpec<C extends z.ZodObject> {
  collection: string;
  input: C;
  links?: LinkChecks;
  /** Fields a new record gets besides the input (defaults, derived values). */
  defaults?: (ctx: ApiContext, input: z.infer<C>) => Record<string, unknown>;
  /** Derived fields recomputed on update. */
  derive?: (ctx: ApiContext, merged: Record<string, unknown>, current: Doc) => Record<string, unknown>;
}

/** create/update handlers for resources whose rules are "validate, check links, store". */
export function simpleCrud<C extends z.ZodObject>(
  spec: CrudSpec<C>,
): {
  create: (ctx: ApiContext, body: unknown) => Doc;
  update: (ctx: ApiContext, current: Doc, body: unknown) => Doc;
  destroy: (ctx: ApiContext, current: Doc) => void;
} {
  return {
    create: (ctx, body) => {
      const input = parseInput(spec.input, dataOf(body)) as Record<string, unknown>;
      checkLinkFields(ctx, input, spec.links ?? {});
      return ctx.state.store.insert(spec.collection, {
        ...(spec.defaults?.(ctx, input as z.infer<C>) ?? {}),
        ...input,
      });
    },
    update: (ctx, current, body) => {
      const input = parseInput(spec.input.partial(), dataOf(body)) as Record<string, unknown>;
      checkLinkFields(ctx, input, spec.links ?? {});
      const merged = { ...current, ...input };
      return ctx.state.store.update(spec.collection, current.id, {
        ...input,
        ...(spec.derive?.(ctx, merged, current) ?? {}),
      });
    },
    destroy: (ctx, current) => {
      ctx.state.store.remove(spec.collection, current.id);
    },
  };
}
