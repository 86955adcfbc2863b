/** The portal no longer looks as the page objects expect: a person must look, retrying cannot help. */
export class PortalChangedError extends Error {
  override readonly name = 'PortalChangedError';
  constructor(
    readonly missing: string,
    readonly page: string,
    readonly snapshot?: { screenshotPath: string; htmlPath: string },
  ) {
    super(`The Clio portal changed: ${missing} is missing on the ${page} page`);
  }
}

/** The session behind a request is no longer signed in (401, or a redirect to sign-in). */
export class PortalSessionExpiredError extends Error {
  override readonly name = 'PortalSessionExpiredError';
  constructor(readonly status: number) {
    super(`The Clio portal session is no longer signed in (HTTP ${status})`);
  }
}

/** Username or password refused: permanent until someone fixes the configuration. */
export class PortalCredentialsError extends Error {
  override readonly name = 'PortalCredentialsError';
  constructor() {
    super('The Clio portal refused the configured username or password');
  }
}

/** Any other answer of the portal's internal JSON API that is not a success. */
export class PortalRequestError extends Error {
  override readonly name = 'PortalRequestError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
  get retryable(): boolean {
    return this.status >= 500 || this.status === 408 || this.status === 429;
  }
}
