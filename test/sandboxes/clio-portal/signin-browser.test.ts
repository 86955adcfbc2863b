import { type Browser, type Page } from 'playwright-core';
import { launchChromium } from '../../helpers/browser';
import { ADMIN_TOTP_SECRET } from '../../../src/sandboxes/clio/portal/portal-users';
import { totpCode } from '../../../src/sandboxes/clio/portal/totp';
import { latestSmsCode, setFaults, startPortal, type PortalHarness } from './portal-harness';

let h: PortalHarness;
let browser: Browser;

beforeAll(async () => {
  h = await startPortal();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});
beforeEach(async () => {
  await fetch(`${h.base}/_sandbox/reset`, { method: 'POST' });
});

async function throughPassword(page: Page, email: string): Promise<void> {
  await page.goto(`${h.base}/dashboard`);
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Password').fill('sandbox-password');
  await page.getByLabel('Keep me signed in').check();
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('portal sign-in in a real browser', () => {
  it('when a person signs in with the authenticator code, then the dashboard shows them', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await throughPassword(page, 'admin@sandbox.test');
    await page.getByLabel('Verification code').fill(await totpCode(ADMIN_TOTP_SECRET));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(/\/dashboard$/);
    await expect(page.locator('#current-user').textContent()).resolves.toBe('Avery Stone');
    expect(await page.locator('meta[name="csrf-token"]').getAttribute('content')).toMatch(/.{20,}/);
    const cookie = (await context.cookies()).find((c) => c.name === '_clio_session');
    expect(cookie?.httpOnly).toBe(true);
    await page.getByRole('link', { name: 'Matters' }).click();
    await expect(page.locator('#matters-table tbody tr').count()).resolves.toBe(50);
    await context.close();
  });

  it('when a person signs in with the SMS code from the outbox, then they reach the dashboard', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await throughPassword(page, 'clerk@sandbox.test');
    await expect(page.locator('#mfa-instructions').textContent()).resolves.toContain('text message');
    await page.getByLabel('Verification code').fill(await latestSmsCode(h.base));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(/\/dashboard$/);
    await expect(page.locator('#current-user').textContent()).resolves.toBe('Casey Clerk');
    await context.close();
  });

  it('when 5 wrong codes are entered, then the page says the challenge is locked', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await throughPassword(page, 'clerk@sandbox.test');
    const wrong = (await latestSmsCode(h.base)) === '123456' ? '654321' : '123456';
    for (let i = 0; i < 5; i++) {
      await page.getByLabel('Verification code').fill(wrong);
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.waitForLoadState();
    }
    await expect(page.getByRole('heading', { name: 'Verification locked' }).isVisible()).resolves.toBe(true);
    await expect(page.getByLabel('Verification code').count()).resolves.toBe(0);
    await context.close();
  });

  it('when the session TTL fault runs out, then the next page visit lands on sign-in', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await throughPassword(page, 'admin@sandbox.test');
    await page.getByLabel('Verification code').fill(await totpCode(ADMIN_TOTP_SECRET));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(/\/dashboard$/);
    await setFaults(h.base, { sessionTtlSeconds: 1 });
    await new Promise((r) => setTimeout(r, 1200));
    await page.goto(`${h.base}/bills`);
    await expect(page.getByLabel('Email').isVisible()).resolves.toBe(true);
    expect(new URL(page.url()).pathname).toBe('/session/new');
    await context.close();
  });

  it('when the portal variant is "changed", then the default labels and ids are gone', async () => {
    await setFaults(h.base, { portalVariant: 'changed' });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${h.base}/session/new`);
    await expect(page.getByLabel('Email').count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Next' }).count()).resolves.toBe(0);
    await page.getByLabel('Login ID').fill('admin@sandbox.test');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByLabel('Password').count()).resolves.toBe(0);
    await expect(page.getByLabel('Keep me signed in').count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Sign in' }).count()).resolves.toBe(0);
    await page.getByLabel('Passphrase').fill('sandbox-password');
    await page.getByRole('button', { name: 'Log on' }).click();
    await expect(page.getByLabel('Verification code').count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Verify' }).count()).resolves.toBe(0);
    await page.getByLabel('One-time passcode').fill(await totpCode(ADMIN_TOTP_SECRET));
    await page.getByRole('button', { name: 'Submit passcode' }).click();
    await page.waitForURL(/\/dashboard$/);
    await expect(page.locator('#current-user').count()).resolves.toBe(0);
    await page.goto(`${h.base}/matters`);
    await expect(page.locator('#matters-table').count()).resolves.toBe(0);
    await context.close();
  });
});
