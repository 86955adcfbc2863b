import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS } from '../../src/integrations/clio-portal/portal-browser';
import { ensureChromium } from '../../src/dev/toolchain';

/** Debian's Chromium driven by Playwright (its own browser download cannot work offline), as the worker runs it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: ensureChromium(process.env, false), args: CHROMIUM_ARGS });
}
