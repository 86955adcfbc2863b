import { type Logger } from 'pino';
import { ClioClient } from './clio-client';
import { ClioApiError } from './errors';
import { ClioHttpClient } from './http-client';
import { type AcquireOptions } from './rate-budget';
import { RateBudgetRegistry, SERVICE_MAX_BUDGET_WAIT_MS } from './rate-budget-registry';
import { ClioTimeEntries } from './time-entries';
import { createRefreshTokenProvider, type TokenProvider } from './token-provider';

export interface ClioTenantCredentials {
  tenant: string;
  baseUrl: string;
  apiVersion: string;
  clientId: string;
  clientSecret: string;
  /** A configured refresh token; in OAuth mode the token store provides tokens instead (`tokenProvider`). */
  refreshToken?: string;
}

export interface ClioClients {
  http: ClioHttpClient;
  timeEntries: ClioTimeEntries;
  /** Typed operations on every resource the workflows and the API read. */
  clio: ClioClient;
}

export interface ClioClientFactoryOptions {
  /** The process's rate budgets; one is made per factory when omitted (one factory per process). */
  budgets?: RateBudgetRegistry;
  /** Tokens for a tenant, e.g. `createStoredTokenProvider` in OAuth mode; default: the configured refresh token. */
  tokenProvider?: (creds: ClioTenantCredentials) => TokenProvider;
  defaultCurrency?: string;
  /** How these clients' requests draw on each token's budget (default: as they come, up to the whole window). */
  budgetDraw?: AcquireOptions;
}

/**
 * One set of Clio clients per tenant, built on first use and shared by every activity of the process, so
 * they share one token and, through the registry, one rate budget per token.
 */
export function createClioClientFactory(
  /** A tenant's credentials, or undefined for a tenant this process has none for. */
  credentialsFor: (tenant: string) => ClioTenantCredentials | undefined,
  logger: Logger,
  options: ClioClientFactoryOptions = {},
) {
  const cache = new Map<string, ClioClients>();
  const budgets = options.budgets ?? new RateBudgetRegistry({ maxWaitMs: SERVICE_MAX_BUDGET_WAIT_MS });
  return (tenant: string): ClioClients => {
    const cached = cache.get(tenant);
    if (cached) return cached;
    const creds = credentialsFor(tenant);
    if (!creds)
      throw new ClioApiError(
        `No Clio credentials are configured for tenant ${tenant}`,
        undefined,
        'UnknownTenant',
        false,
      );
    const tokens = options.tokenProvider ? options.tokenProvider(creds) : refreshProvider(creds);
    const http = new ClioHttpClient({
      baseUrl: creds.baseUrl,
      apiVersion: creds.apiVersion,
      tokens,
      budgets,
      budgetDraw: options.budgetDraw,
      logger: logger.child({ component: 'clio', tenant }),
    });
    const clients = {
      http,
      timeEntries: new ClioTimeEntries(http),
      clio: new ClioClient(http, { defaultCurrency: options.defaultCurrency }),
    };
    cache.set(tenant, clients);
    return clients;
  };
}

function refreshProvider(creds: ClioTenantCredentials): TokenProvider {
  if (!creds.refreshToken) {
    throw new ClioApiError(
      `Tenant ${creds.tenant} has no Clio refresh token configured`,
      undefined,
      'NotAuthorized',
      false,
    );
  }
  return createRefreshTokenProvider({ ...creds, refreshToken: creds.refreshToken });
}
