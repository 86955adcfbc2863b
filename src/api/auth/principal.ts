export const ROLES = ['attorney', 'paralegal', 'billing', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: every API key belongs to exactly one tenant and has one role. */
export interface Principal {
  tenant: string;
  role: Role;
  apiKeyId: string;
  name: string;
}

/** An API key → its principal, or undefined. A cached key may answer at once; a store lookup with a promise. */
export type ApiKeyResolver = (key: string) => Principal | undefined | Promise<Principal | undefined>;

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}
