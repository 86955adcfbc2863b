import { generateMatterBill } from '../portal/internal/bill-generation';
import type { FirmSettings } from '../seed/generate-seed';
import type { Doc, RecordStore } from '../state/record-store';

export interface GenerateBillInput {
  matterId: number;
  /** Billing period; activities dated inside it (inclusive) are billed. Omit for all unbilled work. */
  startAt?: string;
  endAt?: string;
  issuedAt: string;
  dueAt: string;
  userId: number;
}

/**
 * A draft MatterBill from a matter's unbilled, billable activities, generated exactly as the portal's
 * "generate bills" does (the firm's rounding, no taxes). Returns undefined when there is nothing to bill.
 * Call inside a transaction: the bill, its line items and the activities change together.
 */
export function generateDraftBill(store: RecordStore, input: GenerateBillInput): Doc | undefined {
  const settings = JSON.parse(store.getMeta('settings') ?? '{}') as Partial<FirmSettings>;
  const outcome = generateMatterBill(store, input.matterId, {
    startAt: input.startAt,
    endAt: input.endAt,
    issuedAt: input.issuedAt,
    dueAt: input.dueAt,
    userId: input.userId,
    roundingMinutes: settings.time_rounding_minutes ?? 6,
    taxRate: 0,
    secondaryTaxRate: 0,
  });
  if ('billId' in outcome) return store.get('bills', outcome.billId);
  if (outcome.skipped === 'matter_not_found') throw new Error(`matter ${input.matterId} not found`);
  return undefined;
}
