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
    // Fields are masked in the picture and their values left out of the HTML: a password or code typed before
    // the page turned out to have changed is in the field (and, on pages that mirror it, in a value attribute).
    await page.screenshot({ path: screenshotPath, fullPage: true, mask: [page.locator('input, textarea')] });
    await writeFile(htmlPath, withoutFieldValues(await page.content()), 'utf8');
    return { screenshotPath, htmlPath };
  } catch {
    return undefined;
  }
}

/** The HTML with every `value` attribute of an input emptied, and textareas emptied. */
export function withoutFieldValues(html: string): string {
  return html
    .replace(/<input\b[^>]*>/gi, (tag) =>
      tag.replace(/\svalue\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, ' value=""'),
    )
    .replace(/(<textarea\b[^>]*>)[\s\S]*?(<\/textarea>)/gi, '$1$2');
}
