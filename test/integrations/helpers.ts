import pino from 'pino';
import { createClioSandbox, type ClioSandbox } from '../../src/sandboxes/clio';
import { ClioClient } from '../../src/integrations/clio/clio-client';
import { ClioHttpClient } from '../../src/integrations/clio/http-client';
import { type ClioTransport, undiciTransport } from '../../src/integrations/clio/transport';
import { type RateBudgetRegistry } from '../../src/integrations/clio/rate-budget-registry';
import { createRefreshTokenProvider, type TokenProvider } from '../../src/integrations/clio/token-provider';

export const silent = pino({ level: 'silent' });
export const SANDBOX_CLIENT = { clientId: 'sandbox-client', clientSecret: 'sandbox-secret' };

export interface ClioHarness {
  sandbox: ClioSandbox;
  baseUrl: string;
  faults(f: Record<string, unknown>): Promise<void>;
  stats(): Promise<{ byStatus: Record<string, number>; byRoute: Record<string, number> }>;
  close(): Promise<void>;
}

export async function startClio(): Promise<ClioHarness> {
  const sandbox = createClioSandbox({});
  const port = await sandbox.listen(0);
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    sandbox,
    baseUrl,
    faults: async (f) => {
      const res = await fetch(`${baseUrl}/_sandbox/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(f),
      });
      if (!res.ok) throw new Error(`faults: ${res.status} ${await res.text()}`);
    },
    stats: async () => (await (await fetch(`${baseUrl}/_sandbox/stats`)).json()) as never,
    close: () => sandbox.close(),
  };
}

/** The sandbox's pre-issued, never-expiring token: for tests that are not about authentication. */
export function staticTokens(token = 'sandbox-access-token'): TokenProvider {
  return { getAccessToken: () => Promise.resolve(token), invalidate: () => undefined };
}

export function refreshTokens(baseUrl: string, extra: { earlyRefreshMs?: number } = {}): TokenProvider {
  return createRefreshTokenProvider({
    baseUrl,
    ...SANDBOX_CLIENT,
    refreshToken: 'sandbox-refresh-token',
    ...extra,
  });
}

/** The client's transport, recording each answer's status, to see 304s the client swallows. */
export function recordingTransport(): { transport: ClioTransport; statuses: number[] } {
  const statuses: number[] = [];
  const inner = undiciTransport();
  return {
    statuses,
    transport: async (req) => {
      const answer = await inner(req);
      statuses.push(answer.status);
      return answer;
    },
  };
}

export function clioClient(
  baseUrl: string,
  opts: { tokens?: TokenProvider; budgets?: RateBudgetRegistry; transport?: ClioTransport } = {},
): ClioClient {
  const http = new ClioHttpClient({
    baseUrl,
    apiVersion: '4.0.9',
    tokens: opts.tokens ?? staticTokens(),
    logger: silent,
    budgets: opts.budgets,
    transport: opts.transport,
  });
  return new ClioClient(http);
}
