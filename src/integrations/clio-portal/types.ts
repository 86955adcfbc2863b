/** One browser cookie as the portal set it; only what a plain HTTP client needs to send it back. */
export interface PortalCookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  /** Seconds since the epoch; -1 for a session cookie. */
  expires: number;
}

/** What a signed-in browser session leaves behind for plain HTTP calls: the cookie jar and the CSRF token. */
export interface SessionMaterial {
  cookies: PortalCookie[];
  csrfToken: string;
  /** ISO time of sign-in. */
  signedInAt: string;
  /** The web-app user who signed in (absent in material saved before it was recorded). */
  signedInAs?: string;
}

/** Portal URLs, relative to the Clio base URL. */
export interface PortalPaths {
  /** Where sign-in starts (a signed-out visit to any app page also lands there). */
  signIn: string;
  /** An app page that only a signed-in session can see: the health check and CSRF source. */
  home: string;
}

export const DEFAULT_PORTAL_PATHS: PortalPaths = { signIn: '/session/new', home: '/dashboard' };
