import { type OAuthStateLedger } from '../integrations/clio/oauth/state-ledger';
import { type Logger } from '../logging/logger';
import { type IdempotencyRepository } from '../store/idempotency-repository';
import { type OperationsLedger } from '../store/operations-ledger';
import { type WebhookRepository } from '../webhooks/repository';

export interface Housekeeping {
  /** One sweep now (also what the timer runs); resolves when it is done, whatever it met. */
  sweep(): Promise<void>;
  /** No more sweeps; resolves once one under way has finished (before the store closes). */
  stop(): Promise<void>;
}

/**
 * Keeps the store's tables from growing without end: Idempotency-Key answers past their time, the webhook delivery
 * log and the ledger of Clio writes past their retention, and used OAuth states past their expiry. Several API processes may sweep the same store; each
 * delete is idempotent.
 */
export function startHousekeeping(opts: {
  idempotency: IdempotencyRepository;
  webhooks: WebhookRepository;
  deliveryLogMs: number;
  operations: OperationsLedger;
  operationsMs: number;
  oauthStates: OAuthStateLedger;
  logger: Logger;
  everyMs?: number;
  now?: () => number;
}): Housekeeping {
  const now = opts.now ?? Date.now;
  const sweep = async () => {
    try {
      const keys = await opts.idempotency.expireOld();
      const log = await opts.webhooks.prune(new Date(now() - opts.deliveryLogMs));
      const operations = await opts.operations.prune(new Date(now() - opts.operationsMs));
      const states = await opts.oauthStates.prune(new Date(now()));
      if (keys + log.attempts + log.subscriptions + operations + states > 0)
        opts.logger.info(
          { expiredKeys: keys, ...log, ledgerEntries: operations, oauthStates: states },
          'housekeeping: removed expired rows',
        );
    } catch (err) {
      // The next sweep tries again; a failed one leaves only rows that are already ignored (expired) or old.
      opts.logger.warn({ err }, 'housekeeping sweep failed');
    }
  };
  let running: Promise<void> = Promise.resolve();
  const run = () => (running = running.then(sweep));
  const timer = setInterval(() => void run(), opts.everyMs ?? 10 * 60_000);
  timer.unref();
  void run();
  return {
    sweep: run,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
