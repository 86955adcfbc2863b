import { type Money } from './money';
import { type CustomFieldValue } from './custom-field-value';

/** A Clio user (attorney, paralegal, staff); `rate` is the default hourly rate. */
export interface ClioUser {
  id: string;
  name: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  enabled?: boolean;
  roles: string[];
  subscriptionType?: string;
  rate?: Money;
  timeZone?: string;
  /** The firm's name (`account{name}`), present on who_am_i. */
  accountName?: string;
}

export interface Contact {
  id: string;
  etag?: string;
  type: 'Person' | 'Company';
  name: string;
  firstName?: string;
  lastName?: string;
  primaryEmail?: string;
  primaryPhone?: string;
  isClient?: boolean;
  currency?: string;
  customFieldValues: CustomFieldValue[];
  createdAt?: string;
  updatedAt?: string;
}
