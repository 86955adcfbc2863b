export {
  createDatabase,
  schemaStatus,
  SchemaNotCurrentError,
  type Database,
  type Dialect,
  type CreateDatabaseOptions,
  type SchemaStatus,
} from './database';
export { migrateDatabase, type MigrateOptions, type MigrateResult, type ServiceRoleGrants } from './migrate';
export { parseDatabaseUrl, DEFAULT_DATABASE_URL, type DatabaseTarget } from './database-url';
export {
  createIdempotencyRepository,
  type IdempotencyRepository,
  type IdempotencyRecord,
  type NewIdempotencyRecord,
} from './idempotency-repository';
export {
  createOperationsLedger,
  type OperationsLedger,
  type Operation,
  type OperationInput,
} from './operations-ledger';
