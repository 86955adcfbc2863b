import { timeEntryFigures } from '../logic/time-math';
import type { Doc } from '../state/record-store';
import type { Prng } from './prng';
import type { SeedBuilder } from './seed-builder';
import { TIME_NOTES } from './name-lists';
import { USD } from './seed-firm';

const ENTRIES = 20_000;
/** Three full months before the seed's "today", fixed so the same seed gives the same data any day. */
export const SEED_PERIOD = { start: '2026-08-03', end: '2026-10-30' } as const;

function weekdays(start: string, end: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${start}T00:00:00Z`); t <= Date.parse(`${end}T00:00:00Z`); t += 86_400_000) {
    const day = new Date(t).getUTCDay();
    if (day !== 0 && day !== 6) out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/** 20,000 unbilled time entries over the seed period on matters that were open by then. */
export function seedTimeEntries(
  b: SeedBuilder,
  rng: Prng,
  matters: Doc[],
  timekeepers: Doc[],
  activityDescriptions: Doc[],
  roundingMinutes: number,
): void {
  const days = weekdays(SEED_PERIOD.start, SEED_PERIOD.end);
  const active = matters.filter((m) => m.status !== 'Pending');
  for (let i = 0; i < ENTRIES; i++) {
    const matter = rng.pick(active);
    const user = rng.pick(timekeepers);
    const date = rng.pick(days);
    const seconds = rng.int(3, 240) * 60 + rng.int(0, 59);
    const nonBillable = rng.chance(0.04);
    const description = rng.chance(0.6) ? rng.pick(activityDescriptions) : undefined;
    const stamp = `${date}T${String(rng.int(14, 23)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:00.000Z`;
    b.add(
      'activities',
      {
        type: 'TimeEntry',
        date,
        ...timeEntryFigures(seconds, Number(user.rate), roundingMinutes, nonBillable),
        note: rng.pick(TIME_NOTES),
        flat_rate: false,
        billed: false,
        on_bill: false,
        non_billable: nonBillable,
        no_charge: false,
        contingency_fee: false,
        quantity_redacted: false,
        tax_setting: 'no_tax',
        currency: USD,
        matter: { id: matter.id },
        user: { id: user.id },
        ...(description ? { activity_description: { id: description.id } } : {}),
      },
      stamp,
    );
  }
}
