/** The Clio integration's public surface (Temporal-free). */
export { ClioClient, type ClioClientOptions } from './clio-client';
export { createClioClientFactory, type ClioClients, type ClioTenantCredentials } from './client-factory';
export { ClioApiError } from './errors';
export { ClioHttpClient, type Query, type RequestOptions } from './http-client';
export { ClioOAuthClient, type ClioTokenSet } from './oauth/oauth-client';
export {
  createOAuthState,
  InvalidOAuthStateError,
  stateKeyFrom,
  verifyOAuthState,
} from './oauth/oauth-state';
export {
  completeAuthorization,
  createStoredTokenProvider,
  storedTokenProviders,
} from './oauth/stored-token-provider';
export { TokenCipher } from './oauth/token-cipher';
export { ClioTokenStore } from './oauth/token-store';
export { RateBudget, type RateBudgetOptions } from './rate-budget';
export { RateBudgetRegistry } from './rate-budget-registry';
export { CLIO_REGIONS, clioBaseUrl, type ClioRegion } from './regions';
export { ClioResource, type ListPageOptions, type Page, type WriteOptions } from './resource';
export { ClioTimeEntries, type NewTimeEntry } from './time-entries';
export { createRefreshTokenProvider, type TokenProvider } from './token-provider';
