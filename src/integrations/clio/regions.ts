/**
 * Clio keeps apps, tokens and data in one region; a token from one region is refused in another, and the
 * OAuth endpoints live on the same regional host as the API.
 */
export const CLIO_REGIONS = {
  us: 'https://app.clio.com',
  eu: 'https://eu.app.clio.com',
  ca: 'https://ca.app.clio.com',
  au: 'https://au.app.clio.com',
} as const;

export type ClioRegion = keyof typeof CLIO_REGIONS;

/** A region name or an explicit host (the sandbox, a proxy) → the base URL the clients use. */
export function clioBaseUrl(regionOrUrl: string): string {
  if (regionOrUrl in CLIO_REGIONS) return CLIO_REGIONS[regionOrUrl as ClioRegion];
  return new URL(regionOrUrl).origin;
}
