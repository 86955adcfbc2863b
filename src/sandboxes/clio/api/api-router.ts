import express, { Router } from 'express';
import { apiVersionMiddleware } from '../http/api-version';
import { authMiddleware } from '../http/auth-middleware';
import { notFound } from '../http/errors';
import type { TokenStore } from '../oauth/token-store';
import type { SandboxState } from '../state/sandbox-state';
import { activitiesDef } from './activities';
import { allocationsDef, bankTransfersRouter } from './allocations';
import { activityDescriptionsDef } from './activity-descriptions';
import { bankAccountsDef, bankTransactionsDef, trustLineItemsDef } from './banking';
import { billPreviewRouter } from './bill-preview';
import { billableMattersRouter } from './billable-matters';
import { billsDef } from './bills';
import { calendarEntriesDef } from './calendar-entries';
import { calendarsDef } from './calendars';
import { communicationsDef } from './communications';
import { contactsDef } from './contacts';
import { customFieldsDef } from './custom-fields';
import { documentApiRouter } from './document-files';
import type { UploadSigner } from './document-urls';
import { documentsDef } from './documents';
import { firmSettingsRouter } from './firm-settings';
import { expenseCategoriesDef } from './expense-categories';
import { folderListRouter } from './folder-list';
import { foldersDef } from './folders';
import { lineItemsDef } from './line-items';
import { mattersDef } from './matters';
import { nestedRoutes } from './nested-routes';
import { notesDef } from './notes';
import { practiceAreasDef } from './practice-areas';
import { remindersDef } from './reminders';
import { relationshipsDef } from './relationships';
import { reportRoutes, reportsDef } from './reports';
import type { ResourceDef } from './resource-def';
import { resourceRouter } from './resource-router';
import { tasksDef } from './tasks';
import { timerRouter } from './timer';
import { usersRouter } from './users';
import { utbmsCodesDef, utbmsSetsDef } from './utbms';
import type { WebhookDispatcher } from './webhook-dispatcher';
import { webhookActivateRouter, webhooksDef } from './webhooks';

export interface ApiServices {
  tokens: TokenStore;
  signer: UploadSigner;
  dispatcher: WebhookDispatcher;
}

/** Resources served by the generic router; add a definition here to expose a new collection. */
export function resourceDefs(services: ApiServices): ResourceDef[] {
  return [
    mattersDef,
    contactsDef,
    practiceAreasDef,
    customFieldsDef,
    activitiesDef,
    activityDescriptionsDef,
    utbmsCodesDef,
    utbmsSetsDef,
    billsDef,
    lineItemsDef,
    bankAccountsDef,
    bankTransactionsDef,
    trustLineItemsDef,
    calendarsDef,
    calendarEntriesDef,
    remindersDef,
    relationshipsDef,
    expenseCategoriesDef,
    allocationsDef,
    tasksDef,
    notesDef,
    communicationsDef,
    foldersDef,
    documentsDef(services.signer),
    webhooksDef(services.dispatcher),
    reportsDef,
  ];
}

/** API v4: version check, bearer auth, body parsing, then one router per resource. */
export function apiRouter(state: SandboxState, services: ApiServices): Router {
  const router = Router();
  router.use(apiVersionMiddleware);
  router.use(authMiddleware(state, services.tokens));
  router.use(express.json({ limit: '5mb' }));
  router.use(express.urlencoded({ extended: true, limit: '5mb' }));
  router.use(usersRouter(state));
  router.use(billableMattersRouter(state));
  router.use(documentApiRouter(state, services.signer));
  router.use(reportRoutes(state, services.signer));
  router.use(webhookActivateRouter(state));
  router.use(nestedRoutes(state));
  router.use(firmSettingsRouter(state));
  router.use(folderListRouter(state));
  router.use(timerRouter(state));
  router.use(billPreviewRouter(state));
  router.use(bankTransfersRouter(state));
  for (const def of resourceDefs(services)) router.use(resourceRouter(state, def));
  router.use((req, _res, next) => next(notFound(`Route ${req.method} ${req.path}`)));
  return router;
}
