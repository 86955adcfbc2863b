export {
  createAuditStore,
  AuditIdempotencyConflictError,
  type AuditStore,
  type AuditStoreOptions,
  type AppendResult,
} from './audit-store';
export {
  appendInputSchema,
  GENESIS_HASH,
  type AuditAppendInput,
  type AuditRecord,
  type AuditActor,
  type AuditTarget,
} from './audit-record';
export {
  auditQuerySchema,
  auditQueryParamsSchema,
  type AuditQuery,
  type AuditPage,
  type AuditExportFilter,
} from './query';
export { InvalidCursorError } from './cursor';
export { type VerifyResult, type BrokenLink } from './verify';
export { type PurgeResult } from './purge';
export { canonicalJson, hashData, computeRecordHash } from './record-hash';
export { DEFAULT_RETENTION_YEARS, retentionCutoff, isWithinRetention } from './retention';
export { writeExport, toCsvRow, exportFormatSchema, CSV_COLUMNS, type ExportFormat } from './export-format';
export { auditIdempotencyKey } from './audit-key';
