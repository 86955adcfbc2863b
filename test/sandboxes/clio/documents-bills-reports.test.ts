import { generateDraftBill } from '../../../src/sandboxes/clio/logic/generate-bill';
import { startSandbox, type Harness, type Json } from './helpers';

let h: Harness;
beforeAll(async () => {
  h = await startSandbox();
});
afterAll(() => h.sandbox.close());

async function newDocument(name: string): Promise<Json> {
  const res = await h.call(
    '/api/v4/documents.json?fields=id,latest_document_version{uuid,put_url,put_headers}',
    { method: 'POST', json: { data: { name, parent: { id: 9800002, type: 'Matter' } } } },
  );
  expect(res.status).toBe(201);
  return res.body.data;
}

describe('documents', () => {
  it('when fully_uploaded is claimed before the bytes arrive, then UploadNotFoundError and the document stays incomplete', async () => {
    const doc = await newDocument('early.pdf');
    const res = await h.call(`/api/v4/documents/${doc.id}.json`, {
      method: 'PATCH',
      json: { data: { uuid: doc.latest_document_version.uuid, fully_uploaded: true } },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.type).toBe('UploadNotFoundError');
    const listed = await h.call('/api/v4/documents.json?matter_id=9800002&fields=id');
    expect(listed.body.data.map((d: Json) => d.id)).not.toContain(doc.id);
  });

  it('when the put_url signature is altered or the put_headers are missing, then the storage refuses', async () => {
    const doc = await newDocument('tamper.pdf');
    const url = String(doc.latest_document_version.put_url).replace(/signature=[0-9a-f]/, 'signature=z');
    expect((await fetch(url, { method: 'PUT', body: 'x' })).status).toBe(403);
    expect((await fetch(doc.latest_document_version.put_url, { method: 'PUT', body: 'x' })).status).toBe(400);
  });

  it('when a new version is posted with a Document parent, then the document gains version 2', async () => {
    const doc = await newDocument('v.txt');
    const upload = async (v: Json, text: string): Promise<void> => {
      const headers = Object.fromEntries(v.put_headers.map((x: Json) => [x.name, x.value]));
      expect((await fetch(v.put_url, { method: 'PUT', headers, body: text })).status).toBe(200);
      expect(
        (
          await h.call(`/api/v4/documents/${doc.id}`, {
            method: 'PATCH',
            json: { data: { uuid: v.uuid, fully_uploaded: true } },
          })
        ).status,
      ).toBe(200);
    };
    await upload(doc.latest_document_version, 'one');
    const v2 = await h.call('/api/v4/documents.json?fields=id,pending_version', {
      method: 'POST',
      json: { data: { name: 'v.txt', parent: { id: doc.id, type: 'Document' } } },
    });
    expect(v2.status).toBe(400);
    const again = await h.call('/api/v4/documents.json?fields=id', {
      method: 'POST',
      json: { data: { name: 'v.txt', parent: { id: doc.id, type: 'Document' } } },
    });
    expect(again.body.data.id).toBe(doc.id);
    const pending = h.sandbox.state.store
      .list('document_versions', { where: [{ path: '$.document_id', op: '=', value: doc.id }] })
      .find((v) => v.version_number === 2)!;
    await upload(pending, 'two');
    const versions = await h.call(`/api/v4/documents/${doc.id}/versions.json?fields=version_number,size`);
    expect(versions.body.data).toEqual([
      { version_number: 1, size: 3 },
      { version_number: 2, size: 3 },
    ]);
    const dl = await h.api(`/api/v4/documents/${doc.id}/download`, { redirect: 'manual' });
    expect(await (await fetch(dl.headers.get('location')!)).text()).toBe('two');
  });
});

describe('bills', () => {
  it('when a draft is approved, issued, paid, then the activities follow; a paid bill cannot be deleted', async () => {
    const { state } = h.sandbox;
    const bill = state.store.transaction(() =>
      generateDraftBill(state.store, {
        matterId: 9800010,
        issuedAt: '2026-11-05',
        dueAt: '2026-12-05',
        userId: 345001,
      }),
    )!;
    // Non-billable entries never go on a bill.
    const acts = async (): Promise<Json[]> =>
      (
        (
          await h.call(
            `/api/v4/activities.json?matter_id=9800010&fields=id,on_bill,billed,bill,non_billable&limit=200`,
          )
        ).body.data as Json[]
      ).filter((a) => !a.non_billable);
    expect(
      (await acts()).every((a) => a.on_bill === true && a.billed === false && a.bill.id === bill.id),
    ).toBe(true);
    const drafts = await h.call('/api/v4/activities.json?matter_id=9800010&status=draft&fields=id&limit=200');
    expect(drafts.body.data).toHaveLength((await acts()).length);
    expect((await h.call('/api/v4/activities.json?status=bogus')).status).toBe(400);
    const shown = await h.call(
      `/api/v4/bills/${bill.id}?fields=state,total,balance,available_state_transitions,matters{display_number}`,
    );
    expect(shown.body.data).toMatchObject({
      state: 'draft',
      available_state_transitions: ['awaiting_approval', 'awaiting_payment', 'deleted'],
    });
    expect(shown.body.data.total).toBeGreaterThan(0);
    for (const s of ['awaiting_approval', 'awaiting_payment'])
      expect(
        (await h.call(`/api/v4/bills/${bill.id}`, { method: 'PATCH', json: { data: { state: s } } })).status,
      ).toBe(200);
    expect((await acts()).every((a) => a.billed === true)).toBe(true);
    expect(
      (
        await h.call(`/api/v4/activities/${(await acts())[0].id}`, {
          method: 'PATCH',
          json: { data: { note: 'late edit' } },
        })
      ).status,
    ).toBe(422);
    const paid = await h.call(`/api/v4/bills/${bill.id}?fields=state,balance,paid`, {
      method: 'PATCH',
      json: { data: { state: 'paid' } },
    });
    expect(paid.body.data).toMatchObject({ state: 'paid', balance: 0, paid: shown.body.data.total });
    expect((await h.call(`/api/v4/bills/${bill.id}`, { method: 'DELETE' })).status).toBe(403);
    expect(
      (await h.call(`/api/v4/bills/${bill.id}`, { method: 'PATCH', json: { data: { state: 'draft' } } }))
        .status,
    ).toBe(422);
  });

  it('when a bill has payments, is void or was deleted, then DELETE is refused, and a partly paid bill cannot be voided', async () => {
    const list = async (state: string) =>
      (await h.call(`/api/v4/bills.json?state=${state}&fields=id,state,paid&limit=200`)).body.data as Json[];
    const voided = (await list('void'))[0];
    expect(voided).toBeDefined();
    expect((await h.call(`/api/v4/bills/${voided.id}`, { method: 'DELETE' })).status).toBe(403);
    const unpaid = (await list('awaiting_payment')).find((b) => !b.paid);
    expect(unpaid).toBeDefined();
    h.sandbox.state.store.update('bills', unpaid.id, { paid: 1000 });
    const refused = await h.call(`/api/v4/bills/${unpaid.id}`, { method: 'DELETE' });
    expect(refused.status).toBe(403);
    const voiding = await h.call(`/api/v4/bills/${unpaid.id}`, {
      method: 'PATCH',
      json: { data: { state: 'void' } },
    });
    expect(voiding.status).toBe(422);
    expect((await h.call(`/api/v4/bills/${unpaid.id}?fields=state`)).body.data.state).toBe(
      'awaiting_payment',
    );
  });

  it('when a draft is deleted, then its activities are unbilled again', async () => {
    const { state } = h.sandbox;
    const bill = state.store.transaction(() =>
      generateDraftBill(state.store, {
        matterId: 9800011,
        issuedAt: '2026-11-05',
        dueAt: '2026-12-05',
        userId: 345001,
      }),
    )!;
    const onThisBill = async () =>
      (
        (await h.call('/api/v4/activities.json?matter_id=9800011&fields=id,on_bill,bill&limit=200')).body
          .data as Json[]
      ).filter((a) => a.bill?.id === bill.id);
    const billedIds = (await onThisBill()).map((a) => a.id);
    expect(billedIds.length).toBeGreaterThan(0);
    const preview = await h.api(`/api/v4/bills/${bill.id}/preview.json`);
    expect(preview.headers.get('content-type')).toMatch(/text\/html/);
    expect(await preview.text()).toContain('DRAFT');
    expect((await h.call(`/api/v4/bills/${bill.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await h.call(`/api/v4/bills/${bill.id}?fields=state`)).body.data.state).toBe('deleted');
    // The seeded firm billed this matter before (an issued bill keeps its own activities); this bill's are free.
    const acts = (await h.call('/api/v4/activities.json?matter_id=9800011&fields=id,on_bill,bill&limit=200'))
      .body.data as Json[];
    const released = acts.filter((a) => billedIds.includes(a.id));
    expect(released).toHaveLength(billedIds.length);
    expect(released.every((a) => a.on_bill === false && !a.bill)).toBe(true);
    const billable = (
      await h.call('/api/v4/billable_matters.json?matter_id=9800011&fields=id,unbilled_amount')
    ).body.data;
    expect(billable).toHaveLength(1);
  });
});

describe('reports', () => {
  it('when a report is polled, then it moves queued → in_progress → completed and downloads as CSV', async () => {
    const created = await h.call('/api/v4/reports.json?fields=id,state,progress', {
      method: 'POST',
      json: { data: { kind: 'trust_listing', format: 'csv' } },
    });
    expect(created.body.data).toMatchObject({ state: 'queued', progress: 0 });
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const r = await h.call(`/api/v4/reports/${created.body.data.id}.json?fields=state,progress`);
      seen.add(r.body.data.state);
      if (r.body.data.state === 'completed') break;
      await new Promise((res) => setTimeout(res, 50));
    }
    expect([...seen]).toEqual(expect.arrayContaining(['in_progress', 'completed']));
    const dl = await h.api(`/api/v4/reports/${created.body.data.id}/download.json`, { redirect: 'manual' });
    expect(dl.status).toBe(303);
    const csv = await (await fetch(dl.headers.get('location')!)).text();
    expect(csv.split('\n')[0]).toBe('date,client_id,matter_id,description,funds_in,funds_out');
    expect(csv.split('\n')).toHaveLength(201);
  });
});
