import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { ensureChromium } from '../../src/dev/toolchain';
import { CHROMIUM_ARGS, PortalBrowser } from '../../src/integrations/clio-portal/portal-browser';
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

  test('when typing into a field fails, then the error names the field but never the typed secret', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(500);
    await page.setContent('<main><label>Password <input type="password" disabled></label></main>');
    const pages = new SignInPages(page, driftDir);
    const failure = (await pages.enterPassword('Hunter2-secret').catch((e: unknown) => e)) as Error;
    expect(failure).toBeInstanceOf(Error);
    expect(failure.message).toMatch(/Password/);
    expect(
      `${failure.message} ${failure.stack ?? ''} ${String((failure as { cause?: unknown }).cause)}`,
    ).not.toContain('Hunter2-secret');
    await page.close();
  });

  test('a drift snapshot keeps nothing typed: fields are masked in the picture and their values left out of the HTML', async () => {
    const page = await browser.newPage();
    await page.setContent(
      '<main><label>Verification code <input id="c" value="481516"></label><textarea>Hunter2</textarea></main>',
    );
    await page.fill('#c', '271828');
    const pages = new SignInPages(page, driftDir);
    await pages.drift('the "Verify" button', 'verification');
    const html = readdirSync(driftDir).find((f) => f.endsWith('.html'))!;
    const saved = readFileSync(path.join(driftDir, html), 'utf8');
    expect(saved).toContain('Verification code');
    expect(saved).not.toMatch(/481516|271828|Hunter2/);
    await page.close();
  });

  test('when Chromium dies after a sign-in, then the next sign-in launches a new one', async () => {
    const portal = new PortalBrowser({
      executablePath: ensureChromium(process.env, false),
      baseUrl: 'http://127.0.0.1:9',
      driftDir,
    });
    try {
      await (await portal.startSignIn()).close();
      const first = await (portal as unknown as { browser: Promise<Browser> }).browser;
      await first.close(); // as an out-of-memory kill would leave it: disconnected
      const again = await portal.startSignIn();
      await again.close();
      expect(await (portal as unknown as { browser: Promise<Browser> }).browser).not.toBe(first);
    } finally {
      await portal.close();
    }
  });
});
