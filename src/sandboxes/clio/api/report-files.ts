import { asText } from '../http/query-value';
import type { Doc, RecordStore } from '../state/record-store';

interface ReportParams {
  kind: string;
  format: 'csv' | 'json' | 'html';
  start_date?: string;
  end_date?: string;
  matter?: { id: number };
  client?: { id: number };
}

const cents = (n: unknown): string => (Number(n) / 100).toFixed(2);
const csvCell = (v: unknown): string => {
  const s = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const escapeHtml = (s: string): string =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);

/** The rows of a report kind, computed from the store at completion time. */
function rows(store: RecordStore, p: ReportParams): { header: string[]; rows: string[][] } {
  const inRange = (d: unknown): boolean =>
    (!p.start_date || String(d) >= p.start_date) && (!p.end_date || String(d) <= p.end_date);
  if (p.kind === 'trust_ledger' || p.kind === 'trust_listing' || p.kind === 'client_ledger') {
    const trust = new Set(
      store
        .list('bank_accounts')
        .filter((a) => a.type === 'Trust')
        .map((a) => a.id),
    );
    const tx = store
      .list('bank_transactions')
      .filter((t) => trust.has(Number(t.bank_account_id)) && inRange(t.date))
      .filter(
        (t) =>
          (!p.matter || (t.matter as Doc | undefined)?.id === p.matter.id) &&
          (!p.client || (t.client as Doc | undefined)?.id === p.client.id),
      );
    return {
      header: ['date', 'client_id', 'matter_id', 'description', 'funds_in', 'funds_out'],
      rows: tx.map((t) => [
        String(t.date),
        String((t.client as Doc | undefined)?.id ?? ''),
        String((t.matter as Doc | undefined)?.id ?? ''),
        asText(t.description),
        cents(t.funds_in),
        cents(t.funds_out),
      ]),
    };
  }
  if (p.kind === 'billing_history' || p.kind === 'accounts_receivable' || p.kind === 'revenue') {
    const bills = store
      .list('bills')
      .filter(
        (b) => inRange(b.issued_at) && (p.kind !== 'accounts_receivable' || b.state === 'awaiting_payment'),
      );
    return {
      header: ['number', 'issued_at', 'state', 'total', 'balance'],
      rows: bills.map((b) => [
        String(b.number),
        asText(b.issued_at),
        String(b.state),
        cents(b.total),
        cents(b.balance),
      ]),
    };
  }
  // work_in_progress, matter, productivity_by_user: unbilled (or all) time by matter and user.
  const where = p.matter ? [{ path: '$.matter.id', op: '=' as const, value: p.matter.id }] : [];
  const totals = new Map<string, { seconds: number; cents: number }>();
  for (const a of store.list('activities', { where })) {
    if (!inRange(a.date) || (p.kind === 'work_in_progress' && a.on_bill === true)) continue;
    const key = `${String((a.matter as Doc | undefined)?.id ?? '')},${String((a.user as Doc | undefined)?.id ?? '')}`;
    const t = totals.get(key) ?? { seconds: 0, cents: 0 };
    t.seconds += Number(a.rounded_quantity ?? 0);
    t.cents += Number(a.total ?? 0);
    totals.set(key, t);
  }
  return {
    header: ['matter_id', 'user_id', 'hours', 'amount'],
    rows: [...totals].map(([k, t]) => [...k.split(','), (t.seconds / 3600).toFixed(2), cents(t.cents)]),
  };
}

export function buildReportFile(
  store: RecordStore,
  report: Doc,
): { contentType: string; body: Buffer; rows: number } {
  const p = report.parameters as ReportParams;
  const table = rows(store, p);
  if (p.format === 'json') {
    const data = table.rows.map((r) => Object.fromEntries(table.header.map((h, i) => [h, r[i]])));
    return {
      contentType: 'application/json',
      body: Buffer.from(JSON.stringify({ kind: p.kind, data })),
      rows: data.length,
    };
  }
  if (p.format === 'html') {
    const tr = (cells: string[], tag: string): string =>
      `<tr>${cells.map((c) => `<${tag}>${escapeHtml(c)}</${tag}>`).join('')}</tr>`;
    const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(String(report.name))}</title></head><body><table>${tr(table.header, 'th')}${table.rows.map((r) => tr(r, 'td')).join('')}</table></body></html>`;
    return { contentType: 'text/html', body: Buffer.from(html), rows: table.rows.length };
  }
  const csv = [table.header, ...table.rows].map((r) => r.map(csvCell).join(',')).join('\n');
  return { contentType: 'text/csv', body: Buffer.from(csv), rows: table.rows.length };
}
