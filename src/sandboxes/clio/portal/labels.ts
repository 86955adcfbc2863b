import type { Faults } from '../state/faults';

/**
 * Every name a browser driver looks for, in one table per variant. The "changed" variant renames
 * labels, button names and element ids (as a Clio redesign would), and none of its names contains a
 * default one, because Playwright's getByLabel/getByRole match substrings case-insensitively.
 */
export interface PortalLabels {
  email: string;
  password: string;
  code: string;
  keep: string;
  next: string;
  signIn: string;
  verify: string;
  resend: string;
  signOut: string;
  ids: {
    emailInput: string;
    passwordInput: string;
    codeInput: string;
    keepInput: string;
    signinError: string;
    mfaLocked: string;
    currentUser: string;
    mattersTable: string;
    billsTable: string;
    nav: string;
  };
}

const DEFAULT_LABELS: PortalLabels = {
  email: 'Email',
  password: 'Password',
  code: 'Verification code',
  keep: 'Keep me signed in',
  next: 'Next',
  signIn: 'Sign in',
  verify: 'Verify',
  resend: 'Resend code',
  signOut: 'Sign out',
  ids: {
    emailInput: 'user_email',
    passwordInput: 'user_password',
    codeInput: 'otp_code',
    keepInput: 'remember_me',
    signinError: 'signin-error',
    mfaLocked: 'mfa-locked',
    currentUser: 'current-user',
    mattersTable: 'matters-table',
    billsTable: 'bills-table',
    nav: 'main-nav',
  },
};

const CHANGED_LABELS: PortalLabels = {
  email: 'Login ID',
  password: 'Passphrase',
  code: 'One-time passcode',
  keep: 'Remember this device',
  next: 'Continue',
  signIn: 'Log on',
  verify: 'Submit passcode',
  resend: 'Text me another passcode',
  signOut: 'Log off',
  ids: {
    emailInput: 'login-identifier',
    passwordInput: 'login-passphrase',
    codeInput: 'login-otp',
    keepInput: 'login-persist',
    signinError: 'login-problem',
    mfaLocked: 'otp-lockout',
    currentUser: 'whoami',
    mattersTable: 'mt-grid',
    billsTable: 'bl-grid',
    nav: 'app-sidebar',
  },
};

export const labelsFor = (faults: Faults): PortalLabels =>
  faults.portalVariant === 'changed' ? CHANGED_LABELS : DEFAULT_LABELS;
