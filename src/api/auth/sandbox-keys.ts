import { type Principal } from './principal';

const sandboxKey = (role: Principal['role'], name: string): Principal => ({
  tenant: 'sandbox',
  role,
  apiKeyId: `sandbox-${role}`,
  name,
  // Four people of the sandbox firm, one per key: one key's request can be approved with another.
  userId: `${role}@sandbox.test`,
});

/** The contract's fixed keys of tenant `sandbox`. Accepted only outside production. */
export const SANDBOX_KEYS: Readonly<Record<string, Principal>> = Object.freeze({
  'sandbox-admin': sandboxKey('admin', 'Sandbox admin'),
  'sandbox-attorney': sandboxKey('attorney', 'Sandbox attorney'),
  'sandbox-paralegal': sandboxKey('paralegal', 'Sandbox paralegal'),
  'sandbox-billing': sandboxKey('billing', 'Sandbox billing'),
});
