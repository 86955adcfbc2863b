import { generate } from 'otplib';
import { msUntilNextTotpStep, totpCode } from '../../src/integrations/clio-portal/totp';

describe('TOTP codes for the Clio web app', () => {
  test('a second sign-in within the same 30 s step waits for the next step rather than replay the code', async () => {
    const secret = 'KRUGS4ZANFZSAYLEMFWWK3TUNFXW4ZLT'; // this test's own
    let now = Date.parse('2026-11-26T12:00:05Z');
    const waits: number[] = [];
    const clock = {
      now: () => now,
      sleep: (ms: number) => {
        waits.push(ms);
        now += ms;
        return Promise.resolve();
      },
    };
    const first = await totpCode(secret, clock);
    expect(first).toBe(await generate({ secret, epoch: Math.floor(now / 1000) }));
    now += 10_000; // a retry 10 s later, same step
    const second = await totpCode(secret, clock);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(14_000);
    expect(waits[0]).toBeLessThanOrEqual(15_050);
    expect(second).not.toBe(first);
    expect(second).toBe(await generate({ secret, epoch: Math.floor(now / 1000) }));
    now += 40_000; // a later step: no wait
    await totpCode(secret, clock);
    expect(waits).toHaveLength(1);
  });
});

describe('after a refused TOTP code', () => {
  test('when the next step is near or far, then the retry waits until it has begun (plus a second of skew)', () => {
    const stepStart = 30_000 * 59_000_000;
    expect(msUntilNextTotpStep(stepStart + 29_000)).toBe(2_000);
    expect(msUntilNextTotpStep(stepStart)).toBe(31_000);
  });
});
