import pino from 'pino';
import { ClioHttpClient } from '../src/integrations/clio/http-client';
import { RateBudgetRegistry } from '../src/integrations/clio/rate-budget-registry';
import { createClioSandbox } from '../src/sandboxes/clio';

export interface RateBudgetResult {
  requests: number;
  perMinute: number;
  elapsedMs: number;
  /** The least time the server's limit allows for this many requests (see below). */
  floorMs: number;
  ratio: number;
  answers429: number;
  failures: number;
}

/**
 * Fires `requests` concurrent Clio reads from one process through the shared rate budget, against a sandbox
 * limited to `perMinute` per token, and measures how close to the limit the budget runs without a 429.
 *
 * The floor: Clio (and the sandbox) count per token in a fixed 60 s window that opens with the first
 * request. The first `perMinute` requests fit in that window, each further window takes `perMinute` more,
 * and the last window's requests can all go the moment it opens, so the floor is
 * floor((requests - 1) / perMinute) windows: 300 at 120/min → 2 windows → 120 s.
 */
export async function runRateBudgetScenario(
  opts: { requests?: number; perMinute?: number } = {},
): Promise<RateBudgetResult> {
  const requests = opts.requests ?? 300;
  const perMinute = opts.perMinute ?? 120;
  const sandbox = createClioSandbox({});
  try {
    const base = `http://127.0.0.1:${await sandbox.listen(0)}`;
    await control(base, 'reset', {});
    await control(base, 'faults', { rateLimitPerMinute: perMinute });
    const http = new ClioHttpClient({
      baseUrl: base,
      apiVersion: '4.0.9',
      tokens: { getAccessToken: () => Promise.resolve('sandbox-access-token'), invalidate: () => undefined },
      logger: pino({ level: 'silent' }),
      budgets: new RateBudgetRegistry(),
    });
    const started = Date.now();
    const outcomes = await Promise.allSettled(
      Array.from({ length: requests }, () => http.request('GET', 'users/who_am_i.json', { fields: 'id' })),
    );
    const elapsedMs = Date.now() - started;
    const stats = (await (await fetch(`${base}/_sandbox/stats`)).json()) as {
      byStatus: Record<string, number>;
    };
    const floorMs = Math.floor((requests - 1) / perMinute) * 60_000;
    return {
      requests,
      perMinute,
      elapsedMs,
      floorMs,
      ratio: floorMs === 0 ? 1 : elapsedMs / floorMs,
      answers429: stats.byStatus['429'] ?? 0,
      failures: outcomes.filter((o) => o.status === 'rejected').length,
    };
  } finally {
    await sandbox.close();
  }
}

async function control(base: string, what: string, body: unknown): Promise<void> {
  const res = await fetch(`${base}/_sandbox/${what}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`sandbox ${what}: ${res.status}`);
}

if (require.main === module) {
  const [requests, perMinute] = process.argv.slice(2).map(Number);
  runRateBudgetScenario({ requests: requests || undefined, perMinute: perMinute || undefined })
    .then((r) => {
      console.log(`requests ${r.requests} at ${r.perMinute}/min`);
      console.log(`elapsed  ${(r.elapsedMs / 1000).toFixed(1)} s`);
      console.log(`floor    ${(r.floorMs / 1000).toFixed(1)} s`);
      console.log(`ratio    ${r.ratio.toFixed(3)}`);
      console.log(`429s     ${r.answers429}`);
      console.log(`failures ${r.failures}`);
      process.exitCode = r.answers429 === 0 && r.failures === 0 && r.ratio <= 1.15 ? 0 : 1;
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
