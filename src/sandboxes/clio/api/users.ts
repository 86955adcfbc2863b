import { Router } from 'express';
import type { SandboxState } from '../state/sandbox-state';
import { notFound } from '../http/errors';
import { queryString } from '../http/query-value';
import type { ResourceDef } from './resource-def';
import { metaFor } from './resource-meta';
import { resourceRouter } from './resource-router';
import { apiContext, sendRecord } from './respond';

/** Users are read-only in API v4; the list allows up to 2000 per page. */
export const usersDef: ResourceDef = {
  meta: metaFor('users'),
  path: 'users',
  maxLimit: 2000,
  orders: ['name', 'first_name', 'last_name', 'email', 'created_at', 'updated_at'],
  filter: (f) => {
    f.bool('enabled', '$.enabled');
    // The filter takes lowercase values; the records say Attorney or NonAttorney.
    f.equals('subscription_type', '$.subscription_type', ['attorney', 'nonattorney'], (t) =>
      t === 'attorney' ? 'Attorney' : 'NonAttorney',
    );
    const role = queryString(f.query.role);
    if (role !== undefined) f.predicate((u) => (u.roles as string[]).includes(role));
    const name = queryString(f.query.name)?.toLowerCase();
    if (name !== undefined) f.predicate((u) => String(u.name).toLowerCase().includes(name));
  },
};

export function usersRouter(state: SandboxState): Router {
  const router = Router();
  router.get('/users/who_am_i', (req, res) => {
    const ctx = apiContext(state, req, res);
    const me = state.store.get('users', ctx.userId);
    if (!me) throw notFound('User');
    sendRecord(ctx, res, usersDef.meta, me);
  });
  router.use(resourceRouter(state, usersDef));
  return router;
}
