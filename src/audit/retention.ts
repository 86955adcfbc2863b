import { z } from 'zod';

/**
 * The audit actions that end and resume a matter's representation. Record-keeping rules count from the end of the
 * representation, so the purge keeps a matter's records until its last of these is a closing older than the
 * retention period. The matter workflows, when they see a matter close or reopen in Clio, are to write them
 * (target: the matter's number and Clio id); none does yet, so today records about a matter are never purged.
 */
export const MATTER_CLOSED = 'matter.closed';
export const MATTER_REOPENED = 'matter.reopened';

/** The longest record-keeping rule in the reference (trust records, some states): seven years. */
export const DEFAULT_RETENTION_YEARS = 7;

/** Record-keeping rules ask five to seven years at the least (domain rules); a shorter window is refused. */
export const retentionYearsSchema = z
  .number()
  .int('must be a whole number of years')
  .min(5, 'must be at least 5 years (record-keeping rules ask 5 to 7)')
  .max(100, 'must be at most 100 years');

/**
 * The instant before which records may be purged: `now` minus whole calendar years (UTC). When that date does
 * not exist (29 February in a common year) it falls back to the 28th: the earlier cutoff keeps a day more,
 * never less.
 */
export function retentionCutoff(now: Date, retentionYears: number = DEFAULT_RETENTION_YEARS): Date {
  const years = retentionYearsSchema.parse(retentionYears);
  const cutoff = new Date(now.getTime());
  cutoff.setUTCFullYear(now.getUTCFullYear() - years);
  if (cutoff.getUTCMonth() !== now.getUTCMonth()) cutoff.setUTCDate(0);
  return cutoff;
}

/** True when a record of this time must still be kept; purge deletes only records for which this is false. */
export function isWithinRetention(
  recordTime: Date | string,
  now: Date,
  retentionYears = DEFAULT_RETENTION_YEARS,
): boolean {
  const time = typeof recordTime === 'string' ? new Date(recordTime) : recordTime;
  if (Number.isNaN(time.getTime())) return true; // an unreadable time is never a reason to delete
  return time.getTime() >= retentionCutoff(now, retentionYears).getTime();
}
