import express, { Router } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { SandboxState } from '../state/sandbox-state';
import { growBearer } from './grow-auth';
import { insertLead, LEAD_STATES } from './grow-records';
import { leadView, listPage } from './grow-views';

/** The firm's lead-inbox token (Grow → Settings → Integrations), as the contract fixes it. */
export const INBOX_LEAD_TOKEN = 'sandbox-inbox-token';

const LeadBody = z.object({
  inbox_lead_token: z.string().optional(),
  inbox_lead: z.object({
    from_first: z.string().trim().min(1).max(255),
    from_last: z.string().trim().min(1).max(255),
    from_email: z.string().trim().email().max(254).optional().or(z.literal('')),
    from_phone: z.string().trim().max(64).optional(),
    from_message: z.string().trim().min(1).max(10_000),
    referring_url: z.string().trim().min(1).max(2048),
    from_source: z.string().trim().min(1).max(255),
  }),
});

const sameToken = (given: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(INBOX_LEAD_TOKEN);
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * Clio Grow's legacy lead inbox: `POST /inbox_leads` authenticated by the firm's inbox token in the
 * body, and the reading side `GET /inbox_leads?state=` (bearer token) the service polls.
 */
export function inboxRouter(state: SandboxState): Router {
  const router = Router();
  const { store } = state;

  router.post('/inbox_leads', express.json({ limit: '64kb' }), (req, res) => {
    const token = (req.body as { inbox_lead_token?: unknown } | undefined)?.inbox_lead_token;
    if (typeof token !== 'string' || !sameToken(token)) {
      res
        .status(401)
        .json({ error: { type: 'Unauthorized', message: 'The inbox lead token is missing or not valid' } });
      return;
    }
    const parsed = LeadBody.safeParse(req.body);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      res.status(422).json({ error: { type: 'UnprocessableEntity', message: fields } });
      return;
    }
    const { from_email, ...rest } = parsed.data.inbox_lead;
    const lead = store.transaction(() =>
      insertLead(store, { ...rest, ...(from_email ? { from_email } : {}) }, 'untriaged'),
    );
    state.emitChange('inbox_leads', 'created', lead);
    res.status(201).json({ data: leadView(lead) });
  });

  router.get('/inbox_leads', growBearer(state), (req, res) => {
    const wanted = typeof req.query.state === 'string' ? req.query.state : undefined;
    if (wanted !== undefined && !(LEAD_STATES as readonly string[]).includes(wanted)) {
      res
        .status(400)
        .json({ error: { type: 'BadRequest', message: `state must be one of ${LEAD_STATES.join(', ')}` } });
      return;
    }
    res.json(
      listPage(
        req,
        store,
        'inbox_leads',
        wanted ? [{ path: '$.state', op: '=', value: wanted }] : [],
        leadView,
      ),
    );
  });

  router.get('/inbox_leads/:id', growBearer(state), (req, res) => {
    const lead = store.get('inbox_leads', Number(req.params.id));
    if (!lead) {
      res.status(404).json({ error: { type: 'RecordNotFound', message: 'Inbox lead could not be found' } });
      return;
    }
    res.json({ data: leadView(lead) });
  });
  return router;
}
