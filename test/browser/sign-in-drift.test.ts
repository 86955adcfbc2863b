import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { ensureChromium } from '../../src/dev/toolchain';
import { CHROMIUM_ARGS } from '../../src/integrations/clio-portal/portal-browser';
import { PortalChangedError } from '../../src/integrations/clio-portal/errors';
import { SignInPages } from '../../src/integrations/clio-portal/sign-in-pages';

/** What counts as "the portal changed": an element that never came, not a browser that went away (real Chromium). */
describe('sign-in drift detection', () => {
  let browser: Browser;
  let driftDir: string;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: ensureChromium(process.env, false),
      args: CHROMIUM_ARGS,
    });
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(() => {
    driftDir = mkdtempSync(path.join(tmpdir(), 'drift-'));
  });
  afterEach(() => rmSync(driftDir, { recursive: true, force: true }));

  test('when the expected field never appears, then PortalChanged with a snapshot of the page', async () => {
    const page = await browser.newPage();
    await page.setContent('<main><p>Scheduled maintenance</p></main>');
    const pages = new SignInPages(page, driftDir);
    const failure = await pages
      .expect(pages.email(), 'the "Email" field', 'sign-in')
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PortalChangedError);
    expect(readdirSync(driftDir).some((f) => f.endsWith('.png'))).toBe(true);
    await page.close();
  });

  test('when the page closes while the flow waits for a field, then that error, not PortalChanged', async () => {
    const page = await browser.newPage();
    await page.setContent('<main></main>');
    const pages = new SignInPages(page, driftDir);
    const waiting = pages.expect(pages.email(), 'the "Email" field', 'sign-in').catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 200));
    await page.close();
    const failure = await waiting;
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(PortalChangedError);
    expect(readdirSync(driftDir)).toEqual([]);
  });
});
