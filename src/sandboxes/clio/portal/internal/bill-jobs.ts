import type { PortalContext } from '../portal-context';
import { billingSettings } from './billing-settings';
import { generateMatterBill, type GenerateOutcome } from './bill-generation';

export type JobState = 'queued' | 'in_progress' | 'completed' | 'failed';

export interface GenerateJobInput {
  matterIds: number[];
  startAt?: string;
  endAt?: string;
  issuedAt: string;
  dueAt: string;
  userId: number;
  taxRate?: number;
  secondaryTaxRate?: number;
}

export interface JobResult {
  bills: { matterId: number; billId: number; totalCents: number; lineCount: number }[];
  skipped: { matterId: number; reason: string }[];
}

export interface JobView {
  id: number;
  kind: 'bill_generation';
  state: JobState;
  progress: number;
  createdAt: string;
  updatedAt: string;
  result?: JobResult;
  error?: string;
}

interface JobRow {
  id: number;
  state: JobState;
  progress: number;
  input: string;
  result: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
}

/** The pause before a job starts, so a client polling right away sees `queued` as Clio's jobs show it. */
const START_DELAY_MS = 30;

/**
 * Bulk bill generation as an asynchronous job (the portal's "Generate bills" runs in the background):
 * queued → in_progress → completed|failed with progress 0..100. Each matter's bill is written in one
 * transaction together with the job's progress, so a crash leaves whole bills and an honest result.
 */
export class BillJobs {
  private readonly timers = new Set<NodeJS.Timeout | NodeJS.Immediate>();

  constructor(private readonly ctx: PortalContext) {
    // Jobs cut off by a restart would otherwise look in progress forever.
    ctx.state.db
      .prepare(
        "UPDATE portal_jobs SET state = 'failed', error = 'Interrupted by a sandbox restart' WHERE state IN ('queued', 'in_progress')",
      )
      .run();
    ctx.state.onReset(() => this.cancelAll());
  }

  create(input: GenerateJobInput): JobView {
    const stamp = new Date(this.ctx.now()).toISOString();
    const id = Number(
      this.ctx.state.db
        .prepare(
          "INSERT INTO portal_jobs (kind, state, progress, input, created_at, updated_at) VALUES ('bill_generation', 'queued', 0, ?, ?, ?)",
        )
        .run(JSON.stringify(input), stamp, stamp).lastInsertRowid,
    );
    this.schedule(setTimeout(() => this.run(id, input), START_DELAY_MS));
    return this.get(id) as JobView;
  }

  get(id: number): JobView | undefined {
    const row = this.ctx.state.db.prepare('SELECT * FROM portal_jobs WHERE id = ?').get(id) as
      JobRow | undefined;
    if (!row) return undefined;
    return {
      id: row.id,
      kind: 'bill_generation',
      state: row.state,
      progress: row.progress,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      ...(row.result ? { result: JSON.parse(row.result) as JobResult } : {}),
      ...(row.error ? { error: row.error } : {}),
    };
  }

  private schedule(timer: NodeJS.Timeout | NodeJS.Immediate): void {
    timer.unref();
    this.timers.add(timer);
  }

  private cancelAll(): void {
    for (const t of this.timers) {
      clearTimeout(t as NodeJS.Timeout);
      clearImmediate(t as NodeJS.Immediate);
    }
    this.timers.clear();
  }

  private save(id: number, state: JobState, progress: number, result: JobResult, error?: string): void {
    this.ctx.state.db
      .prepare(
        'UPDATE portal_jobs SET state = ?, progress = ?, result = ?, error = ?, updated_at = ? WHERE id = ?',
      )
      .run(
        state,
        progress,
        JSON.stringify(result),
        error ?? null,
        new Date(this.ctx.now()).toISOString(),
        id,
      );
  }

  private run(id: number, input: GenerateJobInput): void {
    const { state } = this.ctx;
    const settings = billingSettings(state);
    let result: JobResult = { bills: [], skipped: [] };
    const ids = [...new Set(input.matterIds)];
    this.save(id, 'in_progress', 0, result);
    const step = (i: number): void => {
      if (!this.get(id)) return; // reset while running
      if (i >= ids.length) return this.save(id, 'completed', 100, result);
      const matterId = ids[i] as number;
      try {
        let outcome: GenerateOutcome | undefined;
        state.store.transaction(() => {
          outcome = generateMatterBill(state.store, matterId, {
            ...input,
            roundingMinutes: state.settings().time_rounding_minutes ?? 6,
            taxRate: input.taxRate ?? settings.taxRate,
            secondaryTaxRate: input.secondaryTaxRate ?? settings.secondaryTaxRate,
          });
          const next: JobResult = { bills: [...result.bills], skipped: [...result.skipped] };
          if (outcome && 'billId' in outcome) next.bills.push({ matterId, ...outcome });
          else if (outcome) next.skipped.push({ matterId, reason: outcome.skipped });
          const progress = Math.floor(((i + 1) * 100) / ids.length);
          this.save(id, i + 1 === ids.length ? 'completed' : 'in_progress', progress, next);
          // Only a committed step changes what the job reports.
          result = next;
        });
        if (outcome && 'billId' in outcome) {
          const bill = state.store.get('bills', outcome.billId);
          if (bill) state.emitChange('bills', 'created', bill);
        }
      } catch (err) {
        state.logger.error({ err, jobId: id }, 'clio portal: bill generation failed');
        return this.save(
          id,
          'failed',
          this.get(id)?.progress ?? 0,
          result,
          err instanceof Error ? err.message : 'failed',
        );
      }
      if (i + 1 < ids.length) this.schedule(setImmediate(() => step(i + 1)));
    };
    step(0);
  }
}
