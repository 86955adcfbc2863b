import { Router } from 'express';
import { notFound } from '../http/errors';
import { asText } from '../http/query-value';
import type { SandboxState } from '../state/sandbox-state';

const escape = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
const money = (cents: unknown): string => `$${(Number(cents) / 100).toFixed(2)}`;

/** `GET /bills/{id}/preview`: the bill as pre-rendered HTML with its own CSS (Clio shows it in an iframe). */
export function billPreviewRouter(state: SandboxState): Router {
  const router = Router();
  router.get('/bills/:id/preview', (req, res) => {
    const bill = state.store.get('bills', Number(req.params.id));
    if (!bill) throw notFound('Bill');
    const items = state.store.list('line_items', { where: [{ path: '$.bill.id', op: '=', value: bill.id }] });
    const client = state.store.get('contacts', (bill.client as { id: number } | undefined)?.id ?? 0);
    const rows = items
      .map(
        (i) =>
          `<tr><td>${escape(asText(i.date))}</td><td>${escape(asText(i.description))}</td><td>${escape(asText(i.quantity))}</td><td>${money(i.price)}</td><td>${money(i.total)}</td></tr>`,
      )
      .join('');
    const watermark =
      bill.state === 'draft'
        ? '<p class="watermark">DRAFT</p>'
        : bill.state === 'void'
          ? '<p class="watermark">VOID</p>'
          : '';
    res.type('html')
      .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bill ${escape(asText(bill.number))}</title>
<style>body{font-family:sans-serif}table{border-collapse:collapse}td,th{padding:4px 8px;border-bottom:1px solid #ddd}.watermark{color:#c00;font-weight:bold}</style></head>
<body>${watermark}<h1>Bill ${escape(asText(bill.number))}</h1><p>${escape(asText(client?.name))}</p>
<p>Issued ${escape(asText(bill.issued_at))} · Due ${escape(asText(bill.due_at))}</p>
<table><thead><tr><th>Date</th><th>Description</th><th>Hours</th><th>Rate</th><th>Amount</th></tr></thead><tbody>${rows}</tbody></table>
<p>Total ${money(bill.total)} · Balance ${money(bill.balance)}</p></body></html>`);
  });
  return router;
}
