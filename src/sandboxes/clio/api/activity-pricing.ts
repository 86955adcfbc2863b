import type { Doc, RecordStore } from '../state/record-store';

/**
 * Clio's rate hierarchy for a time entry without an explicit price: the activity description's own
 * rate, then the matter's custom rate for the user, then the user's default rate. (Client-level
 * rates are not modelled: the seeded firm sets none.) Returns cents per hour.
 */
export function hourlyRateCents(
  store: RecordStore,
  userId: number,
  matterId: number | undefined,
  descriptionId: number | undefined,
): number {
  if (descriptionId !== undefined) {
    const desc = store.get('activity_descriptions', descriptionId);
    const rate = desc?.rate as { type?: string; amount?: number } | undefined;
    if (rate?.type === 'Custom' && typeof rate.amount === 'number') return rate.amount;
  }
  if (matterId !== undefined) {
    const matter = store.get('matters', matterId);
    const custom = matter?.custom_rate as
      { type?: string; rates?: { user?: { id: number }; rate: number }[] } | undefined;
    const match =
      custom?.type === 'HourlyRate' ? custom.rates?.find((r) => r.user?.id === userId) : undefined;
    if (match) return match.rate;
  }
  const user: Doc | undefined = store.get('users', userId);
  return typeof user?.rate === 'number' ? user.rate : 0;
}
