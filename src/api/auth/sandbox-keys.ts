import { type Principal } from './principal';

/** The contract's fixed keys of tenant `sandbox`. Accepted only outside production. */
export const SANDBOX_KEYS: Readonly<Record<string, Principal>> = Object.freeze({
  'sandbox-admin': { tenant: 'sandbox', role: 'admin', apiKeyId: 'sandbox-admin', name: 'Sandbox admin' },
  'sandbox-attorney': {
    tenant: 'sandbox',
    role: 'attorney',
    apiKeyId: 'sandbox-attorney',
    name: 'Sandbox attorney',
  },
  'sandbox-paralegal': {
    tenant: 'sandbox',
    role: 'paralegal',
    apiKeyId: 'sandbox-paralegal',
    name: 'Sandbox paralegal',
  },
  'sandbox-billing': {
    tenant: 'sandbox',
    role: 'billing',
    apiKeyId: 'sandbox-billing',
    name: 'Sandbox billing',
  },
});
