import { type ClioTenantCredentials } from '../integrations/clio/client-factory';
import { type Config } from '.';

/**
 * Whose Clio credentials this deployment has. With a configured refresh token, only DEFAULT_TENANT's. In OAuth
 * mode every tenant uses the firm's one Clio app (client id and secret) with tokens of its own from the token
 * store: any tenant an admin connects through the consent page can be served, and one that has not connected
 * is answered "not connected" by the store.
 */
export function clioCredentialsFromConfig(
  config: Config,
): (tenant: string) => ClioTenantCredentials | undefined {
  const app = {
    baseUrl: config.CLIO_BASE_URL,
    apiVersion: config.CLIO_API_VERSION,
    clientId: config.CLIO_CLIENT_ID,
    clientSecret: config.CLIO_CLIENT_SECRET,
  };
  if (config.CLIO_AUTH_MODE === 'oauth') return (tenant) => ({ tenant, ...app });
  return (tenant) =>
    tenant === config.DEFAULT_TENANT
      ? { tenant, ...app, refreshToken: config.CLIO_REFRESH_TOKEN }
      : undefined;
}
