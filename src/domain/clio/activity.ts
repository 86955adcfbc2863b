import { type Money } from './money';

export type ActivityType = 'TimeEntry' | 'ExpenseEntry' | 'HardCostEntry' | 'SoftCostEntry';

/** A Clio activity; for a time entry the duration is in seconds (API 4.0.4 and later). */
export interface Activity {
  id: string;
  etag?: string;
  /** An ActivityType; kept as a string so a new Clio type does not break reads. */
  type: string;
  date: string;
  /** Seconds for time entries; the quantity as sent for expenses. */
  durationSeconds?: number;
  roundedDurationSeconds?: number;
  /** Hourly rate of a time entry, the unit price of an expense. */
  rate?: Money;
  total?: Money;
  note?: string;
  matterId?: string;
  userId?: string;
  billId?: string;
  activityDescriptionId?: string;
  /** The activity description's name; for UTBMS work its codes, e.g. "L210 A103 Draft/revise". */
  activityDescriptionName?: string;
  billed: boolean;
  onBill: boolean;
  nonBillable: boolean;
  createdAt?: string;
  updatedAt?: string;
}

export type TimeEntry = Activity & { type: 'TimeEntry' };

export function isTimeEntry(a: Activity): a is TimeEntry {
  return a.type === 'TimeEntry';
}
