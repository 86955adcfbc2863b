import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhook } from '../../src/webhooks/signature';

const secret = 'whsec_test-secret';
const body =
  '{"id":"evt-1","type":"workflow.completed","tenant":"firm-a","occurredAt":"2026-01-01T00:00:00.000Z","data":{}}';
const now = Date.UTC(2026, 0, 1, 12, 0, 0);
const nowSeconds = Math.floor(now / 1000);

describe('webhook signature verification', () => {
  test('a fresh, correctly signed delivery verifies', () => {
    const ts = String(nowSeconds - 10);
    expect(verifyWebhook(secret, ts, body, signWebhook(secret, ts, body), { now })).toBe(true);
  });

  test('a receiver may verify the raw bytes as they came: a body with non-ASCII text verifies as bytes and as text', () => {
    const ts = String(nowSeconds - 10);
    const text = body.replace('{}', '{"client":"Núñez & Søn"}');
    const signature = signWebhook(secret, ts, text);
    expect(verifyWebhook(secret, ts, Buffer.from(text, 'utf8'), signature, { now })).toBe(true);
    expect(verifyWebhook(secret, ts, text, signature, { now })).toBe(true);
    expect(verifyWebhook(secret, ts, Buffer.from(text, 'latin1'), signature, { now })).toBe(false);
  });

  test('a correctly signed delivery captured an hour ago and replayed does not verify', () => {
    const ts = String(nowSeconds - 3600);
    expect(verifyWebhook(secret, ts, body, signWebhook(secret, ts, body), { now })).toBe(false);
  });

  test('a timestamp far in the future does not verify either', () => {
    const ts = String(nowSeconds + 3600);
    expect(verifyWebhook(secret, ts, body, signWebhook(secret, ts, body), { now })).toBe(false);
  });

  test('the window can be set by the receiver', () => {
    const ts = String(nowSeconds - 600);
    const signature = signWebhook(secret, ts, body);
    expect(verifyWebhook(secret, ts, body, signature, { now, toleranceSeconds: 900 })).toBe(true);
    expect(verifyWebhook(secret, ts, body, signature, { now, toleranceSeconds: 300 })).toBe(false);
  });

  test('a timestamp that is not whole seconds in digits does not verify, even when signed as sent', () => {
    // "<ts>.<part of the body>" re-split: the signed string stays the same, the timestamp is no longer a number.
    for (const ts of [`${nowSeconds}.5`, ` ${nowSeconds}`, `${nowSeconds}e0`, '']) {
      const signature = `sha256=${createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}`;
      expect(verifyWebhook(secret, ts, body, signature, { now })).toBe(false);
    }
  });
});
