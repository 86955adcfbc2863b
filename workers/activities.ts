import { createAuditActivities } from '../activities/audit';
import { createClioTimeEntryActivities } from '../activities/clio-time-entries';
import { createClioPortalActivities, type PortalSessionDeps } from '../activities/clio-portal-session';
import { createClioSessionActivities, type ClioSessionSupportDeps } from '../activities/clio-session-support';
import { createWebhookActivities, type WebhookDeps } from '../activities/webhooks';
import { type AuditStore } from '../src/audit';
import { type OperationsLedger } from '../src/store/operations-ledger';
import { type ClioTimeEntries } from '../src/integrations/clio/time-entries';

export interface ActivityDeps {
  clioTimeEntries: (tenant: string) => ClioTimeEntries;
  ledger: OperationsLedger;
  audit: AuditStore;
  webhooks: WebhookDeps;
  /** The Clio portal session: housekeeping next to the session workflow, and portal calls for workflows. */
  portalSession: ClioSessionSupportDeps & PortalSessionDeps;
}

/** Activities per task queue: the one place that says which activity runs where. */
export function createActivitiesByQueue(deps: ActivityDeps) {
  return {
    clioApi: { ...createClioTimeEntryActivities({ timeEntries: deps.clioTimeEntries, ledger: deps.ledger }) },
    orchestration: {
      ...createAuditActivities({ audit: deps.audit }),
      ...createWebhookActivities(deps.webhooks),
      ...createClioSessionActivities(deps.portalSession),
      ...createClioPortalActivities(deps.portalSession),
    },
  };
}
