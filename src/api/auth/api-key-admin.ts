import { type Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { AuditIdempotencyConflictError } from '../../audit/audit-store';
import { type AuditStore } from '../../audit';
import { type ApiKeyInfo, type ApiKeyRepository } from './api-keys';

/**
 * API key management as an operator does it (`npm run apikey`): who was given access to a tenant, with which
 * role, and when it was taken away, is part of the tenant's audit trail like any other act.
 */
export function createApiKeyAdmin(deps: {
  keys: ApiKeyRepository;
  audit: AuditStore;
  /** The person (operating-system account) running the command. */
  operator: string;
}) {
  const invocation = randomUUID();
  const record = (info: ApiKeyInfo, action: 'api_key.created' | 'api_key.revoked', trx?: Knex.Transaction) =>
    deps.audit.append(
      {
        tenant: info.tenant,
        actor: { type: 'user', id: deps.operator },
        action,
        target: { kind: 'api_key', ids: { apiKeyId: info.id } },
        workflowId: 'operator:apikey',
        runId: invocation,
        // One record per key and act, however often the command is run again.
        idempotencyKey: `${action}:${info.id}`,
        outcome: 'succeeded',
        refs: {
          role: info.role,
          name: info.name,
          ...(info.user ? { user: info.user } : {}),
          ...(info.revokedAt ? { revokedAt: info.revokedAt } : {}),
        },
      },
      { trx },
    );

  return {
    /** The key and its record are written in one transaction: without its record the key does not exist. */
    async create(input: Parameters<ApiKeyRepository['create']>[0]) {
      return deps.keys.create(input, (trx, info) => record(info, 'api_key.created', trx));
    },

    /**
     * Revokes first (access ends even if the record cannot be written), then records it. Running it again for a
     * revoked key writes a record an earlier run failed to write, and never a second one.
     */
    async revoke(id: string): Promise<{ info: ApiKeyInfo; revokedNow: boolean } | undefined> {
      const info = await deps.keys.get(id);
      if (!info) return undefined;
      const revokedNow = await deps.keys.revoke(id);
      const revoked = (await deps.keys.get(id))!;
      try {
        await record(revoked, 'api_key.revoked');
      } catch (err) {
        // Revoked and recorded before, by another operator: that record is the act; this run changed nothing.
        if (!(err instanceof AuditIdempotencyConflictError) || revokedNow) throw err;
      }
      return { info: revoked, revokedNow };
    },
  };
}
