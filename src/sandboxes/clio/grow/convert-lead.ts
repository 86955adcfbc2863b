import type { Request } from 'express';
import { contactsDef } from '../api/contacts';
import { createMatter } from '../api/matter-write';
import type { ApiContext } from '../api/resource-def';
import { DEFAULT_API_VERSION, parseVersion } from '../http/api-version';
import type { Doc } from '../state/record-store';
import type { SandboxState } from '../state/sandbox-state';
import { PortalError, ruleBroken } from '../portal/internal/portal-error';
import { addToPipeline } from './grow-records';

export interface ConvertInput {
  leadId?: number;
  growMatterId?: number;
  practiceAreaId?: number;
  responsibleAttorneyId?: number;
  description?: string;
}

export interface Conversion {
  matter: Doc;
  contact: Doc;
  contactCreated: boolean;
  lead?: Doc;
  growMatter: Doc;
  alreadyConverted: boolean;
}

const ref = (v: unknown): number | undefined => (v as { id?: number } | undefined)?.id;

/** The Manage contact with this email address, if the firm already has one (no duplicate contacts). */
function contactByEmail(state: SandboxState, email: string | undefined): Doc | undefined {
  if (!email) return undefined;
  const needle = email.toLowerCase();
  return state.store
    .list('contacts', {
      predicate: (c) =>
        ((c.email_addresses as Doc[] | undefined) ?? []).some(
          (e) => String(e.address).toLowerCase() === needle,
        ),
    })
    .at(0);
}

/**
 * "Convert to Clio Manage" on a hired Grow matter (a UI action; no public API has it). Creates the
 * Manage contact unless one with the lead's email exists, then the matter; the Grow matter becomes
 * Converted and its lead `converted`. An Intake matter is marked Hired on the way (the Hired button and
 * conversion are one gesture here). Converting again answers the first conversion, so a retried call
 * after a lost answer does not open a second matter. Call inside a transaction.
 */
export function convertLead(
  state: SandboxState,
  input: ConvertInput,
  userId: number,
  req: Request,
): Conversion {
  const { store } = state;
  let lead = input.leadId !== undefined ? store.get('inbox_leads', input.leadId) : undefined;
  let growMatter =
    input.growMatterId !== undefined ? store.get('grow_matters', input.growMatterId) : undefined;
  if (input.leadId !== undefined && !lead)
    throw new PortalError(404, 'RecordNotFound', 'Inbox lead could not be found');
  if (input.growMatterId !== undefined && !growMatter)
    throw new PortalError(404, 'RecordNotFound', 'Grow matter could not be found');
  if (lead && !growMatter && ref(lead.grow_matter) !== undefined)
    growMatter = store.get('grow_matters', ref(lead.grow_matter) as number);
  if (growMatter && !lead && ref(growMatter.inbox_lead) !== undefined)
    lead = store.get('inbox_leads', ref(growMatter.inbox_lead) as number);
  const existing = ref(growMatter?.clio_matter) ?? ref(lead?.converted_matter);
  if (existing !== undefined) {
    const matter = store.get('matters', existing) as Doc;
    const contact = store.get('contacts', ref(matter.client) as number) as Doc;
    return {
      matter,
      contact,
      contactCreated: false,
      lead,
      growMatter: growMatter as Doc,
      alreadyConverted: true,
    };
  }
  if (lead?.state === 'ignored') throw ruleBroken('lead_ignored', 'An ignored lead cannot be converted');
  if (growMatter?.status === 'Did Not Hire')
    throw ruleBroken('not_hired', 'A Grow matter marked Did Not Hire cannot be converted');
  if (!growMatter) {
    if (!lead) throw ruleBroken('nothing_to_convert', 'Give a leadId or a growMatterId');
    growMatter = addToPipeline(store, lead, 'Hired').matter;
    lead = store.get('inbox_leads', lead.id);
  }
  const growContact = store.get('grow_contacts', ref(growMatter.contact) as number) as Doc;
  const email = ((growContact.emails as { address: string }[] | undefined) ?? [])[0]?.address;
  const phone = ((growContact.phone_numbers as { number: string }[] | undefined) ?? [])[0]?.number;
  const ctx: ApiContext = { state, userId, version: parseVersion(DEFAULT_API_VERSION), req };
  let contact = contactByEmail(state, email);
  const contactCreated = !contact;
  contact ??= contactsDef.create?.(ctx, {
    data: {
      type: 'Person',
      first_name: growContact.first_name,
      last_name: growContact.last_name,
      ...(email ? { email_addresses: [{ name: 'Work', address: email, default_email: true }] } : {}),
      ...(phone ? { phone_numbers: [{ name: 'Mobile', number: phone, default_number: true }] } : {}),
    },
  });
  if (!contact) throw new Error('contacts cannot be created');
  const attorney = input.responsibleAttorneyId ?? userId;
  const matter = createMatter(ctx, {
    data: {
      description: input.description ?? String(growMatter.description),
      client: { id: contact.id },
      status: 'open',
      responsible_attorney: { id: attorney },
      originating_attorney: { id: attorney },
      ...(input.practiceAreaId !== undefined ? { practice_area: { id: input.practiceAreaId } } : {}),
    },
  });
  store.update('grow_matters', growMatter.id, { status: 'Converted', clio_matter: { id: matter.id } });
  store.update('grow_contacts', growContact.id, { status: 'Hired', clio_id: contact.id });
  if (lead)
    lead = store.update('inbox_leads', lead.id, {
      state: 'converted',
      converted_matter: { id: matter.id },
      converted_contact: { id: contact.id },
    });
  return {
    matter,
    contact: store.get('contacts', contact.id) as Doc,
    contactCreated,
    lead,
    growMatter: store.get('grow_matters', growMatter.id) as Doc,
    alreadyConverted: false,
  };
}
