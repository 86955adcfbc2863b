import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Page } from 'playwright-core';

/**
 * Saves what the browser saw when an expected element was missing, so a person can see how the portal changed.
 * Best effort: a failing snapshot must not hide the drift itself.
 */
export async function saveDriftSnapshot(
  page: Page,
  dir: string,
  label: string,
): Promise<{ screenshotPath: string; htmlPath: string } | undefined> {
  try {
    await mkdir(dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const base = path.join(dir, `${stamp}-${label.replace(/[^a-z0-9-]+/gi, '-').toLowerCase()}`);
    const screenshotPath = `${base}.png`;
    const htmlPath = `${base}.html`;
    await page.screenshot({ path: screenshotPath, fullPage: true });
    // Form fields typed into are not in the DOM's HTML (values are properties), so no password is written here.
    await writeFile(htmlPath, await page.content(), 'utf8');
    return { screenshotPath, htmlPath };
  } catch {
    return undefined;
  }
}
