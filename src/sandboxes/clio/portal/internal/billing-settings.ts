import { z } from 'zod';
import type { SandboxState } from '../../state/sandbox-state';

const KEY = 'portal_billing_settings';

/**
 * Firm billing preferences the portal's Settings → Billing page holds: whether bills need approval
 * and the firm's two tax rates (percent). Kept under their own meta key, over the seeded firm
 * settings, so the sandbox's cached firm settings stay untouched.
 */
export const BillingSettingsSchema = z
  .object({
    requireBillApproval: z.boolean(),
    taxRate: z.number().min(0).max(100),
    secondaryTaxRate: z.number().min(0).max(100),
  })
  .strict();

export type BillingSettings = z.infer<typeof BillingSettingsSchema>;

export function billingSettings(state: SandboxState): BillingSettings {
  const firm = state.settings() as {
    require_bill_approval?: boolean;
    tax_rate?: number;
    secondary_tax_rate?: number;
  };
  const base: BillingSettings = {
    requireBillApproval: firm.require_bill_approval === true,
    taxRate: firm.tax_rate ?? 0,
    secondaryTaxRate: firm.secondary_tax_rate ?? 0,
  };
  const raw = state.store.getMeta(KEY);
  return raw ? { ...base, ...(JSON.parse(raw) as Partial<BillingSettings>) } : base;
}

export function updateBillingSettings(state: SandboxState, patch: Partial<BillingSettings>): BillingSettings {
  const next = { ...billingSettings(state), ...patch };
  state.store.setMeta(KEY, JSON.stringify(next));
  return next;
}

export function clearBillingSettings(state: SandboxState): void {
  state.db.prepare('DELETE FROM meta WHERE key = ?').run(KEY);
}
