import express, { Router } from 'express';
import { apiVersionMiddleware } from '../http/api-version';
import { authMiddleware } from '../http/auth-middleware';
import { notFound } from '../http/errors';
import type { TokenStore } from '../oauth/token-store';
import type { SandboxState } from '../state/sandbox-state';
import { activitiesDef } from './activities';
import { activityDescriptionsDef } from './activity-descriptions';
import { mattersDef } from './matters';
import type { ResourceDef } from './resource-def';
import { resourceRouter } from './resource-router';
import { usersRouter } from './users';
import { utbmsCodesDef, utbmsSetsDef } from './utbms';

/** Resources served by the generic router; add a definition here to expose a new collection. */
export const RESOURCE_DEFS: ResourceDef[] = [
  mattersDef,
  activitiesDef,
  activityDescriptionsDef,
  utbmsCodesDef,
  utbmsSetsDef,
];

/** API v4: version check, bearer auth, body parsing, then one router per resource. */
export function apiRouter(state: SandboxState, tokens: TokenStore, extra: Router[] = []): Router {
  const router = Router();
  router.use(apiVersionMiddleware);
  router.use(authMiddleware(state, tokens));
  router.use(express.json({ limit: '5mb' }));
  router.use(express.urlencoded({ extended: true, limit: '5mb' }));
  router.use(usersRouter(state));
  for (const def of RESOURCE_DEFS) router.use(resourceRouter(state, def));
  for (const r of extra) router.use(r);
  router.use((req, _res, next) => next(notFound(`Route ${req.method} ${req.path}`)));
  return router;
}
