import type { Doc } from '../state/record-store';
import type { Prng } from './prng';
import type { SeedBuilder } from './seed-builder';
import { FIRST_NAMES, LAST_NAMES } from './name-lists';
import { UTBMS_CODES, UTBMS_SETS } from './utbms-codes';

export const SEED_STAMP = '2026-07-15T08:00:00.000Z';
export const USD = { id: 1, code: 'USD', sign: '$' } as const;

export interface FirmPeople {
  admin: Doc;
  attorneys: Doc[];
  timekeepers: Doc[];
}

interface UserSpec {
  first: string;
  last: string;
  email?: string;
  roles: string[];
  attorney: boolean;
  rateDollars: number;
  owner?: boolean;
}

export const PRACTICE_AREAS: readonly [name: string, code: string, category: string][] = [
  ['Litigation', 'LIT', 'civil_litigation'],
  ['Corporate', 'CORP', 'business_formation_and_compliance'],
  ['Real Estate', 'RE', 'real_estate'],
  ['Family', 'FAM', 'family'],
  ['Estate Planning', 'EST', 'wills_and_estates'],
  ['Employment', 'EMP', 'employment_and_labor'],
  ['Intellectual Property', 'IP', 'intellectual_property'],
  ['Criminal Defense', 'CRIM', 'criminal'],
];

function userSpecs(rng: Prng): UserSpec[] {
  const specs: UserSpec[] = [
    {
      first: 'Avery',
      last: 'Stone',
      email: 'admin@sandbox.test',
      roles: ['admin', 'billing', 'accounts', 'reports'],
      attorney: true,
      rateDollars: 650,
      owner: true,
    },
    {
      first: 'Casey',
      last: 'Clerk',
      email: 'clerk@sandbox.test',
      roles: [],
      attorney: false,
      rateDollars: 95,
    },
  ];
  const person = (): { first: string; last: string } => ({
    first: rng.pick(FIRST_NAMES),
    last: rng.pick(LAST_NAMES),
  });
  for (let i = 0; i < 11; i++)
    specs.push({
      ...person(),
      roles: i < 4 ? ['reports'] : [],
      attorney: true,
      rateDollars: rng.int(25, 60) * 10,
    });
  for (let i = 0; i < 6; i++)
    specs.push({ ...person(), roles: [], attorney: false, rateDollars: rng.int(12, 18) * 10 });
  for (let i = 0; i < 3; i++)
    specs.push({ ...person(), roles: ['billing', 'accounts'], attorney: false, rateDollars: 0 });
  for (let i = 0; i < 3; i++)
    specs.push({ ...person(), roles: i === 0 ? ['admin'] : [], attorney: false, rateDollars: 0 });
  return specs;
}

export function seedUsers(b: SeedBuilder, rng: Prng): FirmPeople {
  const users = userSpecs(rng).map((s, i) => {
    const email = s.email ?? `${s.first}.${s.last}${i}@sandbox.test`.toLowerCase();
    return b.add(
      'users',
      {
        name: `${s.first} ${s.last}`,
        first_name: s.first,
        last_name: s.last,
        initials: `${s.first[0]}${s.last[0]}`,
        email,
        enabled: true,
        roles: s.roles,
        subscription_type: s.attorney ? 'Attorney' : 'NonAttorney',
        rate: s.rateDollars * 100,
        time_zone: 'America/Chicago',
        phone_number: `312-555-${String(1000 + i)}`,
        account_owner: s.owner === true,
        clio_connect: false,
        court_rules_default_attendee: false,
        account: { id: 1, name: 'Sandbox Law LLP' },
      },
      SEED_STAMP,
    );
  });
  const attorneys = users.filter((u) => u.subscription_type === 'Attorney');
  const timekeepers = users.filter((u) => Number(u.rate) > 0);
  return { admin: users[0] as Doc, attorneys, timekeepers };
}

export function seedPracticeAreas(b: SeedBuilder): Doc[] {
  return PRACTICE_AREAS.map(([name, code, category]) =>
    b.add('practice_areas', { name, code, category }, SEED_STAMP),
  );
}

