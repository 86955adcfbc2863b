import type { Doc } from '../state/record-store';
import { createPrng } from './prng';
import { SeedBuilder } from './seed-builder';
import { seedContacts } from './seed-contacts';
import {
  seedBankAccounts,
  seedCalendars,
  seedCustomFields,
  seedPracticeAreas,
  seedUsers,
  seedUtbms,
} from './seed-firm';
import { seedMatters } from './seed-matters';
import { seedTimeEntries } from './seed-time';
import { seedTrust } from './seed-trust';
import { seedBills } from './seed-bills';

export interface FirmSettings {
  firm_name: string;
  /** Time rounding increment in minutes (Clio's "time rounding"); 6 = tenths of an hour. */
  time_rounding_minutes: number;
  /** When true, approving a draft bill goes to awaiting_approval first. */
  require_bill_approval: boolean;
  /** The user the pre-issued sandbox token acts as. */
  token_user_id: number;
}

export interface SeedData {
  records: Record<string, Doc[]>;
  counters: Record<string, number>;
  settings: FirmSettings;
}

/** Builds the whole seeded firm from a seed number; pure, so its result can be reused for resets. */
export function generateSeed(seed: number): SeedData {
  const rng = createPrng(seed);
  const b = new SeedBuilder();
  const settings: FirmSettings = {
    firm_name: 'Sandbox Law LLP',
    time_rounding_minutes: 6,
    require_bill_approval: false,
    token_user_id: 0,
  };
  const people = seedUsers(b, rng);
  settings.token_user_id = people.admin.id;
  seedCalendars(b, b.data.users ?? []);
  const areas = seedPracticeAreas(b);
  const { activityDescriptions } = seedUtbms(b);
  seedCustomFields(b);
  const { operating, trust } = seedBankAccounts(b, settings.firm_name);
  const contacts = seedContacts(b, rng);
  const matters = seedMatters(b, rng, contacts, areas, people.attorneys);
  seedTimeEntries(b, rng, matters, people.timekeepers, activityDescriptions, settings.time_rounding_minutes);
  seedTrust(b, rng, matters, trust, operating);
  const { lastBillNumber } = seedBills(b, rng, matters, people.admin.id, settings.time_rounding_minutes);
  // Matter numbers continue after the seeded 1,000 ("00001-Smith" … "01000-…"), bill numbers after the seeded bills.
  return {
    records: b.finish(),
    counters: { ...b.counters, matter_numbers: matters.length, bill_numbers: lastBillNumber },
    settings,
  };
}
