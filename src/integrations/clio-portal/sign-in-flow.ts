import { type BrowserContext, type Page } from 'playwright-core';
import { PortalChangedError, PortalCredentialsError } from './errors';
import { SignInPages } from './sign-in-pages';
import { type PortalPaths, type SessionMaterial } from './types';

export type SignInStep = 'signed_in' | 'mfa_required';
export type CodeOutcome = 'signed_in' | 'rejected' | 'locked';

/** One sign-in in its own browser context: email, password, then (maybe) a verification code. */
export class SignInFlow {
  private readonly pages: SignInPages;
  private username?: string;

  constructor(
    private readonly context: BrowserContext,
    private readonly page: Page,
    private readonly opts: { baseUrl: string; driftDir: string; paths: PortalPaths },
  ) {
    this.pages = new SignInPages(page, opts.driftDir);
  }

  async start(username: string, password: string): Promise<SignInStep> {
    this.username = username;
    await this.page.goto(this.opts.paths.signIn);
    await this.pages.enterEmail(username);
    await this.pages.enterPassword(password);
    const where = await this.pages.whereAmI();
    if (where === 'signed_in') return 'signed_in';
    if (where === 'verification') return 'mfa_required';
    if (where === 'password') throw new PortalCredentialsError();
    throw await this.pages.drift('the verification or app page after sign-in', 'password');
  }

  async submitCode(code: string): Promise<CodeOutcome> {
    await this.pages.enterCode(code);
    const where = await this.pages.whereAmI();
    if (where === 'signed_in') return 'signed_in';
    if (/locked|too many/i.test(await this.pages.text())) return 'locked';
    if (where === 'verification') return 'rejected';
    throw await this.pages.drift('the app page after verification', 'verification');
  }

  /** Cookies and CSRF token of the signed-in context, for plain HTTP calls. */
  async material(): Promise<SessionMaterial> {
    const csrfToken = await this.pages.csrfMeta().first().getAttribute('content');
    if (!csrfToken) throw new PortalChangedError('the csrf-token meta tag', 'app');
    const cookies = (await this.context.cookies(this.opts.baseUrl)).map((c) => ({
      name: c.name,
      value: c.value,
      domain: c.domain,
      path: c.path,
      expires: c.expires,
    }));
    return { cookies, csrfToken, signedInAt: new Date().toISOString(), signedInAs: this.username };
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
  }
}
