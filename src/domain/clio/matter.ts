import { type CustomFieldValue } from './custom-field-value';

/** Lower case in the service (Clio answers `Open`, filters and writes with `open`). */
export type MatterStatus = 'open' | 'pending' | 'closed';

export interface Matter {
  id: string;
  etag?: string;
  number?: number;
  displayNumber: string;
  description: string;
  status: MatterStatus;
  clientId?: string;
  clientName?: string;
  practiceAreaId?: string;
  practiceAreaName?: string;
  responsibleAttorneyId?: string;
  originatingAttorneyId?: string;
  billable?: boolean;
  billingMethod?: string;
  openDate?: string;
  closeDate?: string;
  pendingDate?: string;
  currency?: string;
  customFieldValues: CustomFieldValue[];
  createdAt?: string;
  updatedAt?: string;
}
