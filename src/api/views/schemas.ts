import { z } from 'zod';
import type { Activity, Bill, Contact, CustomFieldValue, Matter, Money } from '../../domain/clio';

/**
 * The API's normalized records, as zod schemas typed against the domain types the Clio client returns
 * (`z.ZodType<Matter>` fails to compile when the two drift). They feed the OpenAPI document.
 */
const MoneySchema: z.ZodType<Money> = z
  .object({
    amountCents: z
      .number()
      .int()
      .meta({
        description:
          'The amount in integer minor units of the currency (ISO 4217): cents for USD (12345 is $123.45), ' +
          'whole yen for JPY (1000 is ¥1000), fils for KWD (1235 is 1.235 KWD)',
      }),
    currency: z.string().meta({ description: 'ISO 4217 currency code, upper case' }),
  })
  .meta({
    id: 'Money',
    description: 'Money as integer minor units of its currency, rounded once, half away from zero',
  });

const CustomFieldValueSchema: z.ZodType<CustomFieldValue> = z.object({
  id: z.string().nullable(),
  customFieldId: z.string().optional(),
  name: z.string().optional(),
  fieldType: z.string().optional(),
  value: z.string().nullable(),
});

export const MatterSchema: z.ZodType<Matter> = z
  .object({
    id: z.string(),
    etag: z.string().optional(),
    number: z.number().optional(),
    displayNumber: z.string(),
    description: z.string(),
    status: z.enum(['open', 'pending', 'closed']),
    clientId: z.string().optional(),
    clientName: z.string().optional(),
    practiceAreaId: z.string().optional(),
    practiceAreaName: z.string().optional(),
    responsibleAttorneyId: z.string().optional(),
    originatingAttorneyId: z.string().optional(),
    billable: z.boolean().optional(),
    billingMethod: z.string().optional(),
    openDate: z.string().optional(),
    closeDate: z.string().optional(),
    pendingDate: z.string().optional(),
    currency: z.string().optional(),
    customFieldValues: z.array(CustomFieldValueSchema),
    createdAt: z.string().optional(),
    updatedAt: z.string().optional(),
  })
  .meta({ id: 'Matter' });

export const ContactSchema: z.ZodType<Contact> = z
  .object({
    id: z.string(),
    etag: z.string().optional(),
    type: z.enum(['Person', 'Company']),
    name: z.string(),
    firstName: z.string().optional(),
    lastName: z.string().optional(),
    primaryEmail: z.string().optional(),
    primaryPhone: z.string().optional(),
    isClient: z.boolean().optional(),
    currency: z.string().optional(),
    customFieldValues: z.array(CustomFieldValueSchema),
    createdAt: z.string().optional(),
    updatedAt: z.string().optional(),
  })
  .meta({ id: 'Contact' });

export const TimeEntrySchema: z.ZodType<Activity> = z
  .object({
    id: z.string(),
    etag: z.string().optional(),
    type: z.string(),
    date: z.string(),
    durationSeconds: z.number().int().optional(),
    roundedDurationSeconds: z.number().int().optional(),
    rate: MoneySchema.optional(),
    total: MoneySchema.optional(),
    note: z.string().optional(),
    matterId: z.string().optional(),
    userId: z.string().optional(),
    billId: z.string().optional(),
    activityDescriptionId: z.string().optional(),
    activityDescriptionName: z.string().optional(),
    billed: z.boolean(),
    onBill: z.boolean(),
    nonBillable: z.boolean(),
    createdAt: z.string().optional(),
    updatedAt: z.string().optional(),
  })
  .meta({ id: 'TimeEntry' });

export const BillSchema: z.ZodType<Bill> = z
  .object({
    id: z.string(),
    etag: z.string().optional(),
    number: z.string().optional(),
    state: z.string(),
    kind: z.string().optional(),
    issuedAt: z.string().optional(),
    dueAt: z.string().optional(),
    clientId: z.string().optional(),
    matterIds: z.array(z.string()),
    subTotal: MoneySchema.optional(),
    total: MoneySchema.optional(),
    balance: MoneySchema.optional(),
    paid: MoneySchema.optional(),
    due: MoneySchema.optional(),
    availableStateTransitions: z.array(z.string()),
    createdAt: z.string().optional(),
    updatedAt: z.string().optional(),
  })
  .meta({ id: 'Bill' });

export function pageOf<S extends z.ZodType>(item: S, id: string) {
  return z.object({ data: z.array(item), nextCursor: z.string().nullable() }).meta({ id });
}

const clioId = z.string().regex(/^[1-9]\d{0,17}$/, 'must be a Clio id (digits)');
const paging = {
  limit: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(200, 'must be at most 200')
    .default(50),
  cursor: z.string().min(1, 'must not be empty').max(2000, 'is too long').optional(),
  updatedSince: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 date-time' }).optional(),
  query: z.string().min(1).max(200, 'must be at most 200 characters').optional(),
};

export const MatterListQuery = z
  .object({
    ...paging,
    status: z.enum(['open', 'pending', 'closed']).optional(),
    clientId: clioId.optional(),
  })
  .strict();
export const ContactListQuery = z
  .object({ ...paging, type: z.enum(['Person', 'Company']).optional() })
  .strict();
export const TimeEntryListQuery = z.object({ ...paging, matterId: clioId.optional() }).strict();
export const BillListQuery = z
  .object({
    ...paging,
    // Clio searches bills by invoice number only, and takes it as a 32-bit integer.
    query: z
      .string()
      // abort: one reason for one mistake (the range check means nothing for letters)
      .regex(/^\d{1,10}$/, {
        message: 'must be an invoice number (digits): Clio searches bills by number only',
        abort: true,
      })
      .refine((v) => Number(v) <= 2_147_483_647, 'must be at most 2147483647')
      .optional(),
    status: z.enum(['draft', 'awaiting_approval', 'awaiting_payment', 'paid', 'void']).optional(),
    clientId: clioId.optional(),
    matterId: clioId.optional(),
  })
  .strict();
export const IdParam = z.object({ id: clioId });
