import { useContract } from './contract-harness';

const { op, all, harness } = useContract();

describe('contract (firm settings, banking, webhooks, reports, relationships, settings, limits): answers match clio-openapi-v4.json', () => {
  it('users, practice areas, UTBMS, activity descriptions', async () => {
    await op('/users.json', 'GET', `/api/v4/users.json?${all('User')}`, { expect: 200 });
    const me = await op('/users/who_am_i.json', 'GET', `/api/v4/users/who_am_i.json?${all('User')}`, {
      expect: 200,
    });
    await op('/users/{id}.json', 'GET', `/api/v4/users/${me.data.id}.json?${all('User')}`, { expect: 200 });
    await op('/utbms/codes.json', 'GET', `/api/v4/utbms/codes.json?${all('UtbmsCode')}`, { expect: 200 });
    await op('/utbms/sets.json', 'GET', `/api/v4/utbms/sets.json?${all('UtbmsSet')}`, { expect: 200 });
    const desc = await op(
      '/activity_descriptions.json',
      'POST',
      `/api/v4/activity_descriptions.json?${all('ActivityDescription')}`,
      { json: { data: { name: 'Travel', rate: { type: 'Custom', amount: 120 } } }, expect: 201 },
    );
    const shownDesc = await op(
      '/activity_descriptions/{id}.json',
      'PATCH',
      `/api/v4/activity_descriptions/${desc.data.id}.json?fields=rate{type,amount}`,
      { json: { data: { visible_to_co_counsel: false } }, expect: 200 },
    );
    expect(shownDesc.data.rate).toEqual({ type: 'Custom', amount: 120 });
    await op(
      '/activity_descriptions/{id}.json',
      'DELETE',
      `/api/v4/activity_descriptions/${desc.data.id}.json`,
      { expect: 204 },
    );
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

  it('relationships: nested on matter writes and as their own resource', async () => {
    const matter = await op('/matters.json', 'POST', `/api/v4/matters.json?fields=id`, {
      json: {
        data: {
          description: 'With parties',
          client: { id: 1200001 },
          relationships: [{ description: 'Opposing party', contact: { id: 1200002 } }],
        },
      },
      expect: 201,
    });
    const shown = await op(
      '/matters/{id}.json',
      'GET',
      `/api/v4/matters/${matter.data.id}.json?fields=relationships{id,description,contact}`,
      { expect: 200 },
    );
    expect(shown.data.relationships).toEqual([
      { id: expect.any(Number), description: 'Opposing party', contact: { id: 1200002 } },
    ]);
    await op(
      '/relationships.json',
      'GET',
      `/api/v4/relationships.json?matter_id=${matter.data.id}&${all('Relationship')}`,
      { expect: 200 },
    );
    const rel = await op('/relationships.json', 'POST', `/api/v4/relationships.json?${all('Relationship')}`, {
      json: { data: { description: 'Witness', matter: { id: matter.data.id }, contact: { id: 1200003 } } },
      expect: 201,
    });
    await op(
      '/relationships/{id}.json',
      'PATCH',
      `/api/v4/relationships/${rel.data.id}.json?${all('Relationship')}`,
      { json: { data: { description: 'Expert witness' } }, expect: 200 },
    );
    await op('/matters/{id}.json', 'PATCH', `/api/v4/matters/${matter.data.id}.json?fields=id`, {
      json: { data: { relationships: [{ id: shown.data.relationships[0].id, _destroy: true }] } },
      expect: 200,
    });
    const after = await op(
      '/matters/{id}.json',
      'GET',
      `/api/v4/matters/${matter.data.id}.json?fields=relationships{description}`,
      { expect: 200 },
    );
    expect(after.data.relationships).toEqual([{ description: 'Expert witness' }]);
    await op('/relationships/{id}.json', 'DELETE', `/api/v4/relationships/${rel.data.id}.json`, {
      expect: 204,
    });
  });

  it('firm settings, currencies and related contacts', async () => {
    const billing = await op(
      '/settings/billing.json',
      'GET',
      `/api/v4/settings/billing.json?${all('BillingSetting')}`,
      { expect: 200 },
    );
    expect(billing.data.rounding).toBe(6);
    await op('/currencies.json', 'GET', `/api/v4/currencies.json?${all('Currency')}`, { expect: 200 });
    const related = await op(
      '/matters/{matter_id}/related_contacts.json',
      'GET',
      `/api/v4/matters/9800001/related_contacts.json?${all('RelatedContacts')}`,
      { expect: 200 },
    );
    expect(related.data[0]).toMatchObject({ is_matter_client: true });
  });

  it('allocations and bank transfers recorded by the portal read back through the API', async () => {
    const { store } = harness().sandbox.state;
    // Shaped as the portal's trust actions store them (cents, date-only transfer date, authorizer as a user link).
    const [allocation, transfer] = store.transaction(() => [
      store.insert('allocations', {
        date: '2026-11-05',
        amount: 12345,
        interest: false,
        description: 'Trust payment',
        has_online_payment: false,
        destroyable: true,
        payment_type: 'Trust',
        bill: { id: 1 },
        matter: { id: 9800001 },
        contact: { id: 1200071 },
        parent: { id: 7, type: 'Payment' },
        source_bank_account: { id: 64002 },
        destination_bank_account: { id: 64001 },
      }),
      store.insert('bank_transfers', {
        amount: 5000,
        date: '2026-11-05',
        description: 'Matter to matter',
        primary_authorizer: { id: 345001 },
        source_bank_account: { id: 64002 },
        destination_bank_account: { id: 64002 },
        from_matter: { id: 9800001 },
        to_matter: { id: 9800002 },
        client: { id: 1200071 },
      }),
    ]);
    const listed = await op(
      '/allocations.json',
      'GET',
      `/api/v4/allocations.json?matter_id=9800001&${all('Allocation')}`,
      { expect: 200 },
    );
    expect(listed.data[0].amount).toBe(123.45);
    await op(
      '/allocations/{id}.json',
      'GET',
      `/api/v4/allocations/${allocation.id}.json?${all('Allocation')}`,
      { expect: 200 },
    );
    const shown = await op(
      '/bank_transfers/{id}.json',
      'GET',
      `/api/v4/bank_transfers/${transfer.id}.json?${all('BankTransfer')}`,
      { expect: 200 },
    );
    expect(shown.data).toMatchObject({
      amount: 50,
      primary_authorizer: 'Avery Stone',
      date: '2026-11-05T00:00:00Z',
      matter: { id: 9800001 },
    });
  });

  it('rate-limited answers match the spec too', async () => {
    await fetch(`${harness().base}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ rateLimitPerMinute: 1 }),
    });
    await harness().api('/api/v4/matters.json');
    await op('/matters.json', 'GET', '/api/v4/matters.json', { expect: 429 });
    await fetch(`${harness().base}/_sandbox/reset`, { method: 'POST' });
  });
});
