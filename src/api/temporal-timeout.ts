import { ServiceError } from '@temporalio/client';
import { AppError } from './errors';

/** gRPC status codes meaning "Temporal did not answer", as opposed to a refusal. */
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;

export function temporalUnavailable(cause?: unknown): AppError {
  // A 5xx is never remembered for an Idempotency-Key, so the same request may simply be sent again.
  return new AppError(
    503,
    'temporal_unavailable',
    'Temporal did not answer in time; send the same request again (same Idempotency-Key) shortly',
    undefined,
    { 'retry-after': '5' },
    cause === undefined ? undefined : { cause },
  );
}

/** The client gave up on Temporal (its own retries spent), rather than Temporal refusing the call. */
export function isTemporalUnreachable(err: unknown): boolean {
  if (!(err instanceof ServiceError)) return false;
  const code = (err.cause as { code?: unknown } | undefined)?.code;
  return code === GRPC_UNAVAILABLE || code === GRPC_DEADLINE_EXCEEDED;
}

/** Bounds the Temporal calls a request makes, however long the client would keep retrying an outage. */
export interface TemporalTimeout {
  /** `ms` overrides the request timeout for one call (a readiness probe must answer sooner). */
  <T>(call: Promise<T>, ms?: number): Promise<T>;
  /** Resolves once every call handed in has settled (shutdown waits for it before closing the connection). */
  settled(): Promise<void>;
}

/**
 * After `ms` the request gets a 503 while the call itself may still complete in the background: that is safe
 * because every start is keyed by its workflow id (a retried request finds the workflow), and reads and signals
 * are repeatable. No AsyncLocalStorage deadline: enabling it would tax every promise of the process.
 */
export function temporalTimeout(ms: number): TemporalTimeout {
  const inFlight = new Set<Promise<unknown>>();
  const within = <T>(call: Promise<T>, callMs = ms): Promise<T> => {
    const tracked = call.then(
      () => undefined,
      () => undefined,
    );
    inFlight.add(tracked);
    void tracked.then(() => inFlight.delete(tracked));
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(temporalUnavailable()), callMs);
    });
    return Promise.race([call, expired]).finally(() => clearTimeout(timer));
  };
  return Object.assign(within, {
    settled: async () => {
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
  });
}
