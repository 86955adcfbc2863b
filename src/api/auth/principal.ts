export const ROLES = ['attorney', 'paralegal', 'billing', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: every API key belongs to exactly one tenant and has one role. */
export interface Principal {
  tenant: string;
  role: Role;
  apiKeyId: string;
  name: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}
