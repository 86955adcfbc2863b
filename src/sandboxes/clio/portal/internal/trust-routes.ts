import { z } from 'zod';
import { sessionOf } from '../session-guard';
import type { InternalRoutes } from './internal-router';
import { parseBody, parseId } from './parse-body';
import { notFound } from './portal-error';
import { clientOf, matterTrustBalance } from './trust-ledger';
import { transferTrust } from './trust-transfer';
import { transactionView } from './views';

const TransferBody = z
  .object({
    fromMatterId: z.number().int().positive(),
    toMatterId: z.number().int().positive(),
    amountCents: z.number().int().positive(),
    currency: z.literal('USD').optional(),
    description: z.string().max(500).optional(),
  })
  .strict();

/** A matter's trust balance, and trust transfers between matters of one client. */
export const trustRoutes: InternalRoutes = (router, ctx) => {
  const { store } = ctx.state;

  router.get('/matters/:id/trust', (req, res) => {
    const matter = store.get('matters', parseId(req.params.id, 'Matter'));
    if (!matter) throw notFound('Matter');
    res.json({
      matterId: matter.id,
      clientId: clientOf(matter),
      balanceCents: matterTrustBalance(store, matter.id),
      currency: 'USD',
    });
  });

  router.post('/trust_transfers', (req, res) => {
    const body = parseBody(TransferBody, req.body);
    const userId = sessionOf(res).userId;
    const done = store.transaction(() => transferTrust(store, { ...body, userId }, ctx.now()));
    res.status(201).json({
      transfer: {
        id: done.transfer.id,
        amountCents: done.transfer.amount,
        currency: 'USD',
        date: done.transfer.date,
        fromMatterId: body.fromMatterId,
        toMatterId: body.toMatterId,
      },
      transactions: done.transactions.map(transactionView),
      balances: {
        from: matterTrustBalance(store, body.fromMatterId),
        to: matterTrustBalance(store, body.toMatterId),
      },
    });
  });
};
