import { createClioTimeEntryActivities } from '../activities/clio-time-entries';
import { type OperationsLedger } from '../src/store/operations-ledger';
import { type ClioTimeEntries } from '../src/integrations/clio/time-entries';

export interface ActivityDeps {
  clioTimeEntries: (tenant: string) => ClioTimeEntries;
  ledger: OperationsLedger;
}

/** Activities per task queue: the one place that says which activity runs where. */
export function createActivitiesByQueue(deps: ActivityDeps) {
  return {
    clioApi: { ...createClioTimeEntryActivities({ timeEntries: deps.clioTimeEntries, ledger: deps.ledger }) },
    orchestration: {},
  };
}
