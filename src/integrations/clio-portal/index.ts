export * from './errors';
export * from './types';
export { PortalBrowser, CHROMIUM_ARGS, type PortalBrowserOptions } from './portal-browser';
export { SignInFlow, type SignInStep, type CodeOutcome } from './sign-in-flow';
export { PortalClient, type PortalClientOptions } from './portal-client';
export { msUntilNextTotpStep, totpCode } from './totp';
export { SIGN_IN_NAMES } from './sign-in-pages';
export { SignInChallenges } from './sign-in-challenges';
export { PORTAL_ENDPOINTS } from './endpoints';
