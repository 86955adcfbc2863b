import { type Logger } from 'pino';
import { ClioApiError } from './errors';
import { ClioHttpClient } from './http-client';
import { ClioTimeEntries } from './time-entries';
import { createRefreshTokenProvider } from './token-provider';

export interface ClioTenantCredentials {
  tenant: string;
  baseUrl: string;
  apiVersion: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

export interface ClioClients {
  http: ClioHttpClient;
  timeEntries: ClioTimeEntries;
}

/**
 * One set of Clio clients per tenant, built on first use and shared by every activity of the process, so
 * they share one token (and, later, one rate budget).
 */
export function createClioClientFactory(tenants: ClioTenantCredentials[], logger: Logger) {
  const cache = new Map<string, ClioClients>();
  return (tenant: string): ClioClients => {
    const cached = cache.get(tenant);
    if (cached) return cached;
    const creds = tenants.find((t) => t.tenant === tenant);
    if (!creds) throw new ClioApiError(`No Clio credentials are configured for tenant ${tenant}`, undefined, 'UnknownTenant', false);
    const tokens = createRefreshTokenProvider(creds);
    const http = new ClioHttpClient({
      baseUrl: creds.baseUrl,
      apiVersion: creds.apiVersion,
      tokens,
      logger: logger.child({ component: 'clio', tenant }),
    });
    const clients = { http, timeEntries: new ClioTimeEntries(http) };
    cache.set(tenant, clients);
    return clients;
  };
}
