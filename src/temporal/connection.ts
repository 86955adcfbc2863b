import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { NativeConnection, TransportError } from '@temporalio/worker';
import { type Config } from '../config';

type TemporalConfig = Pick<
  Config,
  'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE' | 'TEMPORAL_API_KEY' | 'TEMPORAL_TLS'
>;

function connectionOptions(config: TemporalConfig) {
  const apiKey = config.TEMPORAL_API_KEY || undefined;
  return { address: config.TEMPORAL_ADDRESS, tls: config.TEMPORAL_TLS || Boolean(apiKey), apiKey };
}

/** A client for starting and reading workflows; create one per process and reuse it. */
export async function connectClient(
  config: TemporalConfig,
  dataConverter?: Client['options']['dataConverter'],
) {
  const connection = await Connection.connect(connectionOptions(config));
  return new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter });
}

/**
 * A client whose connection is made on first use and remade after an outage: a process that only serves
 * requests (the API) starts without Temporal and says so through its readiness check. Its calls retry an
 * outage for about `retryBudgetMs` (the SDK's default gives up only after about 20 s), so a request that has
 * been answered 503 leaves no call retrying long behind it.
 */
export function lazyClient(
  config: TemporalConfig,
  dataConverter?: Client['options']['dataConverter'],
  opts: { retryBudgetMs?: number } = {},
): Client {
  const interceptors =
    opts.retryBudgetMs === undefined
      ? undefined
      : [
          makeGrpcRetryInterceptor(
            defaultGrpcRetryOptions({ maxAttempts: attemptsWithin(opts.retryBudgetMs) }),
          ),
        ];
  return new Client({
    connection: Connection.lazy({ ...connectionOptions(config), interceptors }),
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter,
  });
}

/** Attempts whose backoff (the SDK's defaults: 100 ms × 1.7^n, at most 5 s between tries) fits in the budget. */
export function attemptsWithin(budgetMs: number): number {
  let attempts = 1;
  let waited = 0;
  for (;;) {
    const next = Math.min(5_000, 100 * 1.7 ** attempts);
    if (waited + next > budgetMs) return attempts;
    waited += next;
    attempts++;
  }
}

/**
 * The connection workers poll through. A worker started before Temporal (a cluster coming up, a restart) waits
 * for it, saying so every attempt, instead of crashing into a restart loop.
 */
export async function connectWorker(
  config: TemporalConfig,
  opts: { onWaiting?: (attempt: number, reason: string) => void; maxDelayMs?: number } = {},
): Promise<NativeConnection> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await NativeConnection.connect(connectionOptions(config));
    } catch (err) {
      // Only "nothing answers" is worth waiting out; a bad address, TLS setting or key fails at once.
      if (!(err instanceof TransportError)) throw err;
      opts.onWaiting?.(attempt, err.message);
      const delay = Math.min(opts.maxDelayMs ?? 10_000, 500 * 2 ** Math.min(attempt - 1, 10));
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
