import { z } from 'zod';
import { type ClioUser, type Contact } from '../../../domain/clio/people';
import {
  bool,
  currency,
  CUSTOM_FIELD_VALUE_FIELDS,
  customFieldValues,
  decimal,
  id,
  str,
  toMoney,
  und,
} from './wire';

export const USER_FIELDS =
  'id,name,first_name,last_name,email,enabled,roles,subscription_type,rate,time_zone,account{name}';

export const userSchema = (defaultCurrency: string) =>
  z
    .looseObject({
      id,
      name: str,
      first_name: str,
      last_name: str,
      email: str,
      enabled: bool,
      roles: z.array(z.string()).nullish(),
      subscription_type: str,
      rate: decimal,
      time_zone: str,
      account: z.looseObject({ name: str }).nullish(),
    })
    .transform((u): ClioUser => ({
      id: u.id,
      name: u.name ?? [u.first_name, u.last_name].filter(Boolean).join(' '),
      firstName: und(u.first_name),
      lastName: und(u.last_name),
      email: und(u.email),
      enabled: und(u.enabled),
      roles: u.roles ?? [],
      subscriptionType: und(u.subscription_type),
      rate: toMoney(u.rate, defaultCurrency),
      timeZone: und(u.time_zone),
      accountName: und(u.account?.name),
    }));

export const CONTACT_FIELDS = `id,etag,type,name,first_name,last_name,primary_email_address,primary_phone_number,is_client,currency,created_at,updated_at,${CUSTOM_FIELD_VALUE_FIELDS}`;

export const contactSchema = z
  .looseObject({
    id,
    etag: str,
    type: z.enum(['Person', 'Company']),
    name: str,
    first_name: str,
    last_name: str,
    primary_email_address: str,
    primary_phone_number: str,
    is_client: bool,
    currency,
    created_at: str,
    updated_at: str,
    custom_field_values: customFieldValues,
  })
  .transform((c): Contact => ({
    id: c.id,
    etag: und(c.etag),
    type: c.type,
    name: c.name ?? [c.first_name, c.last_name].filter(Boolean).join(' '),
    firstName: und(c.first_name),
    lastName: und(c.last_name),
    primaryEmail: und(c.primary_email_address),
    primaryPhone: und(c.primary_phone_number),
    isClient: und(c.is_client),
    currency: c.currency,
    customFieldValues: c.custom_field_values,
    createdAt: und(c.created_at),
    updatedAt: und(c.updated_at),
  }));
