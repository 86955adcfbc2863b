import { generateDraftBill } from '../../../src/sandboxes/clio/logic/generate-bill';
import { startSandbox, type Harness, type Json } from './helpers';
import { OpenApiValidator } from './openapi-validator';

/**
 * Every covered operation's answers are validated against the response schemas in Clio's OpenAPI
 * document. A failure here is a sandbox bug: fix the sandbox, never the check.
 * (401 answers are the one exception: Clio sends OAuth-style bodies for token errors, as its support
 * article shows, while the document declares its generic Error; see oauth.test.ts.)
 */
let h: Harness;
const spec = new OpenApiValidator();
beforeAll(async () => {
  h = await startSandbox();
});
afterAll(() => h.sandbox.close());

/** Calls the sandbox and validates the answer against the spec operation; returns the body. */
async function op(
  specPath: string,
  method: string,
  url: string,
  init: { json?: unknown; headers?: Record<string, string>; expect?: number } = {},
): Promise<Json> {
  const res = await h.api(url, { method, json: init.json, headers: init.headers, redirect: 'manual' });
  const text = await res.text();
  const body = text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined;
  expect({ url, status: res.status, body: res.status >= 400 ? body : undefined }).toMatchObject({
    status: init.expect ?? expect.any(Number),
  });
  expect(spec.validate(specPath, method, res.status, body)).toEqual([]);
  return body;
}

const all = (schema: string): string => `fields=${encodeURIComponent(spec.allFields(schema))}`;

