import PDFDocument from 'pdfkit';
import type { Doc, RecordStore } from '../../state/record-store';
import { refId } from './trust-ledger';

const money = (cents: unknown): string =>
  `$${(Number(cents ?? 0) / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const text = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

/**
 * The bill as Clio prints it: firm, client, matter, line items and totals. Drafts carry a DRAFT
 * watermark, as Clio's do. Fixed creation date and no compression, so the same bill gives the same file.
 */
export function renderBillPdf(store: RecordStore, bill: Doc, firmName: string): Promise<Buffer> {
  const client = store.get('contacts', refId(bill.client) ?? 0);
  const matter = store.get('matters', refId((bill.matters as unknown[] | undefined)?.[0]) ?? 0);
  const items = store.list('line_items', { where: [{ path: '$.bill.id', op: '=', value: bill.id }] });
  const doc = new PDFDocument({
    size: 'LETTER',
    margin: 54,
    compress: false,
    info: {
      Title: `Invoice ${text(bill.number)}`,
      Author: firmName,
      CreationDate: new Date('2026-01-01T00:00:00Z'),
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  if (bill.state === 'draft')
    doc
      .save()
      .fontSize(96)
      .fillColor('#dddddd')
      .rotate(-30, { origin: [300, 400] })
      .text('DRAFT', 130, 350)
      .restore()
      .fillColor('black');
  doc.fontSize(18).text(firmName).moveDown(0.3);
  doc.fontSize(14).text(`Invoice ${text(bill.number)}`);
  doc
    .fontSize(10)
    .text(
      `Issued ${text(bill.issued_at)} · Due ${text(bill.due_at)} · Period ${text(bill.start_at)} to ${text(bill.end_at)}`,
    )
    .moveDown();
  doc.text(`Bill to: ${text(client?.name)}`);
  doc.text(`Matter: ${text(matter?.display_number)} ${text(matter?.description)}`).moveDown();
  doc
    .font('Helvetica-Bold')
    .text('Date        Hours/Qty   Rate        Amount      Description')
    .font('Helvetica');
  for (const item of items) {
    const row = `${text(item.date).padEnd(12)}${text(item.quantity).padEnd(12)}${money(item.price).padEnd(12)}${money(item.total).padEnd(12)}${text(item.description)}`;
    doc.text(row);
  }
  doc.moveDown();
  doc.text(`Subtotal: ${money(bill.sub_total)}`, { align: 'right' });
  doc.text(`Tax (${text(bill.tax_rate)}%): ${money(bill.tax_sum)}`, { align: 'right' });
  doc.text(`Secondary tax (${text(bill.secondary_tax_rate)}%): ${money(bill.secondary_tax_sum)}`, {
    align: 'right',
  });
  doc.font('Helvetica-Bold').text(`Total: ${money(bill.total)}`, { align: 'right' });
  doc
    .text(`Paid: ${money(bill.paid)}   Balance due: ${money(bill.balance)}`, { align: 'right' })
    .font('Helvetica');
  doc.end();
  return done;
}
