import { type Knex } from 'knex';
import { createClioClientFactory } from '../integrations/clio/client-factory';
import { ClioOAuthClient } from '../integrations/clio/oauth/oauth-client';
import { storedTokenProviders } from '../integrations/clio/oauth/stored-token-provider';
import { TokenCipher } from '../integrations/clio/oauth/token-cipher';
import { ClioTokenStore } from '../integrations/clio/oauth/token-store';
import { type AcquireOptions } from '../integrations/clio/rate-budget';
import { type RateBudgetRegistry } from '../integrations/clio/rate-budget-registry';
import { type Logger } from '../logging/logger';
import { clioCredentialsFromConfig } from './clio-tenants';
import { type Config } from '.';

export function clioTokenStore(config: Config, knex: Knex): ClioTokenStore {
  return new ClioTokenStore(knex, TokenCipher.fromBase64(config.DATA_ENCRYPTION_KEY));
}

export function clioOAuthClient(config: Config): ClioOAuthClient {
  return new ClioOAuthClient({
    baseUrl: config.CLIO_BASE_URL,
    clientId: config.CLIO_CLIENT_ID,
    clientSecret: config.CLIO_CLIENT_SECRET,
  });
}

/**
 * The per-tenant Clio clients of a process. In OAuth mode tokens come from the sealed token store; otherwise
 * from the configured refresh token. Pass one budget registry to every factory of a process, so one token has
 * one rate budget however many parts (API, worker) use it.
 */
export function clioClientsFromConfig(
  config: Config,
  opts: { knex: Knex; logger: Logger; budgets?: RateBudgetRegistry; budgetDraw?: AcquireOptions },
) {
  return createClioClientFactory(clioCredentialsFromConfig(config), opts.logger, {
    budgets: opts.budgets,
    budgetDraw: opts.budgetDraw,
    tokenProvider:
      config.CLIO_AUTH_MODE === 'oauth' ? storedTokenProviders(clioTokenStore(config, opts.knex)) : undefined,
  });
}
