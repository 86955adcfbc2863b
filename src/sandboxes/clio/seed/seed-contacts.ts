import type { Doc } from '../state/record-store';
import type { Prng } from './prng';
import type { SeedBuilder } from './seed-builder';
import {
  CITIES,
  COMPANY_KINDS,
  COMPANY_SUFFIXES,
  COMPANY_WORDS,
  FIRST_NAMES,
  LAST_NAMES,
  STREETS,
} from './name-lists';
import { SEED_STAMP, USD } from './seed-firm';

const PEOPLE = 340;
const COMPANIES = 160;

/** 500 contacts (340 people, 160 companies), each with an email address, a phone number and an address. */
export function seedContacts(b: SeedBuilder, rng: Prng): Doc[] {
  const out: Doc[] = [];
  const usedCompanies = new Set<string>();
  for (let i = 0; i < PEOPLE + COMPANIES; i++) {
    // Interleave so any slice of contacts mixes people and companies.
    const isCompany = i % 3 === 2 && out.filter((c) => c.type === 'Company').length < COMPANIES;
    const place = rng.pick(CITIES);
    const street = `${rng.int(1, 9999)} ${rng.pick(STREETS)}`;
    let fields: Record<string, unknown>;
    let emailUser: string;
    if (isCompany) {
      let name: string;
      do name = `${rng.pick(COMPANY_WORDS)} ${rng.pick(COMPANY_KINDS)} ${rng.pick(COMPANY_SUFFIXES)}`;
      while (usedCompanies.has(name));
      usedCompanies.add(name);
      emailUser = `info${i}@${name.split(' ')[0]?.toLowerCase()}.example`;
      fields = { type: 'Company', name, initials: name.slice(0, 1) };
    } else {
      const first = rng.pick(FIRST_NAMES);
      const last = rng.pick(LAST_NAMES);
      emailUser = `${first}.${last}${i}@mail.example`.toLowerCase();
      fields = {
        type: 'Person',
        name: `${first} ${last}`,
        first_name: first,
        last_name: last,
        initials: `${first[0]}${last[0]}`,
        prefix: rng.pick(['Mr.', 'Ms.', 'Dr.', 'Mx.']),
      };
    }
    const phone = `${rng.int(201, 989)}-555-${String(rng.int(0, 9999)).padStart(4, '0')}`;
    const sub = { created_at: SEED_STAMP, updated_at: SEED_STAMP };
    out.push(
      b.add(
        'contacts',
        {
          ...fields,
          primary_email_address: emailUser,
          primary_phone_number: phone,
          is_client: false,
          is_co_counsel: false,
          is_bill_recipient: true,
          has_clio_for_clients_permission: false,
          is_clio_for_client_user: false,
          locked_clio_connect_email: false,
          currency: USD,
          email_addresses: [
            {
              id: b.id('email_addresses'),
              etag: '"e0"',
              address: emailUser,
              name: 'Work',
              primary: true,
              ...sub,
            },
          ],
          phone_numbers: [
            { id: b.id('phone_numbers'), etag: '"p0"', number: phone, name: 'Work', primary: true, ...sub },
          ],
          addresses: [
            {
              id: b.id('addresses'),
              etag: '"a0"',
              street,
              city: place.city,
              province: place.province,
              postal_code: place.zip,
              country: 'US',
              name: isCompany ? 'Work' : 'Home',
              primary: true,
              ...sub,
            },
          ],
        },
        SEED_STAMP,
      ),
    );
  }
  return out;
}
