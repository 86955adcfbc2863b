import type { Doc, RecordStore } from '../state/record-store';

/** Lead states: untriaged (in the inbox), ignored (dismissed), converted (now a Clio Manage matter). */
export const LEAD_STATES = ['untriaged', 'ignored', 'converted'] as const;
export type LeadState = (typeof LEAD_STATES)[number];

/** Grow pipeline categories (Intake, Hired, Did Not Hire) plus Converted once sent to Manage. */
export type GrowMatterStatus = 'Intake' | 'Hired' | 'Did Not Hire' | 'Converted';

export interface LeadFields {
  from_first: string;
  from_last: string;
  from_email?: string;
  from_phone?: string;
  from_message: string;
  referring_url: string;
  from_source: string;
}

const ULID_CHARS = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID-shaped global id (Grow contacts carry one), derived from the record id so it is stable. */
export function globalId(kind: number, id: number): string {
  let n = BigInt(id) * 1_000_003n + BigInt(kind);
  let out = '';
  for (let i = 0; i < 26; i++) {
    out = (ULID_CHARS[Number(n % 32n)] ?? '0') + out;
    n = n / 32n + BigInt(i * 7919 + kind);
  }
  return out;
}

export function insertLead(store: RecordStore, fields: LeadFields, state: LeadState, stamp?: string): Doc {
  return store.insert('inbox_leads', {
    ...fields,
    state,
    ...(stamp ? { created_at: stamp, updated_at: stamp } : {}),
  });
}

/** A lead added to the pipeline: a Grow contact and a prospective Grow matter, linked to the lead. */
export function addToPipeline(
  store: RecordStore,
  lead: Doc,
  status: GrowMatterStatus,
  stamp?: string,
): { contact: Doc; matter: Doc } {
  const times = stamp ? { created_at: stamp, updated_at: stamp } : {};
  const first = String(lead.from_first);
  const last = String(lead.from_last);
  const contactId = store.nextId('grow_contacts');
  const contact = store.insert('grow_contacts', {
    id: contactId,
    global_id: globalId(1, contactId),
    type: 'Person',
    name: `${first} ${last}`,
    first_name: first,
    last_name: last,
    emails:
      typeof lead.from_email === 'string' && lead.from_email
        ? [{ address: lead.from_email, type: 'work' }]
        : [],
    phone_numbers:
      typeof lead.from_phone === 'string' && lead.from_phone
        ? [{ number: lead.from_phone, type: 'mobile' }]
        : [],
    addresses: [],
    status: status === 'Hired' || status === 'Converted' ? 'Hired' : 'Unassigned',
    matters: [],
    ...times,
  });
  const matter = store.insert('grow_matters', {
    description: String(lead.from_message).slice(0, 120),
    status,
    contact: { id: contact.id },
    inbox_lead: { id: lead.id },
    source: lead.from_source,
    ...times,
  });
  store.update('grow_contacts', contact.id, { matters: [{ id: matter.id }] });
  store.update('inbox_leads', lead.id, { grow_contact: { id: contact.id }, grow_matter: { id: matter.id } });
  return { contact: store.get('grow_contacts', contact.id) as Doc, matter };
}
