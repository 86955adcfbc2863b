import { createClioSandbox, type ClioSandbox } from '../../src/sandboxes/clio';
import { startApi, type Api } from './api-harness';

interface MoneyView {
  amountCents: number;
  currency: string;
}
interface BillView {
  id: string;
  total?: MoneyView;
  balance?: MoneyView;
  paid?: MoneyView;
}

/**
 * Bills written in a currency whose minor unit is not the cent, read through the API as a firm's user reads them.
 * The sandbox's firm bills in USD and Clio's API creates no bills, so each test adds its bill to the sandbox's
 * records beside the seeded ones (the sandbox keeps hundredths of the currency's unit and answers decimals, as
 * Clio does: 100050 is 1000.5).
 */
describe('money in other currencies, read through the API', () => {
  let clio: ClioSandbox;
  let api: Api;
  beforeAll(async () => {
    clio = createClioSandbox();
    const port = await clio.listen(0);
    api = await startApi({ CLIO_BASE_URL: `http://127.0.0.1:${port}` });
  });
  afterAll(async () => {
    await api?.stop();
    await clio?.close();
  });

  function addBill(currency: { id: number; code: string; sign: string }, hundredths: Record<string, number>) {
    const seeded = clio.state.store.list('bills')[0]!;
    return clio.state.store.insert('bills', {
      number: `FX-${currency.code}`,
      state: 'awaiting_payment',
      kind: 'revenue_kind',
      type: 'MatterBill',
      issued_at: '2026-03-02',
      due_at: '2026-04-01',
      client: seeded.client,
      matters: seeded.matters,
      currency,
      ...hundredths,
    });
  }
  const read = async (id: number) => {
    const res = await fetch(`${api.url}/v1/bills/${id}`, {
      headers: { authorization: 'Bearer sandbox-paralegal' },
    });
    return { status: res.status, body: (await res.json()) as BillView & { error?: { code: string } } };
  };

  test('when a bill is in yen, then its amounts are whole yen, half a yen rounded up', async () => {
    // Clio answers total 1000.5, balance 1000, paid 0.
    const bill = addBill({ id: 2, code: 'JPY', sign: '¥' }, { total: 100050, balance: 100000, paid: 0 });
    const { status, body } = await read(bill.id);
    expect(status).toBe(200);
    expect(body.total).toEqual({ amountCents: 1001, currency: 'JPY' });
    expect(body.balance).toEqual({ amountCents: 1000, currency: 'JPY' });
    expect(body.paid).toEqual({ amountCents: 0, currency: 'JPY' });
  });

  test('when a bill is in Kuwaiti dinars, then its amounts are fils (three decimals)', async () => {
    // Clio answers total 12.5 and balance 1.23.
    const bill = addBill({ id: 3, code: 'KWD', sign: 'KD' }, { total: 1250, balance: 123, paid: 1127 });
    const { status, body } = await read(bill.id);
    expect(status).toBe(200);
    expect(body.total).toEqual({ amountCents: 12500, currency: 'KWD' });
    expect(body.balance).toEqual({ amountCents: 1230, currency: 'KWD' });
    expect(body.paid).toEqual({ amountCents: 11270, currency: 'KWD' });
  });

  test('when a bill is in dollars, then its amounts are cents', async () => {
    const bill = addBill({ id: 1, code: 'USD', sign: '$' }, { total: 12345, balance: 12345, paid: 0 });
    const { body } = await read(bill.id);
    expect(body.total).toEqual({ amountCents: 12345, currency: 'USD' });
  });

  test('when Clio names a currency no one can count, then the read fails plainly instead of guessing cents', async () => {
    const bill = addBill({ id: 9, code: 'XYZ', sign: '?' }, { total: 1000, balance: 1000, paid: 0 });
    const { status, body } = await read(bill.id);
    expect(status).toBe(502);
    expect(body.error?.code).toBe('clio_unavailable');
    expect(body.total).toBeUndefined();
  });

  test('when the API document is read, then it says amountCents counts the currency’s minor units', async () => {
    const doc = (await (await fetch(`${api.url}/openapi.json`)).json()) as {
      components: { schemas: { Money: { properties: { amountCents: { description?: string } } } } };
    };
    expect(doc.components.schemas.Money.properties.amountCents.description).toMatch(/minor units.*JPY/);
  });
});
