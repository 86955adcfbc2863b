import { generateDraftBill } from '../../../src/sandboxes/clio/logic/generate-bill';
import type { Json } from './helpers';
import { useContract } from './contract-harness';

const { op, all, harness } = useContract();

describe('contract (records and money): answers match clio-openapi-v4.json', () => {
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
          custom_rate: { type: 'HourlyRate', rates: [{ user: { id: 345001 }, rate: 500 }] },
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
      // The destroyed picklist value and the two displayed fields never filled are listed with null ids.
      custom_field_values: [{ id: cfv.id, value: 'WS-2' }, { id: null }, { id: null }, { id: null }],
    });
    await op('/matters/{id}.json', 'PATCH', `/api/v4/matters/${matter.data.id}.json`, {
      json: { data: { custom_field_values: [{ id: String(text.id), value: 'x' }] } },
      expect: 422,
    });
    const rated = await op(
      '/matters/{id}.json',
      'GET',
      `/api/v4/matters/${matter.data.id}.json?fields=custom_rate{type,on_invoice,rates}`,
      { expect: 200 },
    );
    expect(rated.data.custom_rate.rates[0]).toMatchObject({ rate: 500, user: { id: 345001 } });
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
    const category = await op(
      '/expense_categories.json',
      'POST',
      `/api/v4/expense_categories.json?${all('ExpenseCategory')}`,
      {
        json: { data: { name: 'Filing fee', rate: 75 } },
        expect: 201,
      },
    );
    const fee = await op('/activities.json', 'POST', `/api/v4/activities.json?${all('Activity')}`, {
      json: {
        data: {
          type: 'ExpenseEntry',
          date: '2026-11-02',
          matter: { id: 9800003 },
          expense_category: { id: category.data.id },
        },
      },
      expect: 201,
    });
    expect(fee.data).toMatchObject({ price: 75, total: 75, quantity: 1 });
    await op('/expense_categories.json', 'GET', `/api/v4/expense_categories.json?${all('ExpenseCategory')}`, {
      expect: 200,
    });
    await op(
      '/billable_matters.json',
      'GET',
      `/api/v4/billable_matters.json?limit=20&${all('BillableMatter')}`,
      { expect: 200 },
    );
    const { state } = harness().sandbox;
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
});
