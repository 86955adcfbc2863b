import type { Doc, RecordStore } from '../../state/record-store';

export interface ConflictTerms {
  names: string[];
  companies: string[];
  emails: string[];
  /** The lead being checked is left out of its own results. */
  excludeLeadId?: number;
}

export interface ConflictHit {
  source: 'contact' | 'matter' | 'inbox_lead' | 'grow_contact';
  id: number;
  name: string;
  matchedOn: 'name' | 'company' | 'email';
  term: string;
  role?: 'client' | 'related_party';
  matterId?: number;
  displayNumber?: string;
  status?: string;
}

const SUFFIXES = new Set(['inc', 'llc', 'corp', 'corporation', 'ltd', 'llp', 'co', 'company', 'pc', 'plc']);
const tokens = (s: string): string[] =>
  s
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .split(/\s+/)
    .filter((t) => t.length > 0);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Every word of the term appears in the candidate, in any order ("Smith, John" finds "John Smith"). */
function nameMatches(term: string, candidate: string, company: boolean): boolean {
  const want = tokens(term).filter((t) => !(company && SUFFIXES.has(t)));
  if (!want.length) return false;
  const have = new Set(tokens(candidate));
  return want.every((t) => have.has(t));
}

type Matcher = (name: string, emails: string[]) => Pick<ConflictHit, 'matchedOn' | 'term'> | undefined;

function matcher(t: ConflictTerms): Matcher {
  const emails = t.emails.map((e) => e.trim().toLowerCase()).filter(Boolean);
  return (name, candidateEmails) => {
    const lower = candidateEmails.map((e) => e.toLowerCase());
    const email = emails.find((e) => lower.includes(e));
    if (email) return { matchedOn: 'email', term: email };
    const n = t.names.find((term) => nameMatches(term, name, false));
    if (n) return { matchedOn: 'name', term: n };
    const c = t.companies.find((term) => nameMatches(term, name, true));
    return c ? { matchedOn: 'company', term: c } : undefined;
  };
}

/**
 * Clio's conflict check over the firm's data: contacts (names, companies, emails), the matters those
 * contacts are clients of or related parties to, and Grow leads and contacts. Each hit says where it
 * matched, which is what the person clearing the conflict must see.
 */
export function runConflictCheck(store: RecordStore, terms: ConflictTerms): ConflictHit[] {
  const match = matcher(terms);
  const hits: ConflictHit[] = [];
  const matched = new Map<number, Pick<ConflictHit, 'matchedOn' | 'term'>>();
  for (const c of store.all('contacts')) {
    const emails = ((c.email_addresses as Doc[] | undefined) ?? []).map((e) => str(e.address));
    const m = match(str(c.name), emails);
    if (!m) continue;
    matched.set(c.id, m);
    hits.push({ source: 'contact', id: c.id, name: str(c.name), ...m });
  }
  const related = store.all('relationships');
  for (const matter of store.all('matters')) {
    const clientId = (matter.client as { id: number } | undefined)?.id;
    const parties: [number | undefined, 'client' | 'related_party'][] = [
      [clientId, 'client'],
      ...related
        .filter((r) => (r.matter as { id: number } | undefined)?.id === matter.id)
        .map(
          (r) =>
            [(r.contact as { id: number } | undefined)?.id, 'related_party'] as [
              number | undefined,
              'related_party',
            ],
        ),
    ];
    for (const [contactId, role] of parties) {
      const m = contactId === undefined ? undefined : matched.get(contactId);
      if (!m) continue;
      const contact = store.get('contacts', contactId as number);
      hits.push({
        source: 'matter',
        id: matter.id,
        name: str(contact?.name),
        ...m,
        role,
        matterId: matter.id,
        displayNumber: str(matter.display_number),
        status: str(matter.status),
      });
    }
  }
  for (const lead of store.all('inbox_leads')) {
    if (lead.id === terms.excludeLeadId) continue;
    const name = `${str(lead.from_first)} ${str(lead.from_last)}`;
    const m = match(name, [str(lead.from_email)].filter(Boolean));
    if (m) hits.push({ source: 'inbox_lead', id: lead.id, name, ...m, status: str(lead.state) });
  }
  const excludedGrowContact =
    terms.excludeLeadId === undefined
      ? undefined
      : (store.get('inbox_leads', terms.excludeLeadId)?.grow_contact as { id: number } | undefined)?.id;
  for (const gc of store.all('grow_contacts')) {
    if (gc.id === excludedGrowContact) continue;
    const m = match(
      str(gc.name),
      ((gc.emails as Doc[] | undefined) ?? []).map((e) => str(e.address)),
    );
    if (m) hits.push({ source: 'grow_contact', id: gc.id, name: str(gc.name), ...m, status: str(gc.status) });
  }
  return hits;
}
