import { quantityInHours, type ApiVersion } from '../http/api-version';
import type { RenderContext } from '../http/render';
import { withDisplayedBlanks } from './custom-field-values';
import { accountBalances } from '../logic/account-balances';
import { customRateInUnits } from './matter-custom-rate';
import { relationshipsOf } from './relationships-query';
import type { Doc, RecordStore } from '../state/record-store';

/**
 * How each stored collection maps to the API: its schema in Clio's OpenAPI document, which link
 * fields point at records of another collection (rendered from that record when fields are asked
 * for), and which fields hold money (stored in cents, answered as Clio's decimal numbers).
 */
export interface ResourceMeta {
  collection: string;
  schema: string;
  links: Record<string, string>;
  money: string[];
  /** Version-dependent output adjustments (activity quantities in hours before 4.0.4). */
  adjust?: (out: Record<string, unknown>, version: ApiVersion) => void;
  /** Reshaping before rendering, per request (e.g. `custom_field_ids[]` narrowing custom field values). */
  shape?: (doc: Doc, ctx: RenderContext) => Doc;
  /** Fields computed on read from other records (cents where money), e.g. account_balances. */
  virtual?: Record<string, (store: RecordStore, doc: Doc) => unknown>;
}

/**
 * custom_field_values as Clio lists them on a matter or contact: stored values plus the null-id
 * entries of displayed fields, all narrowed by `custom_field_ids[]` when the request gives it.
 */
const listedCustomFields =
  (parentType: 'Matter' | 'Contact') =>
  (doc: Doc, ctx: RenderContext): Doc => {
    let values = withDisplayedBlanks(ctx, parentType, (doc.custom_field_values as Doc[] | undefined) ?? []);
    const raw = ctx.query?.['custom_field_ids[]'];
    if (raw !== undefined) {
      const ids = new Set((Array.isArray(raw) ? raw : [raw]).map(Number));
      values = values.filter((v) => ids.has((v.custom_field as { id: number }).id));
    }
    return { ...doc, custom_field_values: values };
  };

/** A transfer's authorizer as the schema has it: the user's name. */
function authorizerName(store: RecordStore, ref: unknown): string | undefined {
  const id = (ref as { id?: number } | undefined)?.id;
  return typeof id === 'number'
    ? (store.get('users', id)?.name as string | undefined)
    : typeof ref === 'string'
      ? ref
      : undefined;
}

/** account_balances items carry money in `balance`. */
const balancesInUnits = (items: Doc[]): Doc[] =>
  items.map((b) => ({ ...b, balance: Number(b.balance) / 100 }));

const hoursBefore404 = (out: Record<string, unknown>, version: ApiVersion): void => {
  if (!quantityInHours(version)) return;
  for (const f of ['quantity', 'rounded_quantity'])
    if (typeof out[f] === 'number') out[f] = Math.round((out[f] / 3600) * 100) / 100;
};

const M = (
  collection: string,
  schema: string,
  links: Record<string, string> = {},
  money: string[] = [],
  adjust?: ResourceMeta['adjust'],
): ResourceMeta => ({
  collection,
  schema,
  links,
  money,
  adjust,
});

const CORE_LINKS = { matter: 'matters', user: 'users', client: 'contacts', contact: 'contacts' };

