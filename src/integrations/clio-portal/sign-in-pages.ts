import { errors, type Locator, type Page } from 'playwright-core';
import { PortalChangedError } from './errors';
import { saveDriftSnapshot } from './drift-snapshot';

/** How long an expected element may take to appear before the page counts as changed. */
const EXPECT_TIMEOUT_MS = 5_000;

/**
 * The names a person using a screen reader would hear on the sign-in pages. The page objects find elements only
 * by these accessible names, so a renamed field is noticed as drift rather than typed into blindly.
 */
export const SIGN_IN_NAMES = {
  email: 'Email',
  password: 'Password',
  code: 'Verification code',
  keep: 'Keep me signed in',
  next: 'Next',
  signIn: 'Sign in',
  verify: 'Verify',
} as const;

export class SignInPages {
  constructor(
    private readonly page: Page,
    private readonly driftDir: string,
  ) {}

  email = (): Locator => this.page.getByLabel(SIGN_IN_NAMES.email, { exact: true });
  password = (): Locator => this.page.getByLabel(SIGN_IN_NAMES.password, { exact: true });
  code = (): Locator => this.page.getByLabel(SIGN_IN_NAMES.code, { exact: true });
  keep = (): Locator => this.page.getByLabel(SIGN_IN_NAMES.keep, { exact: true });
  button = (name: string): Locator => this.page.getByRole('button', { name, exact: true });
  csrfMeta = (): Locator => this.page.locator('meta[name="csrf-token"]');

  /** Waits for an element the flow needs; its absence is drift, reported with a snapshot. */
  async expect(locator: Locator, what: string, pageName: string): Promise<Locator> {
    try {
      await locator.first().waitFor({ state: 'visible', timeout: EXPECT_TIMEOUT_MS });
      return locator.first();
    } catch (err) {
      // Only an element that never came is drift; a browser or page that closed under us is not the portal's doing.
      if (err instanceof errors.TimeoutError) throw await this.drift(what, pageName);
      throw err;
    }
  }

  async drift(what: string, pageName: string): Promise<PortalChangedError> {
    const snapshot = await saveDriftSnapshot(this.page, this.driftDir, `${pageName}-${what}`);
    return new PortalChangedError(what, pageName, snapshot);
  }

  /**
   * Types a secret (or any value) into a field. Playwright's own errors quote the call, typed value included
   * (`fill("…")`), and a failure message travels on into the session's reason, API answers and webhooks: this
   * one says which field on which page, and nothing of the value.
   */
  private async type(field: Locator, value: string, what: string, pageName: string): Promise<void> {
    try {
      await field.fill(value);
    } catch (err) {
      const kind = err instanceof Error ? err.name : 'Error';
      // No `cause`: it is the error that quotes the typed value, and causes are logged and serialized too.
      // eslint-disable-next-line preserve-caught-error
      throw new Error(`Could not type into ${what} on the ${pageName} page (${kind})`);
    }
  }

  async enterEmail(email: string): Promise<void> {
    const emailField = await this.expect(this.email(), `the "${SIGN_IN_NAMES.email}" field`, 'sign-in');
    await this.type(emailField, email, `the "${SIGN_IN_NAMES.email}" field`, 'sign-in');
    await (
      await this.expect(this.button(SIGN_IN_NAMES.next), `the "${SIGN_IN_NAMES.next}" button`, 'sign-in')
    ).click();
  }

  async enterPassword(password: string): Promise<void> {
    const passwordField = await this.expect(
      this.password(),
      `the "${SIGN_IN_NAMES.password}" field`,
      'password',
    );
    await this.type(passwordField, password, `the "${SIGN_IN_NAMES.password}" field`, 'password');
    // Optional: a longer-lived session means fewer MFA prompts, but its absence is no reason to stop.
    if (await this.keep().count()) await this.keep().first().check();
    const signIn = await this.expect(
      this.button(SIGN_IN_NAMES.signIn),
      `the "${SIGN_IN_NAMES.signIn}" button`,
      'password',
    );
    await signIn.click();
  }

  async enterCode(code: string): Promise<void> {
    const codeField = await this.expect(this.code(), `the "${SIGN_IN_NAMES.code}" field`, 'verification');
    await this.type(codeField, code, `the "${SIGN_IN_NAMES.code}" field`, 'verification');
    await (
      await this.expect(
        this.button(SIGN_IN_NAMES.verify),
        `the "${SIGN_IN_NAMES.verify}" button`,
        'verification',
      )
    ).click();
  }

  /** Which page the browser is on now, judged by elements only (URLs differ between portal versions). */
  async whereAmI(): Promise<'verification' | 'signed_in' | 'password' | 'unknown'> {
    await this.page.waitForLoadState('load');
    const deadline = Date.now() + EXPECT_TIMEOUT_MS;
    for (;;) {
      if (await this.csrfMeta().count()) return 'signed_in';
      if (await this.code().count()) return 'verification';
      if (await this.password().count()) return 'password';
      if (Date.now() > deadline) return 'unknown';
      await this.page.waitForTimeout(100);
    }
  }

  /** The page's visible text, for messages like "locked" that have no accessible role of their own. */
  async text(): Promise<string> {
    return (await this.page.locator('body').innerText()).slice(0, 2_000);
  }
}
