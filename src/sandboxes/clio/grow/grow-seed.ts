import { FIRST_NAMES, LAST_NAMES } from '../seed/name-lists';
import { createPrng } from '../seed/prng';
import type { Doc } from '../state/record-store';
import type { SandboxState } from '../state/sandbox-state';
import {
  addToPipeline,
  insertLead,
  type GrowMatterStatus,
  type LeadFields,
  type LeadState,
} from './grow-records';

const LEADS = 50;
const MESSAGES = [
  'I was injured at work and my employer is refusing to pay. Can you help?',
  'We need help drafting a shareholder agreement for a new company.',
  'Looking for advice on a divorce and custody arrangement.',
  'My landlord is withholding my deposit and threatening eviction.',
  'I would like to update my will and set up a trust for my children.',
  'Our supplier breached a contract and we want to recover damages.',
  'I received a cease and desist letter about our trademark.',
  'I was charged with a DUI last weekend and have a court date soon.',
];
const SOURCES = ['Website contact form', 'Intake widget', 'Referral partner', 'Google Ads landing page'];

/**
 * The 50 seeded Grow leads. Every fifth lead is a person already in the Manage contacts (every other
 * one by the same email, the rest by name only), so conflict checks have real hits; leads 30–39 sit in the
 * pipeline (Hired, Intake, Did Not Hire) and 40–44 are ignored. Same seed, same leads.
 */
export function seedGrow(state: SandboxState): void {
  const { store } = state;
  if (store.count('inbox_leads') > 0 || store.count('grow_matters') > 0) return;
  const rng = createPrng(state.seed * 7919 + 50);
  const people = store.list('contacts', {
    where: [{ path: '$.type', op: '=', value: 'Person' }],
    limit: 300,
  });
  store.transaction(() => {
    for (let i = 0; i < LEADS; i++) {
      const stamp = `2026-10-${String(1 + (i % 28)).padStart(2, '0')}T${String(13 + (i % 8)).padStart(2, '0')}:15:00.000Z`;
      const fields = leadFields(i, people, rng);
      const state: LeadState = i >= 40 && i < 45 ? 'ignored' : 'untriaged';
      const lead = insertLead(store, fields, state, stamp);
      if (i >= 30 && i < 40) {
        const status: GrowMatterStatus = i < 35 ? 'Hired' : i < 38 ? 'Intake' : 'Did Not Hire';
        addToPipeline(store, lead, status, stamp);
      }
    }
  });
}

function leadFields(i: number, people: Doc[], rng: ReturnType<typeof createPrng>): LeadFields {
  const common = {
    from_message: MESSAGES[i % MESSAGES.length] as string,
    referring_url: i % 4 === 3 ? 'Phone call' : 'https://www.sandboxlaw.example/contact',
    from_source: SOURCES[i % SOURCES.length] as string,
  };
  const known = i % 5 === 0 ? people[(i * 37) % people.length] : undefined;
  if (known) {
    const sameEmail = (i / 5) % 2 === 1;
    return {
      ...common,
      from_first: String(known.first_name),
      from_last: String(known.last_name),
      from_email: sameEmail
        ? String(known.primary_email_address)
        : `${String(known.first_name).toLowerCase()}.${i}@inbox.example`,
      from_phone: String(known.primary_phone_number),
    };
  }
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  return {
    ...common,
    from_first: first,
    from_last: last,
    from_email: `${first}.${last}.lead${i}@inbox.example`.toLowerCase(),
    from_phone: `${rng.int(201, 989)}-555-${String(rng.int(0, 9999)).padStart(4, '0')}`,
  };
}