describe('contract: answers match clio-openapi-v4.json', () => {
  it('users, practice areas, UTBMS, activity descriptions', async () => {
    await op('/users.json', 'GET', `/api/v4/users.json?${all('User')}`, { expect: 200 });
    const me = await op('/users/who_am_i.json', 'GET', `/api/v4/users/who_am_i.json?${all('User')}`, {
      expect: 200,
    });
    await op('/users/{id}.json', 'GET', `/api/v4/users/${me.data.id}.json?${all('User')}`, { expect: 200 });
    await op('/utbms/codes.json', 'GET', `/api/v4/utbms/codes.json?${all('UtbmsCode')}`, { expect: 200 });
    await op('/utbms/sets.json', 'GET', `/api/v4/utbms/sets.json?${all('UtbmsSet')}`, { expect: 200 });
    await op(
      '/activity_descriptions.json',
      'GET',
      `/api/v4/activity_descriptions.json?${all('ActivityDescription')}`,
      { expect: 200 },
    );
    const pa = await op(
      '/practice_areas.json',
      'POST',
      `/api/v4/practice_areas.json?${all('PracticeArea')}`,
      { json: { data: { name: 'Tax', code: 'TAX', category: 'tax' } }, expect: 201 },
    );
    await op('/practice_areas.json', 'GET', `/api/v4/practice_areas.json?${all('PracticeArea')}`, {
      expect: 200,
    });
    await op(
      '/practice_areas/{id}.json',
      'PATCH',
      `/api/v4/practice_areas/${pa.data.id}.json?${all('PracticeArea')}`,
      { json: { data: { name: 'Taxation' } }, expect: 200 },
    );
    await op('/practice_areas/{id}.json', 'DELETE', `/api/v4/practice_areas/${pa.data.id}.json`, {
      expect: 204,
    });
  });

  it('contacts and matters with custom field values', async () => {
    const contact = await op('/contacts.json', 'POST', `/api/v4/contacts.json?${all('Contact')}`, {
      json: {
        data: {
          type: 'Person',
          first_name: 'Ada',
          last_name: 'Lovelace',
          email_addresses: [{ name: 'Work', address: 'ada@example.com', default_email: true }],
          phone_numbers: [{ name: 'Mobile', number: '555-0100', default_number: true }],
          addresses: [
            { name: 'Home', street: '1 Analytical Way', city: 'London', postal_code: 'N1', country: 'GB' },
          ],
        },
      },
      expect: 201,
    });
    const phones = await op(
      '/contacts/{id}.json',
      'GET',
      `/api/v4/contacts/${contact.data.id}.json?fields=name,phone_numbers{name,number,primary}`,
      { expect: 200 },
    );
    expect(phones.data).toEqual({
      name: 'Ada Lovelace',
      phone_numbers: [{ name: 'Personal', number: '555-0100', primary: true }],
    });
    await op('/contacts.json', 'GET', `/api/v4/contacts.json?limit=20&${all('Contact')}`, { expect: 200 });
    await op('/contacts/{id}.json', 'PATCH', `/api/v4/contacts/${contact.data.id}.json?${all('Contact')}`, {
      json: { data: { title: 'Countess' } },
      expect: 200,
    });
    await op('/contacts.json', 'POST', '/api/v4/contacts.json', {
      json: { data: { type: 'Person' } },
      expect: 422,
    });
    const fields = await op(
      '/custom_fields.json',
      'GET',
      `/api/v4/custom_fields.json?parent_type=matter&${all('CustomField')}`,
      { expect: 200 },
    );
    const text = fields.data.find((f: Json) => f.field_type === 'text_line');
    const pick = fields.data.find((f: Json) => f.field_type === 'picklist');
    const matter = await op('/matters.json', 'POST', `/api/v4/matters.json?${all('Matter')}`, {
      json: {
        data: {
          description: 'Contract dispute',
          client: { id: contact.data.id },
          status: 'open',
          custom_field_values: [
            { custom_field: { id: text.id }, value: 'WS-1' },
            { custom_field: { id: pick.id }, value: String(pick.picklist_options[0].id) },
          ],
        },
      },
      expect: 201,
    });
    expect(matter.data.status).toBe('Open');
    const values = (
      await op(
        '/matters/{id}.json',
        'GET',
        `/api/v4/matters/${matter.data.id}.json?fields=custom_field_values{id,field_type,value}`,
        { expect: 200 },
      )
    ).data.custom_field_values;
    const cfv = values.find((v: Json) => v.field_type === 'text_line');
    expect(cfv.id).toMatch(/^text_line-\d+$/);
    const patched = await op(
      '/matters/{id}.json',
      'PATCH',
      `/api/v4/matters/${matter.data.id}.json?${all('Matter')}`,
      {
        json: {
          data: {
            status: 'closed',
            custom_field_values: [
              { id: cfv.id, value: 'WS-2' },
              { id: values.find((v: Json) => v.field_type === 'picklist').id, _destroy: true },
            ],
          },
        },
        expect: 200,
      },
    );
    expect(patched.data.status).toBe('Closed');
    const after = await op(
      '/matters/{id}.json',
      'GET',
      `/api/v4/matters/${matter.data.id}.json?fields=close_date,custom_field_values{id,value}`,
      { expect: 200 },
    );
    expect(after.data).toEqual({
      close_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      custom_field_values: [{ id: cfv.id, value: 'WS-2' }],
    });
    await op('/matters/{id}.json', 'PATCH', `/api/v4/matters/${matter.data.id}.json`, {
      json: { data: { custom_field_values: [{ id: String(text.id), value: 'x' }] } },
      expect: 422,
    });
    await op('/matters/{id}.json', 'GET', `/api/v4/matters/${matter.data.id}.json?${all('Matter')}`, {
      expect: 200,
    });
    await op('/matters.json', 'GET', `/api/v4/matters.json?limit=50&${all('Matter')}`, { expect: 200 });
    await op('/matters.json', 'GET', '/api/v4/matters.json?fields=nope', { expect: 400 });
    await op('/matters/{id}.json', 'GET', '/api/v4/matters/1.json', { expect: 404 });
    await op('/matters/{id}.json', 'PATCH', `/api/v4/matters/${matter.data.id}.json`, {
      json: { data: { description: 'x' } },
      headers: { 'If-Match': '"stale"' },
      expect: 412,
    });
    await op('/matters/{id}.json', 'DELETE', `/api/v4/matters/${matter.data.id}.json`, { expect: 204 });
    await op('/contacts/{id}.json', 'DELETE', `/api/v4/contacts/${contact.data.id}.json`, { expect: 204 });
  });

  it('activities, bills, line items, billable matters', async () => {
    const created = await op('/activities.json', 'POST', `/api/v4/activities.json?${all('Activity')}`, {
      json: {
        data: {
          type: 'TimeEntry',
          date: '2026-11-02',
          quantity: 900,
          note: 'contract',
          matter: { id: 9800003 },
        },
      },
      expect: 201,
    });
    await op('/activities.json', 'POST', `/api/v4/activities.json?${all('Activity')}`, {
      json: {
        data: {
          type: 'ExpenseEntry',
          date: '2026-11-02',
          price: 12.5,
          quantity: 2,
          note: 'Courier',
          matter: { id: 9800003 },
        },
      },
      expect: 201,
    });
    await op('/activities.json', 'GET', `/api/v4/activities.json?matter_id=9800003&${all('Activity')}`, {
      expect: 200,
    });
    await op(
      '/activities/{id}.json',
      'PATCH',
      `/api/v4/activities/${created.data.id}.json?${all('Activity')}`,
      { json: { data: { note: 'changed' } }, expect: 200 },
    );
    await op('/activities.json', 'POST', '/api/v4/activities.json', {
      json: { data: { type: 'TimeEntry' } },
      expect: 422,
    });
    await op(
      '/billable_matters.json',
      'GET',
      `/api/v4/billable_matters.json?limit=20&${all('BillableMatter')}`,
      { expect: 200 },
    );
    const { state } = h.sandbox;
    const bill = state.store.transaction(() =>
      generateDraftBill(state.store, {
        matterId: 9800003,
        issuedAt: '2026-11-05',
        dueAt: '2026-12-05',
        userId: state.settings().token_user_id,
      }),
    )!;
    await op('/bills.json', 'GET', `/api/v4/bills.json?${all('Bill')}`, { expect: 200 });
    await op('/bills/{id}.json', 'GET', `/api/v4/bills/${bill.id}.json?${all('Bill')}`, { expect: 200 });
    const items = await op(
      '/line_items.json',
      'GET',
      `/api/v4/line_items.json?bill_id=${bill.id}&${all('LineItem')}`,
      { expect: 200 },
    );
    await op(
      '/line_items/{id}.json',
      'PATCH',
      `/api/v4/line_items/${items.data[0].id}.json?${all('LineItem')}`,
      { json: { data: { note: 'edited' } }, expect: 200 },
    );
    await op('/activities/{id}.json', 'DELETE', `/api/v4/activities/${created.data.id}.json`, {
      expect: 403,
    });
    await op('/bills/{id}.json', 'PATCH', `/api/v4/bills/${bill.id}.json`, {
      json: { data: { state: 'paid' } },
      expect: 422,
    });
    const issued = await op('/bills/{id}.json', 'PATCH', `/api/v4/bills/${bill.id}.json?${all('Bill')}`, {
      json: { data: { state: 'awaiting_payment' } },
      expect: 200,
    });
    expect(issued.data.available_state_transitions).toEqual(['paid', 'void']);
    await op('/bills/{id}.json', 'DELETE', `/api/v4/bills/${bill.id}.json`, { expect: 204 });
    const voided = await op('/bills/{id}.json', 'GET', `/api/v4/bills/${bill.id}.json?fields=state`, {
      expect: 200,
    });
    expect(voided.data.state).toBe('void');
    const released = await op(
      '/activities/{id}.json',
      'GET',
      `/api/v4/activities/${created.data.id}.json?fields=billed,on_bill`,
      { expect: 200 },
    );
    expect(released.data).toEqual({ billed: false, on_bill: false });
  });

  it('bank accounts, transactions, trust line items', async () => {
    await op('/bank_accounts.json', 'GET', `/api/v4/bank_accounts.json?${all('BankAccount')}`, {
      expect: 200,
    });
    const acct = await op('/bank_accounts.json', 'POST', `/api/v4/bank_accounts.json?${all('BankAccount')}`, {
      json: { data: { type: 'Trust', currency: 'USD', name: 'Second Trust' } },
      expect: 201,
    });
    await op(
      '/bank_accounts/{id}.json',
      'PATCH',
      `/api/v4/bank_accounts/${acct.data.id}.json?${all('BankAccount')}`,
      { json: { data: { institution: 'Bank Two' } }, expect: 200 },
    );
    const tx = await op(
      '/bank_transactions.json',
      'GET',
      `/api/v4/bank_transactions.json?type=liability&${all('BankTransaction')}`,
      { expect: 200 },
    );
    expect(tx.data.length).toBe(200);
    await op(
      '/bank_transactions/{id}.json',
      'GET',
      `/api/v4/bank_transactions/${tx.data[0].id}.json?${all('BankTransaction')}`,
      { expect: 200 },
    );
    await op('/trust_line_items.json', 'GET', `/api/v4/trust_line_items.json?${all('TrustLineItem')}`, {
      expect: 200,
    });
  });

  it('calendars, calendar entries, reminders, tasks, notes, communications', async () => {
    const cals = await op('/calendars.json', 'GET', `/api/v4/calendars.json?${all('Calendar')}`, {
      expect: 200,
    });
    await op('/calendars.json', 'POST', `/api/v4/calendars.json?${all('Calendar')}`, {
      json: { data: { name: 'Trial team' } },
      expect: 201,
    });
    const entry = await op(
      '/calendar_entries.json',
      'POST',
      `/api/v4/calendar_entries.json?${all('CalendarEntry')}`,
      {
        json: {
          data: {
            summary: 'Hearing',
            start_at: '2026-12-01T15:00:00Z',
            end_at: '2026-12-01T16:00:00Z',
            calendar_owner: { id: cals.data[0].id },
            matter: { id: 9800001 },
            attendees: [
              { id: cals.data[1].id, type: 'Calendar' },
              { id: 1200001, type: 'Contact' },
            ],
            external_properties: [{ name: 'docket_id', value: 'D-1' }],
          },
        },
        expect: 201,
      },
    );
    expect(typeof entry.data.id).toBe('string');
    await op(
      '/calendar_entries.json',
      'GET',
      `/api/v4/calendar_entries.json?external_property_name=docket_id&external_property_value=D-1&${all('CalendarEntry')}`,
      { expect: 200 },
    );
    await op(
      '/calendar_entries/{id}.json',
      'PATCH',
      `/api/v4/calendar_entries/${entry.data.id}.json?${all('CalendarEntry')}`,
      { json: { data: { location: 'Courtroom 5' } }, expect: 200 },
    );
    const reminder = await op('/reminders.json', 'POST', `/api/v4/reminders.json?${all('Reminder')}`, {
      json: {
        data: {
          subject: { id: Number(entry.data.id), type: 'CalendarEntry' },
          notification_method: { id: 1 },
          duration_value: 1,
          duration_unit: 'days',
        },
      },
      expect: 201,
    });
    expect(reminder.data).toMatchObject({ duration: 1440, next_delivery_at: '2026-11-30T15:00:00.000Z' });
    await op('/reminders.json', 'GET', `/api/v4/reminders.json?${all('Reminder')}`, { expect: 200 });
    const task = await op('/tasks.json', 'POST', `/api/v4/tasks.json?${all('Task')}`, {
      json: {
        data: {
          name: 'File answer',
          description: 'Due in 21 days',
          assignee: { id: 345001, type: 'User' },
          due_at: '2026-12-10',
          matter: { id: 9800001 },
        },
      },
      expect: 201,
    });
    await op('/tasks/{id}.json', 'PATCH', `/api/v4/tasks/${task.data.id}.json?${all('Task')}`, {
      json: { data: { status: 'complete' } },
      expect: 200,
    });
    await op(
      '/tasks.json',
      'GET',
      `/api/v4/tasks.json?assignee_id=345001&assignee_type=user&${all('Task')}`,
      { expect: 200 },
    );
    const note = await op('/notes.json', 'POST', `/api/v4/notes.json?${all('Note')}`, {
      json: { data: { type: 'Matter', matter: { id: 9800001 }, subject: 'Call', detail: 'Discussed' } },
      expect: 201,
    });
    await op('/notes.json', 'GET', `/api/v4/notes.json?type=Matter&${all('Note')}`, { expect: 200 });
    await op('/notes.json', 'GET', '/api/v4/notes.json', { expect: 400 });
    await op('/notes/{id}.json', 'DELETE', `/api/v4/notes/${note.data.id}.json`, { expect: 204 });
    const comm = await op(
      '/communications.json',
      'POST',
      `/api/v4/communications.json?${all('Communication')}`,
      {
        json: {
          data: {
            type: 'EmailCommunication',
            subject: 'Bill sent',
            body: 'Invoice attached',
            matter: { id: 9800001 },
            receivers: [{ id: 1200001, type: 'Contact' }],
          },
        },
        expect: 201,
      },
    );
    await op(
      '/communications/{id}.json',
      'GET',
      `/api/v4/communications/${comm.data.id}.json?${all('Communication')}`,
      { expect: 200 },
    );
    await op('/communications.json', 'GET', `/api/v4/communications.json?${all('Communication')}`, {
      expect: 200,
    });
    await op('/calendar_entries/{id}.json', 'DELETE', `/api/v4/calendar_entries/${entry.data.id}.json`, {
      expect: 204,
    });
  });

  it('folders and the three-step document upload', async () => {
    const folder = await op('/folders.json', 'POST', `/api/v4/folders.json?${all('Folder')}`, {
      json: { data: { name: 'Pleadings', parent: { id: 9800001, type: 'Matter' } } },
      expect: 201,
    });
    const created = await op(
      '/documents.json',
      'POST',
      '/api/v4/documents.json?fields=id,latest_document_version{uuid,put_url,put_headers}',
      { json: { data: { name: 'answer.pdf', parent: { id: folder.data.id, type: 'Folder' } } }, expect: 201 },
    );
    const version = created.data.latest_document_version;
    const headers = Object.fromEntries(version.put_headers.map((x: Json) => [x.name, x.value]));
    const put = await fetch(version.put_url, {
      method: 'PUT',
      headers,
      body: Buffer.from('%PDF-1.4 sandbox'),
    });
    expect(put.status).toBe(200);
    await op(
      '/documents/{id}.json',
      'PATCH',
      `/api/v4/documents/${created.data.id}.json?${all('Document')}`,
      { json: { data: { uuid: version.uuid, fully_uploaded: true } }, expect: 200 },
    );
    await op('/documents.json', 'GET', `/api/v4/documents.json?matter_id=9800001&${all('Document')}`, {
      expect: 200,
    });
    await op(
      '/documents/{id}/versions.json',
      'GET',
      `/api/v4/documents/${created.data.id}/versions.json?${all('DocumentVersion')}`,
      { expect: 200 },
    );
    await op('/folders.json', 'GET', `/api/v4/folders.json?${all('Folder')}`, { expect: 200 });
    await op('/folders/{id}.json', 'DELETE', `/api/v4/folders/${folder.data.id}.json`, { expect: 409 });
    const download = await h.api(`/api/v4/documents/${created.data.id}/download.json`, {
      redirect: 'manual',
    });
    expect(download.status).toBe(303);
    expect(await (await fetch(download.headers.get('location')!)).text()).toBe('%PDF-1.4 sandbox');
  });

  it('webhooks and reports', async () => {
    const hook = await op('/webhooks.json', 'POST', `/api/v4/webhooks.json?${all('Webhook')}`, {
      json: {
        data: {
          url: 'https://example.invalid/hook',
          model: 'matter',
          events: ['created', 'updated'],
          fields: 'id,display_number',
        },
      },
      expect: 201,
    });
    expect(hook.data.status).toBe('pending');
    await op('/webhooks.json', 'GET', `/api/v4/webhooks.json?${all('Webhook')}`, { expect: 200 });
    await op('/webhooks/{id}.json', 'PATCH', `/api/v4/webhooks/${hook.data.id}.json?${all('Webhook')}`, {
      json: { data: { events: ['deleted'] } },
      expect: 200,
    });
    await op('/webhooks.json', 'POST', '/api/v4/webhooks.json', {
      json: { data: { url: 'ftp://x', model: 'matter', events: ['created'], fields: 'id' } },
      expect: 422,
    });
    await op('/webhooks/{id}.json', 'DELETE', `/api/v4/webhooks/${hook.data.id}.json`, { expect: 204 });
    const report = await op('/reports.json', 'POST', `/api/v4/reports.json?${all('Report')}`, {
      json: { data: { kind: 'work_in_progress', format: 'csv' } },
      expect: 201,
    });
    await new Promise((r) => setTimeout(r, 700));
    const done = await op(
      '/reports/{id}.json',
      'GET',
      `/api/v4/reports/${report.data.id}.json?${all('Report')}`,
      { expect: 200 },
    );
    expect(done.data).toMatchObject({ state: 'completed', progress: 100 });
    await op('/reports/{id}/download.json', 'GET', `/api/v4/reports/${report.data.id}/download.json`, {
      expect: 303,
    });
    await op('/reports.json', 'GET', `/api/v4/reports.json?${all('Report')}`, { expect: 200 });
  });

  it('nested views: the client of a matter, the emails and phones of a contact', async () => {
    await op(
      '/matters/{matter_id}/client.json',
      'GET',
      `/api/v4/matters/9800001/client.json?${all('Client')}`,
      { expect: 200 },
    );
    await op(
      '/contacts/{contact_id}/email_addresses.json',
      'GET',
      `/api/v4/contacts/1200001/email_addresses.json?${all('EmailAddress')}`,
      { expect: 200 },
    );
    await op(
      '/contacts/{contact_id}/phone_numbers.json',
      'GET',
      `/api/v4/contacts/1200001/phone_numbers.json?${all('PhoneNumber')}`,
      { expect: 200 },
    );
  });

  it('rate-limited answers match the spec too', async () => {
    await fetch(`${h.base}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ rateLimitPerMinute: 1 }),
    });
    await h.api('/api/v4/matters.json');
    await op('/matters.json', 'GET', '/api/v4/matters.json', { expect: 429 });
    await fetch(`${h.base}/_sandbox/reset`, { method: 'POST' });
  });
});
