import { chromium, type Browser } from 'playwright-core';
import { ensureChromium } from '../../src/dev/toolchain';

/** Debian's Chromium driven by Playwright (its own browser download cannot work offline). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: ensureChromium(process.env, false),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
