import { hash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { RateBudget, type RateBudgetOptions } from './rate-budget';

/**
 * One RateBudget per Clio access token (Clio counts per token), shared by every client built from this
 * registry. The composition root makes one registry per process and hands it to every Clio client, so all
 * activities of a worker draw from the same bucket. Keys are token hashes: the map never holds a token.
 */
/**
 * How long a service's caller waits for a slot before it is told to come back (`RateBudgetExhausted` with
 * `retryAfterMs`): well inside an activity's start-to-close timeout, so an attempt never outlives its timeout
 * waiting and then writes beside its own retry; a read through the API answers 503 with Retry-After instead.
 */
export const SERVICE_MAX_BUDGET_WAIT_MS = 30_000;

export class RateBudgetRegistry {
  private readonly budgets: LRUCache<string, RateBudget>;
  constructor(private readonly options: RateBudgetOptions = {}) {
    // Old tokens' budgets age out; a budget with waiters is still referenced by them, so eviction is safe.
    this.budgets = new LRUCache({ max: 1000 });
  }

  forToken(accessToken: string): RateBudget {
    const key = hash('sha256', accessToken, 'base64url');
    let budget = this.budgets.get(key);
    if (!budget) {
      budget = new RateBudget(this.options);
      this.budgets.set(key, budget);
    }
    return budget;
  }
}
