import { type Knex } from 'knex';
import * as auditRecords from './001-audit-records';
import * as idempotencyKeys from './002-idempotency-keys';
import * as operations from './003-operations';
import * as clioTokens from './004-clio-tokens';
import * as apiKeys from './006-api-keys';
import * as portalSessions from './005-portal-sessions';
import * as webhooks from './007-webhooks';
import * as operationsByExternalId from './008-operations-by-external-id';
import * as auditGuards from './009-audit-guards';
import * as housekeepingIndexes from './010-housekeeping-indexes';
import * as auditGuardsSearchPath from './011-audit-guards-search-path';
import * as auditRecordedAt from './012-audit-recorded-at';
import * as oauthStatesUsed from './013-oauth-states-used';
import * as portalSessionWorkflows from './014-portal-session-workflows';
import * as auditGuardsInPlace from './015-audit-guards-in-place';
import * as apiKeyUsers from './016-api-key-users';
import * as webhookDeletedBy from './017-webhook-deleted-by';

interface NamedMigration {
  name: string;
  migration: Knex.Migration;
}

/**
 * Migrations listed in code (not discovered on disk), so they run the same from TypeScript sources under tsx
 * or jest and from a compiled build. Append new ones at the end; never rename or reorder existing names,
 * knex records them in knex_migrations.
 */
const MIGRATIONS: readonly NamedMigration[] = [
  { name: '001-audit-records', migration: auditRecords },
  { name: '002-idempotency-keys', migration: idempotencyKeys },
  { name: '003-operations', migration: operations },
  { name: '006-api-keys', migration: apiKeys },
  { name: '005-portal-sessions', migration: portalSessions },
  { name: '007-webhooks', migration: webhooks },
  { name: '004-clio-tokens', migration: clioTokens },
  { name: '008-operations-by-external-id', migration: operationsByExternalId },
  { name: '009-audit-guards', migration: auditGuards },
  { name: '010-housekeeping-indexes', migration: housekeepingIndexes },
  { name: '011-audit-guards-search-path', migration: auditGuardsSearchPath },
  { name: '012-audit-recorded-at', migration: auditRecordedAt },
  { name: '013-oauth-states-used', migration: oauthStatesUsed },
  { name: '014-portal-session-workflows', migration: portalSessionWorkflows },
  { name: '015-audit-guards-in-place', migration: auditGuardsInPlace },
  { name: '016-api-key-users', migration: apiKeyUsers },
  { name: '017-webhook-deleted-by', migration: webhookDeletedBy },
];

export const migrationSource: Knex.MigrationSource<NamedMigration> = {
  getMigrations: () => Promise.resolve([...MIGRATIONS]),
  getMigrationName: (m) => m.name,
  getMigration: (m) => Promise.resolve(m.migration),
};
