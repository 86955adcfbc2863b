import { type Money } from './money';

export type BillState = 'draft' | 'awaiting_approval' | 'awaiting_payment' | 'paid' | 'void' | 'deleted';

export interface Bill {
  id: string;
  etag?: string;
  number?: string;
  /** A BillState; kept as a string so a new Clio state does not break reads. */
  state: string;
  kind?: string;
  issuedAt?: string;
  dueAt?: string;
  clientId?: string;
  matterIds: string[];
  subTotal?: Money;
  total?: Money;
  balance?: Money;
  paid?: Money;
  due?: Money;
  availableStateTransitions: string[];
  createdAt?: string;
  updatedAt?: string;
}

export interface BankAccount {
  id: string;
  etag?: string;
  name: string;
  /** `Operating` or `Trust`. */
  type: string;
  currency: string;
  balance?: Money;
  defaultAccount?: boolean;
}

export interface BankTransaction {
  id: string;
  etag?: string;
  bankAccountId?: string;
  date?: string;
  /** Signed: money in is positive, money out negative. */
  amount: Money;
  description?: string;
  transactionType?: string;
  source?: string;
  clientId?: string;
  matterId?: string;
  billId?: string;
  createdAt?: string;
}
