import { z } from 'zod';
import { type Matter } from '../../../domain/clio/matter';
import {
  bool,
  currency,
  CUSTOM_FIELD_VALUE_FIELDS,
  customFieldValues,
  id,
  link,
  linkId,
  num,
  str,
  und,
} from './wire';

export const MATTER_FIELDS = [
  'id,etag,number,display_number,description,status,billable,billing_method',
  'open_date,close_date,pending_date,currency,created_at,updated_at',
  'client{id,name},practice_area{id,name},responsible_attorney{id},originating_attorney{id}',
  CUSTOM_FIELD_VALUE_FIELDS,
].join(',');

export const matterSchema = z
  .looseObject({
    id,
    etag: str,
    number: num,
    display_number: z.string(),
    description: str,
    status: z
      .string()
      .transform((s) => s.toLowerCase())
      .pipe(z.enum(['open', 'pending', 'closed'])),
    billable: bool,
    billing_method: str,
    open_date: str,
    close_date: str,
    pending_date: str,
    currency,
    created_at: str,
    updated_at: str,
    client: link,
    practice_area: link,
    responsible_attorney: link,
    originating_attorney: link,
    custom_field_values: customFieldValues,
  })
  .transform((m): Matter => ({
    id: m.id,
    etag: und(m.etag),
    number: und(m.number),
    displayNumber: m.display_number,
    description: m.description ?? '',
    status: m.status,
    clientId: linkId(m.client),
    clientName: und(m.client?.name),
    practiceAreaId: linkId(m.practice_area),
    practiceAreaName: und(m.practice_area?.name),
    responsibleAttorneyId: linkId(m.responsible_attorney),
    originatingAttorneyId: linkId(m.originating_attorney),
    billable: und(m.billable),
    billingMethod: und(m.billing_method),
    openDate: und(m.open_date),
    closeDate: und(m.close_date),
    pendingDate: und(m.pending_date),
    currency: m.currency,
    customFieldValues: m.custom_field_values,
    createdAt: und(m.created_at),
    updatedAt: und(m.updated_at),
  }));
