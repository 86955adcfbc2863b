import { esc, page } from './html';
import type { PortalLabels } from './labels';

const errorBlock = (l: PortalLabels, error?: string): string =>
  error ? `<p class="error" role="alert" id="${l.ids.signinError}">${esc(error)}</p>` : '';

export const emailPage = (l: PortalLabels, error?: string): string =>
  page({
    title: 'Sign in',
    body: `<h1>Sign in to Clio</h1>
${errorBlock(l, error)}
<form method="post" action="/session/email">
<label for="${l.ids.emailInput}">${esc(l.email)}</label>
<input type="email" id="${l.ids.emailInput}" name="email" autocomplete="username" required autofocus>
<button type="submit">${esc(l.next)}</button>
</form>`,
  });

export const passwordPage = (l: PortalLabels, email: string, error?: string): string =>
  page({
    title: 'Sign in',
    body: `<h1>Sign in to Clio</h1>
<p>Signing in as <strong>${esc(email)}</strong> (<a href="/session/new">not you?</a>)</p>
${errorBlock(l, error)}
<form method="post" action="/session/password">
<label for="${l.ids.passwordInput}">${esc(l.password)}</label>
<input type="password" id="${l.ids.passwordInput}" name="password" autocomplete="current-password" required autofocus>
<p><input type="checkbox" id="${l.ids.keepInput}" name="keep" value="1"> <label for="${l.ids.keepInput}" style="display:inline">${esc(l.keep)}</label></p>
<button type="submit">${esc(l.signIn)}</button>
</form>`,
  });

export const mfaPage = (l: PortalLabels, how: string, sms: boolean, error?: string): string =>
  page({
    title: 'Two-factor authentication',
    body: `<h1>Two-factor authentication</h1>
<p id="mfa-instructions">${esc(how)}</p>
${errorBlock(l, error)}
<form method="post" action="/session/mfa">
<label for="${l.ids.codeInput}">${esc(l.code)}</label>
<input type="text" id="${l.ids.codeInput}" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required autofocus>
<button type="submit">${esc(l.verify)}</button>
</form>
${sms ? `<form method="post" action="/session/mfa/resend"><button type="submit">${esc(l.resend)}</button></form>` : ''}`,
  });

export const lockedPage = (l: PortalLabels): string =>
  page({
    title: 'Verification locked',
    body: `<h1 id="${l.ids.mfaLocked}">Verification locked</h1>
<p role="alert">Too many incorrect verification codes. For your security this sign-in is locked.</p>
<p><a href="/session/new">Start a new sign-in</a></p>`,
  });
