import type { Doc } from '../state/record-store';
import type { Prng } from './prng';
import type { SeedBuilder } from './seed-builder';
import { MATTER_TOPICS } from './name-lists';
import { USD } from './seed-firm';

const MATTERS = 1000;
const CLIENT_POOL = 400;

const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The client's short name as Clio puts it after the matter number ("00001-Smith"). */
export const clientSummary = (client: Doc): string =>
  client.type === 'Person'
    ? String(client.last_name)
    : (String(client.name).split(' ')[0] ?? String(client.name));

/** 1,000 matters across the 8 practice areas, clients drawn from the first 400 contacts. */
export function seedMatters(
  b: SeedBuilder,
  rng: Prng,
  contacts: Doc[],
  practiceAreas: Doc[],
  attorneys: Doc[],
): Doc[] {
  const out: Doc[] = [];
  const from = Date.parse('2022-01-03T00:00:00Z');
  const to = Date.parse('2026-07-31T00:00:00Z');
  for (let n = 1; n <= MATTERS; n++) {
    const client = contacts[rng.int(0, CLIENT_POOL - 1)] as Doc;
    client.is_client = true;
    const area = rng.pick(practiceAreas);
    const openMs = from + Math.floor(((to - from) * (n - 1)) / MATTERS) + rng.int(0, 3) * 86_400_000;
    const roll = rng.next();
    const status = roll < 0.85 ? 'Open' : roll < 0.93 ? 'Pending' : 'Closed';
    const stamp = new Date(openMs + 9 * 3_600_000).toISOString();
    const responsible = rng.pick(attorneys);
    out.push(
      b.add(
        'matters',
        {
          number: n,
          display_number: `${String(n).padStart(5, '0')}-${clientSummary(client)}`,
          description: `${rng.pick(MATTER_TOPICS[String(area.name)] ?? ['General matter'])} (${String(client.name)})`,
          status,
          client: { id: client.id },
          client_id: client.id,
          practice_area: { id: area.id },
          responsible_attorney: { id: responsible.id },
          originating_attorney: { id: rng.chance(0.7) ? responsible.id : rng.pick(attorneys).id },
          open_date: isoDate(openMs),
          ...(status === 'Pending' ? { pending_date: isoDate(openMs) } : {}),
          ...(status === 'Closed' ? { close_date: '2026-10-31' } : {}),
          billable: true,
          billing_method: 'hourly',
          location: '',
          client_reference: '',
          shared: false,
          has_tasks: false,
          currency: USD,
          custom_field_values: [],
        },
        stamp,
      ),
    );
  }
  return out;
}
