import { Router } from 'express';
import { z } from 'zod';
import { notFound, unprocessable } from '../http/errors';
import type { Doc } from '../state/record-store';
import type { SandboxState } from '../state/sandbox-state';
import { signDownloadUrl, type UploadSigner } from './document-urls';
import { dataOf, parseInput, zDate, zRef } from './input';
import { buildReportFile } from './report-files';
import type { ResourceDef } from './resource-def';
import { metaFor } from './resource-meta';

/** Reports run asynchronously: queued → in_progress → completed over REPORT_RUN_MS, polled by GET. */
export const REPORT_RUN_MS = 600;
const KINDS = [
  'accounts_receivable',
  'billing_history',
  'client_ledger',
  'matter',
  'productivity_by_user',
  'revenue',
  'trust_ledger',
  'trust_listing',
  'work_in_progress',
] as const;

const ReportInput = z.object({
  kind: z.enum(KINDS),
  // The sandbox renders text formats only; Clio's binary formats (pdf, xlsx, zip) are refused.
  format: z.enum(['csv', 'json', 'html']),
  start_date: zDate.optional(),
  end_date: zDate.optional(),
  matter: zRef.optional(),
  client: zRef.optional(),
  user: zRef.optional(),
});

/** Advances a report by elapsed time, writing its file when it completes. Call inside a transaction. */
export function advanceReport(state: SandboxState, report: Doc): Doc {
  if (report.state === 'completed' || report.state === 'empty' || report.state === 'failed') return report;
  const elapsed = Date.now() - Date.parse(String(report.created_at));
  if (elapsed < REPORT_RUN_MS / 3) return report;
  if (elapsed < REPORT_RUN_MS) {
    const progress = Math.min(99, Math.round((elapsed / REPORT_RUN_MS) * 100));
    return report.state === 'in_progress' && report.progress === progress
      ? report
      : state.store.update('reports', report.id, { state: 'in_progress', progress });
  }
  const file = buildReportFile(state.store, report);
  state.db
    .prepare(
      'INSERT INTO blobs (key, content_type, body) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET body = excluded.body',
    )
    .run(`report-${report.id}`, file.contentType, file.body);
  return state.store.update('reports', report.id, {
    state: file.rows === 0 ? 'empty' : 'completed',
    progress: 100,
  });
}

export const reportsDef: ResourceDef = {
  meta: metaFor('reports'),
  path: 'reports',
  filter: (f) => f.equals('state', '$.state'),
  create: (ctx, body) => {
    const input = parseInput(ReportInput, dataOf(body));
    if (input.start_date && input.end_date && input.end_date < input.start_date)
      throw unprocessable('end_date must not be before start_date');
    return ctx.state.store.insert('reports', {
      name: `${input.kind.replace(/_/g, ' ')} report`,
      kind: input.kind,
      format: input.format,
      state: 'queued',
      progress: 0,
      source: 'reports',
      category: input.kind.startsWith('trust') ? 'compliance' : 'billing',
      user: { id: ctx.userId },
      parameters: input,
    });
  },
  destroy: (ctx, current) => {
    ctx.state.store.remove('reports', current.id);
  },
};

/** Reads advance the report; download answers 303 to the file once it is ready. */
export function reportRoutes(state: SandboxState, signer: UploadSigner): Router {
  const router = Router();
  router.use('/reports/:id', (req, _res, next) => {
    const id = Number(req.params.id);
    const report = Number.isInteger(id) ? state.store.get('reports', id) : undefined;
    if (report) state.store.transaction(() => advanceReport(state, report));
    next();
  });
  router.get('/reports/:id/download', (req, res) => {
    const report = state.store.get('reports', Number(req.params.id));
    if (!report) throw notFound('Report');
    if (report.state !== 'completed' && report.state !== 'empty')
      throw unprocessable(`The report is ${String(report.state)}; poll until completed`);
    res.redirect(303, signDownloadUrl(req, signer, `report-${report.id}`));
  });
  return router;
}
