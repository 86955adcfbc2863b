export { createDatabase, type Database, type Dialect, type CreateDatabaseOptions } from './database';
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
