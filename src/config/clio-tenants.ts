import { type ClioTenantCredentials } from '../integrations/clio/client-factory';
import { type Config } from '.';

/** The tenants whose Clio credentials come from config (one today: DEFAULT_TENANT). */
export function clioTenantsFromConfig(config: Config): ClioTenantCredentials[] {
  return [
    {
      tenant: config.DEFAULT_TENANT,
      baseUrl: config.CLIO_BASE_URL,
      apiVersion: config.CLIO_API_VERSION,
      clientId: config.CLIO_CLIENT_ID,
      clientSecret: config.CLIO_CLIENT_SECRET,
      refreshToken: config.CLIO_REFRESH_TOKEN,
    },
  ];
}
