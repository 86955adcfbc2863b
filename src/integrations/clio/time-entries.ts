import { type ClioHttpClient } from './http-client';
import { paginate } from './paginate';
import { ClioActivitySchema, type ClioActivity, showEnvelope, UtbmsCodeSchema } from './schemas';

const ACTIVITY_FIELDS = 'id,type,date,quantity,note,created_at,matter{id},user{id}';

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
  constructor(private readonly http: ClioHttpClient) {}

  async create(entry: NewTimeEntry): Promise<ClioActivity> {
    const activityDescription =
      entry.utbmsTaskId || entry.utbmsActivityId
        ? {
            ...(entry.utbmsTaskId ? { utbms_task_id: Number(entry.utbmsTaskId) } : {}),
            ...(entry.utbmsActivityId ? { utbms_activity_id: Number(entry.utbmsActivityId) } : {}),
          }
        : undefined;
    const raw = await this.http.request<unknown>('POST', 'activities.json', {
      fields: ACTIVITY_FIELDS,
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
    return showEnvelope(ClioActivitySchema).parse(raw).data;
  }

  /**
   * Time entries on a matter and date whose fields equal these, created since `createdSince`, oldest first:
   * how a retry finds what an earlier attempt already wrote, since Clio has no idempotency key.
   */
  async findMatching(entry: NewTimeEntry, createdSince: string): Promise<ClioActivity[]> {
    const found: ClioActivity[] = [];
    for await (const a of paginate(this.http, 'activities.json', ClioActivitySchema, {
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

  /** UTBMS code (e.g. `L110`, `A103`) → Clio's id for it, read once per client. */
  async utbmsCodeId(code: string): Promise<string | undefined> {
    this.utbmsIds ??= this.loadUtbmsCodes().catch((err: unknown) => {
      this.utbmsIds = undefined;
      throw err;
    });
    return (await this.utbmsIds).get(code);
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
