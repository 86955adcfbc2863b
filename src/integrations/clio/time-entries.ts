import { type ClioHttpClient } from './http-client';
import { paginate } from './paginate';
import { z } from 'zod';
import { ClioActivitySchema, ClioIdSchema, showEnvelope, UtbmsCodeSchema } from './schemas';

/**
 * The matter comes with its display number (`00001-Martin`): Clio shapes the answer of a write or a search by
 * `fields` like any read, so the number a firm knows its matter by costs no request of its own.
 */
const ACTIVITY_FIELDS = 'id,type,date,quantity,note,created_at,matter{id,display_number},user{id}';

/**
 * A time entry as this client reads it: the activity, its matter with its display number. A number Clio answers
 * in another shape (null, say) reads as none: it must never make a written entry's answer unreadable.
 */
export const ClioTimeEntrySchema = ClioActivitySchema.extend({
  matter: z
    .object({ id: ClioIdSchema, display_number: z.string().optional().catch(undefined) })
    .nullable()
    .optional(),
});
export type ClioTimeEntry = z.infer<typeof ClioTimeEntrySchema>;

/** How soon a UTBMS code missing from the list read may cause the list to be read again. */
const UTBMS_RELOAD_MS = 60_000;

export interface NewTimeEntry {
  matterId: string;
  userId?: string;
  date: string;
  quantitySeconds: number;
  note: string;
  utbmsTaskId?: string;
  utbmsActivityId?: string;
}

/** Clio time entries (`/activities` of type TimeEntry). */
export class ClioTimeEntries {
  private utbmsIds?: Promise<Map<string, string>>;
  private utbmsLoadedAt = 0;
  constructor(private readonly http: ClioHttpClient) {}

  /**
   * `timeoutMs`: how long to wait for Clio's answer (default: the client's); `sendBy`: epoch ms after which the
   * entry is not sent at all (see RequestOptions.sendBy).
   */
  async create(
    entry: NewTimeEntry,
    opts: { timeoutMs?: number; sendBy?: number } = {},
  ): Promise<ClioTimeEntry> {
    const activityDescription =
      entry.utbmsTaskId || entry.utbmsActivityId
        ? {
            ...(entry.utbmsTaskId ? { utbms_task_id: Number(entry.utbmsTaskId) } : {}),
            ...(entry.utbmsActivityId ? { utbms_activity_id: Number(entry.utbmsActivityId) } : {}),
          }
        : undefined;
    const raw = await this.http.request<unknown>('POST', 'activities.json', {
      fields: ACTIVITY_FIELDS,
      ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
      ...(opts.sendBy === undefined ? {} : { sendBy: opts.sendBy }),
      body: {
        data: {
          type: 'TimeEntry',
          date: entry.date,
          quantity: entry.quantitySeconds,
          note: entry.note,
          matter: { id: Number(entry.matterId) },
          ...(entry.userId ? { user: { id: Number(entry.userId) } } : {}),
          ...(activityDescription ? { activity_description: activityDescription } : {}),
        },
      },
    });
    return showEnvelope(ClioTimeEntrySchema).parse(raw).data;
  }

  /**
   * The display number of the matter a time entry is on (undefined when it is on none, or Clio gives none): for a
   * write found in the operations ledger, whose answer (and the number on it) went to an earlier attempt.
   */
  async matterNumberOf(activityId: string): Promise<string | undefined> {
    const raw = await this.http.request<unknown>('GET', `activities/${encodeURIComponent(activityId)}.json`, {
      fields: 'id,matter{id,display_number}',
    });
    return showEnvelope(ClioTimeEntrySchema).parse(raw).data.matter?.display_number;
  }

  /**
   * Time entries on a matter and date whose fields equal these, created since `createdSince`, oldest first:
   * how a retry finds what an earlier attempt already wrote, since Clio has no idempotency key.
   */
  async findMatching(entry: NewTimeEntry, createdSince: string): Promise<ClioTimeEntry[]> {
    const found: ClioTimeEntry[] = [];
    for await (const a of paginate(this.http, 'activities.json', ClioTimeEntrySchema, {
      fields: ACTIVITY_FIELDS,
      query: {
        type: 'TimeEntry',
        matter_id: entry.matterId,
        user_id: entry.userId,
        start_date: entry.date,
        end_date: entry.date,
        created_since: createdSince,
      },
    })) {
      if (a.quantity === entry.quantitySeconds && a.note === entry.note && a.date === entry.date)
        found.push(a);
    }
    return found.sort((x, y) => Number(x.id) - Number(y.id));
  }

  /**
   * UTBMS code (e.g. `L110`, `A103`) → Clio's id for it. The list is read once and again on a miss (a code set the
   * firm enabled in Clio since), at most once a minute, so unknown codes cannot spend the rate budget.
   */
  async utbmsCodeId(code: string): Promise<string | undefined> {
    const found = (await this.utbmsCodes()).get(code);
    if (found !== undefined || Date.now() - this.utbmsLoadedAt < UTBMS_RELOAD_MS) return found;
    this.utbmsIds = undefined;
    return (await this.utbmsCodes()).get(code);
  }

  private utbmsCodes(): Promise<Map<string, string>> {
    this.utbmsIds ??= this.loadUtbmsCodes().then(
      (ids) => {
        this.utbmsLoadedAt = Date.now();
        return ids;
      },
      (err: unknown) => {
        this.utbmsIds = undefined;
        throw err;
      },
    );
    return this.utbmsIds;
  }

  private async loadUtbmsCodes(): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    for await (const c of paginate(this.http, 'utbms/codes.json', UtbmsCodeSchema, {
      fields: 'id,code,type',
    })) {
      ids.set(c.code, c.id);
    }
    return ids;
  }
}
