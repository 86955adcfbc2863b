import { z } from 'zod';
import { sessionOf } from '../session-guard';
import type { InternalRoutes } from './internal-router';
import { approveBill, applyTrust } from './bill-actions';
import { BillJobs } from './bill-jobs';
import { renderBillPdf } from './bill-pdf';
import {
  billingSettings,
  BillingSettingsSchema,
  clearBillingSettings,
  updateBillingSettings,
} from './billing-settings';
import { parseBody, parseId } from './parse-body';
import { notFound } from './portal-error';
import { billView, paymentView } from './views';
import { today } from './trust-ledger';

const zDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

const GenerateBody = z
  .object({
    matterIds: z.array(z.number().int().positive()).min(1).max(5000),
    startAt: zDate.optional(),
    endAt: zDate.optional(),
    issuedAt: zDate.optional(),
    dueAt: zDate.optional(),
    taxRate: z.number().min(0).max(100).optional(),
    secondaryTaxRate: z.number().min(0).max(100).optional(),
  })
  .strict();

const ApplyTrustBody = z.object({ amountCents: z.number().int().positive().optional() }).strict();

const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Bill generation (async job), approval, trust application, PDF download and billing settings. */
export const billingRoutes: InternalRoutes = (router, ctx) => {
  const jobs = new BillJobs(ctx);
  ctx.state.onReset(() => clearBillingSettings(ctx.state));
  const { store } = ctx.state;

  router.post('/bills/generate', (req, res) => {
    const body = parseBody(GenerateBody, req.body);
    const issuedAt = body.issuedAt ?? today(ctx.now());
    const job = jobs.create({
      ...body,
      issuedAt,
      dueAt: body.dueAt ?? addDays(issuedAt, 30),
      userId: sessionOf(res).userId,
    });
    res.status(202).json({ job });
  });

  router.get('/jobs/:id', (req, res) => {
    const job = jobs.get(parseId(req.params.id, 'Job'));
    if (!job) throw notFound('Job');
    res.json({ job });
  });

  router.get('/bills/:id', (req, res) => {
    const bill = store.get('bills', parseId(req.params.id, 'Bill'));
    if (!bill) throw notFound('Bill');
    res.json({ bill: billView(store, bill) });
  });

  router.post('/bills/:id/approve', (req, res) => {
    const id = parseId(req.params.id, 'Bill');
    const before = store.get('bills', id);
    const bill = store.transaction(() =>
      approveBill(store, id, billingSettings(ctx.state).requireBillApproval, ctx.now()),
    );
    ctx.state.emitChange('bills', 'updated', bill, before);
    res.json({ bill: billView(store, bill) });
  });

  router.post('/bills/:id/apply_trust', (req, res) => {
    const id = parseId(req.params.id, 'Bill');
    const body = parseBody(ApplyTrustBody, req.body);
    const before = store.get('bills', id);
    const paid = store.transaction(() =>
      applyTrust(store, id, body.amountCents, sessionOf(res).userId, ctx.now()),
    );
    ctx.state.emitChange('bills', 'updated', paid.bill, before);
    res.status(201).json(paymentView(store, paid));
  });

  router.get('/bills/:id/pdf', async (req, res) => {
    const bill = store.get('bills', parseId(req.params.id, 'Bill'));
    if (!bill) throw notFound('Bill');
    const pdf = await renderBillPdf(store, bill, ctx.state.settings().firm_name ?? 'Sandbox Law LLP');
    res
      .type('application/pdf')
      .set('Content-Disposition', `attachment; filename="invoice-${String(bill.number)}.pdf"`)
      .send(pdf);
  });

  router.get('/settings/billing', (_req, res) => {
    res.json({ settings: billingSettings(ctx.state) });
  });

  router.post('/settings/billing', (req, res) => {
    const patch = parseBody(BillingSettingsSchema.partial(), req.body);
    res.json({ settings: updateBillingSettings(ctx.state, patch) });
  });
};