export const RESOURCES: ResourceMeta[] = [
  M('users', 'User', {}, ['rate']),
  {
    ...M('contacts', 'Contact', { company: 'contacts' }),
    shape: listedCustomFields('Contact'),
    virtual: { account_balances: (store, doc) => balancesInUnits(accountBalances(store, 'client', doc.id)) },
  },
  {
    ...M('matters', 'Matter', {
      client: 'contacts',
      practice_area: 'practice_areas',
      responsible_attorney: 'users',
      originating_attorney: 'users',
      user: 'users',
    }),
    adjust: customRateInUnits,
    shape: listedCustomFields('Matter'),
    virtual: {
      account_balances: (store, doc) => balancesInUnits(accountBalances(store, 'matter', doc.id)),
      relationships: (store, doc) => relationshipsOf(store, doc.id),
    },
  },
  M('practice_areas', 'PracticeArea'),
  M('custom_fields', 'CustomField'),
  M(
    'activities',
    'Activity',
    {
      matter: 'matters',
      user: 'users',
      activity_description: 'activity_descriptions',
      bill: 'bills',
      vendor: 'contacts',
      task: 'tasks',
      calendar_entry: 'calendar_entries',
      communication: 'communications',
      expense_category: 'expense_categories',
    },
    ['price', 'total', 'non_billable_total'],
    hoursBefore404,
  ),
  // A description's own rate amount is money (cents stored).
  M('activity_descriptions', 'ActivityDescription', {}, [], (out) => {
    const rate = out.rate as { amount?: number } | undefined;
    if (typeof rate?.amount === 'number') out.rate = { ...rate, amount: rate.amount / 100 };
  }),
  M('utbms_codes', 'UtbmsCode'),
  M('utbms_sets', 'UtbmsSet'),
  M('bills', 'Bill', { client: 'contacts', user: 'users', matters: 'matters' }, [
    'total',
    'balance',
    'paid',
    'pending',
    'due',
    'credits_issued',
    'sub_total',
    'tax_sum',
    'total_tax',
    'secondary_tax_sum',
    'discount_services_amount',
    'services_sub_total',
    'services_secondary_tax',
    'services_tax',
    'services_total',
    'expenses_sub_total',
    'expenses_tax',
    'expenses_secondary_tax',
    'expenses_total',
  ]),
  M('line_items', 'LineItem', { bill: 'bills', matter: 'matters', activity: 'activities', user: 'users' }, [
    'price',
    'total',
    'sub_total',
    'tax',
    'secondary_tax',
  ]),
  M('bank_accounts', 'BankAccount', {}, ['balance']),
  M('bank_transactions', 'BankTransaction', { ...CORE_LINKS, bank_account: 'bank_accounts', bill: 'bills' }, [
    'amount',
    'funds_in',
    'funds_out',
    'current_account_balance',
  ]),
  M('trust_line_items', 'TrustLineItem', { bill: 'bills', matter: 'matters', client: 'contacts' }, ['total']),
  M('calendars', 'Calendar'),
  // Clio types calendar entry ids as strings.
  {
    ...M(
      'calendar_entries',
      'CalendarEntry',
      { matter: 'matters', calendar_owner: 'calendars', calendars: 'calendars' },
      [],
      (out) => {
        if (typeof out.id === 'number') out.id = String(out.id);
      },
    ),
    virtual: {
      time_entries_count: (store, doc) => store.countWhere('activities', '$.calendar_entry.id', doc.id),
    },
  },
  M('reminders', 'Reminder'),
  // Written by the portal (trust payments and transfers); read-only in API v4.
  M(
    'allocations',
    'Allocation',
    {
      bill: 'bills',
      matter: 'matters',
      contact: 'contacts',
      source_bank_account: 'bank_accounts',
      destination_bank_account: 'bank_accounts',
    },
    ['amount'],
  ),
  {
    ...M(
      'bank_transfers',
      'BankTransfer',
      {
        source_account: 'bank_accounts',
        destination_account: 'bank_accounts',
        matter: 'matters',
        client: 'contacts',
      },
      ['amount'],
      (out) => {
        // The schema types the transfer date as a timestamp.
        if (typeof out.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(out.date))
          out.date = `${out.date}T00:00:00Z`;
      },
    ),
    virtual: {
      // Stored under the portal's names; answered under the schema's (authorizers are user names).
      source_account: (_store, doc) => doc.source_bank_account,
      destination_account: (_store, doc) => doc.destination_bank_account,
      matter: (_store, doc) => doc.from_matter ?? doc.matter,
      primary_authorizer: (store, doc) => authorizerName(store, doc.primary_authorizer),
      secondary_authorizer: (store, doc) => authorizerName(store, doc.secondary_authorizer),
    },
  },
  M('expense_categories', 'ExpenseCategory', {}, ['rate']),
  M('relationships', 'Relationship', { matter: 'matters', contact: 'contacts' }),
  {
    ...M('tasks', 'Task', { matter: 'matters', assigner: 'users' }),
    virtual: { time_entries_count: (store, doc) => store.countWhere('activities', '$.task.id', doc.id) },
  },
  M('documents', 'Document', {
    matter: 'matters',
    contact: 'contacts',
    creator: 'users',
    parent: 'folders',
    latest_document_version: 'document_versions',
  }),
  M('document_versions', 'DocumentVersion', { creator: 'users' }),
  M('folders', 'Folder', { matter: 'matters', contact: 'contacts', creator: 'users', parent: 'folders' }),
  M('notes', 'Note', { matter: 'matters', contact: 'contacts', author: 'users' }),
  M('communications', 'Communication', { matter: 'matters', user: 'users' }),
  M('webhooks', 'Webhook', { user: 'users' }),
  M('reports', 'Report', { user: 'users' }),
];

export const RESOURCE_BY_COLLECTION = new Map(RESOURCES.map((r) => [r.collection, r]));

export function metaFor(collection: string): ResourceMeta {
  return RESOURCE_BY_COLLECTION.get(collection) ?? M(collection, '');
}

/** A stored doc converted to API units (cents → decimal), every field kept: used by the dump. */
export function toApiUnits(meta: ResourceMeta, doc: Doc): Record<string, unknown> {
  const out: Record<string, unknown> = { ...doc };
  for (const f of meta.money) if (typeof out[f] === 'number') out[f] = out[f] / 100;
  return out;
}