/** UTBMS sets and codes, then one UTBMS activity description per activity code (what Clio offers). */
export function seedUtbms(b: SeedBuilder): { activityDescriptions: Doc[]; taskCodes: Doc[] } {
  const sets = new Map(
    UTBMS_SETS.map((s) => [s.key, b.add('utbms_sets', { name: s.name, enabled: true }, SEED_STAMP)]),
  );
  const codes = UTBMS_CODES.map(([code, name, type, set]) =>
    b.add(
      'utbms_codes',
      { code, name, description: name, type, utbms_set_id: sets.get(set as never)?.id },
      SEED_STAMP,
    ),
  );
  const activityDescriptions = codes
    .filter((c) => c.type === 'UtbmsActivity')
    .map((c) =>
      b.add(
        'activity_descriptions',
        {
          name: `${String(c.code)} ${String(c.name)}`,
          type: 'utbms',
          default: false,
          visible_to_co_counsel: true,
          accessible_to_user: true,
          category_type: 'hourly',
          utbms_activity_id: c.id,
          currency: USD,
          rate: { type: 'User' },
        },
        SEED_STAMP,
      ),
    );
  for (const name of ['Legal research', 'Court appearance', 'Client meeting']) {
    b.add(
      'activity_descriptions',
      {
        name,
        type: 'clio',
        default: false,
        visible_to_co_counsel: true,
        accessible_to_user: true,
        category_type: 'hourly',
        currency: USD,
        rate: { type: 'User' },
      },
      SEED_STAMP,
    );
  }
  return { activityDescriptions, taskCodes: codes.filter((c) => c.type === 'UtbmsTask') };
}

export function seedCustomFields(b: SeedBuilder): void {
  const defs: [string, string, string, boolean][] = [
    ['Conflict Check Performed', 'Matter', 'checkbox', false],
    ['iManage Workspace ID', 'Matter', 'text_line', false],
    ['Court', 'Matter', 'text_line', false],
    ['Matter Budget Code', 'Matter', 'picklist', false],
    ['Referral Source', 'Contact', 'text_line', false],
  ];
  defs.forEach(([name, parent_type, field_type, required], i) => {
    const picklist_options =
      field_type === 'picklist'
        ? ['Fixed', 'Capped', 'Open'].map((option) => ({ id: b.id('picklist_options'), option }))
        : [];
    b.add(
      'custom_fields',
      {
        name,
        parent_type,
        field_type,
        required,
        displayed: true,
        deleted: false,
        display_order: i,
        picklist_options,
      },
      SEED_STAMP,
    );
  });
}

export function seedBankAccounts(b: SeedBuilder, holder: string): { operating: Doc; trust: Doc } {
  const common = {
    currency: 'USD',
    currency_symbol: '$',
    currency_id: 1,
    holder,
    institution: 'First Sandbox Bank',
    controlled_account: false,
    clio_payments_enabled: false,
    swift: 'SNDBUS44',
    domicile_branch: 'Chicago',
  };
  const operating = b.add(
    'bank_accounts',
    {
      ...common,
      name: 'Operating Account',
      type: 'Operating',
      account_number: '000111222',
      default_account: true,
      balance: 0,
      bank_transactions_count: 0,
      general_ledger_number: '1000',
      transit_number: '071000013',
    },
    SEED_STAMP,
  );
  const trust = b.add(
    'bank_accounts',
    {
      ...common,
      name: 'IOLTA Trust Account',
      type: 'Trust',
      account_number: '000333444',
      default_account: false,
      balance: 0,
      bank_transactions_count: 0,
      general_ledger_number: '1100',
      transit_number: '071000013',
    },
    SEED_STAMP,
  );
  return { operating, trust };
}

/** A firm calendar and one calendar per user (its default_calendar_id), as a Clio account has. */
export function seedCalendars(b: SeedBuilder, users: Doc[]): void {
  const common = {
    light_color: '#5DA5C7',
    permission: 'owner',
    visible: true,
    source: 'web',
    court_rules_default_calendar: false,
  };
  b.add(
    'calendars',
    {
      ...common,
      name: 'Firm Calendar',
      color: '#367B9C',
      type: 'AccountCalendar',
      court_rules_default_calendar: true,
    },
    SEED_STAMP,
  );
  for (const user of users) {
    const cal = b.add(
      'calendars',
      {
        ...common,
        name: String(user.name),
        color: '#83D17F',
        light_color: '#209412',
        type: 'UserCalendar',
        creator: { id: user.id },
      },
      SEED_STAMP,
    );
    user.default_calendar_id = cal.id;
  }
}
