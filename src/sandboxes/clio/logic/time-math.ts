/**
 * Time-entry arithmetic shared by the seed and the API, so both round and price the same way.
 * Clio rounds time up to the next multiple of the firm's increment (6 minutes = tenths of an hour)
 * and computes the total from the rounded quantity; money stays in integer cents.
 */
export function roundSeconds(seconds: number, incrementMinutes: number): number {
  if (incrementMinutes <= 0 || seconds <= 0) return Math.max(0, Math.round(seconds));
  const step = incrementMinutes * 60;
  return Math.ceil(seconds / step) * step;
}

/** Hours shown beside seconds: Clio reports them with up to 2 decimals. */
export const hoursOf = (seconds: number): number => Math.round((seconds / 3600) * 100) / 100;

/** Total in cents for a time entry: rounded hours × hourly price, rounded half-up to the cent. */
export const timeTotalCents = (roundedSeconds: number, priceCentsPerHour: number): number =>
  Math.round((roundedSeconds * priceCentsPerHour) / 3600);

/** The stored quantity/price figures of a time entry. */
export function timeEntryFigures(
  quantitySeconds: number,
  priceCents: number,
  incrementMinutes: number,
  nonBillable: boolean,
): Record<string, number> {
  const rounded = roundSeconds(quantitySeconds, incrementMinutes);
  const total = timeTotalCents(rounded, priceCents);
  return {
    quantity: quantitySeconds,
    rounded_quantity: rounded,
    quantity_in_hours: hoursOf(quantitySeconds),
    rounded_quantity_in_hours: hoursOf(rounded),
    price: priceCents,
    total: nonBillable ? 0 : total,
    non_billable_total: nonBillable ? total : 0,
  };
}
