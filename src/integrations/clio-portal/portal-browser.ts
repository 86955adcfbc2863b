import { chromium, type Browser } from 'playwright-core';
import { SignInFlow } from './sign-in-flow';
import { DEFAULT_PORTAL_PATHS, type PortalPaths } from './types';

/** Flags for Chromium in containers and CI: no sandbox (no user namespaces), no GPU, nothing phoning home. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface PortalBrowserOptions {
  /** A function to find Chromium only when a sign-in first needs it (a worker without one still starts). */
  executablePath: string | (() => string);
  baseUrl: string;
  /** Where screenshots and HTML of a changed portal are saved. */
  driftDir: string;
  paths?: PortalPaths;
}

/**
 * One Chromium per browser-worker process, launched on first use; each sign-in gets its own context (cookie jar),
 * closed once its cookies are copied out, so a long-lived worker does not collect pages.
 */
export class PortalBrowser {
  private browser?: Promise<Browser>;

  constructor(private readonly opts: PortalBrowserOptions) {}

  async startSignIn(): Promise<SignInFlow> {
    const browser = await this.launch();
    const context = await browser.newContext({ baseURL: this.opts.baseUrl });
    const page = await context.newPage();
    return new SignInFlow(context, page, { ...this.opts, paths: this.opts.paths ?? DEFAULT_PORTAL_PATHS });
  }

  async close(): Promise<void> {
    const launched = this.browser;
    this.browser = undefined;
    if (launched) await (await launched.catch(() => undefined))?.close();
  }

  private launch(): Promise<Browser> {
    const find = this.opts.executablePath;
    this.browser ??= Promise.resolve().then(() =>
      chromium.launch({
        executablePath: typeof find === 'string' ? find : find(),
        headless: true,
        args: CHROMIUM_ARGS,
        // The worker closes the browser itself, after its running sign-ins finished (close()). Playwright's own
        // handlers would close it at the first Ctrl-C, in the middle of them.
        handleSIGINT: false,
        handleSIGTERM: false,
        handleSIGHUP: false,
      }),
    );
    const launched = this.browser;
    // A browser that failed to start, or died later (out of memory, killed), is launched anew next time.
    launched.then(
      (b) =>
        b.once('disconnected', () => {
          if (this.browser === launched) this.browser = undefined;
        }),
      () => {
        if (this.browser === launched) this.browser = undefined;
      },
    );
    return launched;
  }
}
