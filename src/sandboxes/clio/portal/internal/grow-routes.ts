import { z } from 'zod';
import { convertLead } from '../../grow/convert-lead';
import { sessionOf } from '../session-guard';
import { runConflictCheck } from './conflict-check';
import type { InternalRoutes } from './internal-router';
import { parseBody, parseId } from './parse-body';
import { notFound, ruleBroken } from './portal-error';

const Terms = z.array(z.string().trim().min(1).max(200)).max(50).default([]);
const ConflictBody = z
  .object({
    names: Terms,
    companies: Terms,
    emails: Terms,
    excludeLeadId: z.number().int().positive().optional(),
  })
  .strict()
  .refine(
    (b) => b.names.length + b.companies.length + b.emails.length > 0,
    'give at least one name, company or email',
  );

const ConvertBody = z
  .object({
    leadId: z.number().int().positive().optional(),
    growMatterId: z.number().int().positive().optional(),
    practiceAreaId: z.number().int().positive().optional(),
    responsibleAttorneyId: z.number().int().positive().optional(),
    description: z.string().trim().min(1).max(255).optional(),
  })
  .strict()
  .refine(
    (b) => (b.leadId === undefined) !== (b.growMatterId === undefined),
    'give exactly one of leadId and growMatterId',
  );

const StatusBody = z.object({ status: z.enum(['Intake', 'Hired', 'Did Not Hire']) }).strict();

/** Conflict checks, Grow triage (ignore, pipeline status) and conversion of a hired Grow matter. */
export const growRoutes: InternalRoutes = (router, ctx) => {
  const { store } = ctx.state;

  router.post('/conflict_checks', (req, res) => {
    const terms = parseBody(ConflictBody, req.body);
    const hits = runConflictCheck(store, terms);
    res.json({
      conflictCheck: { terms, searchedAt: new Date(ctx.now()).toISOString(), hitCount: hits.length, hits },
    });
  });

  router.post('/grow/conversions', (req, res) => {
    const input = parseBody(ConvertBody, req.body);
    const done = store.transaction(() => convertLead(ctx.state, input, sessionOf(res).userId, req));
    if (!done.alreadyConverted) {
      if (done.contactCreated) ctx.state.emitChange('contacts', 'created', done.contact);
      ctx.state.emitChange('matters', 'created', done.matter);
    }
    res.status(done.alreadyConverted ? 200 : 201).json({
      alreadyConverted: done.alreadyConverted,
      matter: {
        id: done.matter.id,
        displayNumber: done.matter.display_number,
        description: done.matter.description,
        status: done.matter.status,
        clientId: done.contact.id,
      },
      contact: { id: done.contact.id, name: done.contact.name, created: done.contactCreated },
      lead: done.lead ? { id: done.lead.id, state: done.lead.state } : undefined,
      growMatter: { id: done.growMatter.id, status: done.growMatter.status },
    });
  });

  router.post('/grow/inbox_leads/:id/ignore', (req, res) => {
    const id = parseId(req.params.id, 'Inbox lead');
    const lead = store.transaction(() => {
      const current = store.get('inbox_leads', id);
      if (!current) throw notFound('Inbox lead');
      if (current.state === 'converted')
        throw ruleBroken('lead_converted', 'A converted lead cannot be ignored');
      return store.update('inbox_leads', id, { state: 'ignored' });
    });
    res.json({ lead: { id: lead.id, state: lead.state } });
  });

  router.post('/grow/matters/:id/status', (req, res) => {
    const id = parseId(req.params.id, 'Grow matter');
    const { status } = parseBody(StatusBody, req.body);
    const matter = store.transaction(() => {
      const current = store.get('grow_matters', id);
      if (!current) throw notFound('Grow matter');
      if (current.status === 'Converted')
        throw ruleBroken('already_converted', 'A converted Grow matter keeps its status');
      return store.update('grow_matters', id, { status });
    });
    res.json({ growMatter: { id: matter.id, status: matter.status } });
  });
};
