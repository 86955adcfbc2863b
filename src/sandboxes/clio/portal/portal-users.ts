/**
 * Who may sign in to the sandbox portal and how they prove it. The users themselves are the seeded
 * firm's (`users` collection, found by email); only their credentials live here, because the API v4
 * user record has no password or MFA fields.
 */
export const PORTAL_PASSWORD = 'sandbox-password';

/** The TOTP secret the service's config defaults to (CLIO_PORTAL_TOTP_SECRET); they must match. */
export const ADMIN_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

export type MfaMethod = { kind: 'totp'; secret: string } | { kind: 'sms' };

export interface PortalCredential {
  email: string;
  password: string;
  mfa: MfaMethod;
}

export const PORTAL_CREDENTIALS: readonly PortalCredential[] = [
  {
    email: 'admin@sandbox.test',
    password: PORTAL_PASSWORD,
    mfa: { kind: 'totp', secret: ADMIN_TOTP_SECRET },
  },
  { email: 'clerk@sandbox.test', password: PORTAL_PASSWORD, mfa: { kind: 'sms' } },
];

export const credentialFor = (email: string): PortalCredential | undefined =>
  PORTAL_CREDENTIALS.find((c) => c.email === email.trim().toLowerCase());
