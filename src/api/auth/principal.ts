import { type Requester } from '../../domain/requester';

export const ROLES = ['attorney', 'paralegal', 'billing', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who is calling: every API key belongs to exactly one tenant and has one role, and may name the person it acts
 * for (a `Requester` of src/domain/requester.ts, as workflow inputs carry it).
 */
export interface Principal {
  tenant: string;
  role: Role;
  apiKeyId: string;
  name: string;
  /** The person the key acts for (lower-cased), when the key names one. */
  userId?: string;
}

/** What a workflow input or a signed state keeps of the caller: the key, its role and its person. */
export function requesterOf(principal: Principal): Requester {
  return {
    apiKeyId: principal.apiKeyId,
    role: principal.role,
    ...(principal.userId ? { userId: principal.userId } : {}),
  };
}

/** An API key → its principal, or undefined. A cached key may answer at once; a store lookup with a promise. */
export type ApiKeyResolver = (key: string) => Principal | undefined | Promise<Principal | undefined>;

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}
