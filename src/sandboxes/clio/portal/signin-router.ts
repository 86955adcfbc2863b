import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Doc } from '../state/record-store';
import type { Signin } from './auth-store';
import { labelsFor } from './labels';
import { MAX_CODE_ATTEMPTS, SMS_CODE_TTL_MS, maskPhone, smsMatches, totpMatches } from './mfa';
import {
  clearCookie,
  currentSession,
  readCookie,
  sessionTtlSeconds,
  setCookie,
  SESSION_COOKIE,
  SIGNIN_COOKIE,
  SIGNIN_PATH,
  type PortalContext,
} from './portal-context';
import { credentialFor } from './portal-users';
import { emailPage, lockedPage, mfaPage, passwordPage } from './signin-pages';

const phoneOf = (user: Doc | undefined): string =>
  typeof user?.phone_number === 'string' ? user.phone_number : '';

const EmailForm = z.object({ email: z.string().trim().min(1).max(254) });
const PasswordForm = z.object({ password: z.string().max(1024).default(''), keep: z.string().optional() });
const CodeForm = z.object({ code: z.string().trim().max(32).default('') });

/** Sign-in as Clio does it: email, then password, then an MFA challenge (TOTP or SMS). */
export function signinRouter(ctx: PortalContext): Router {
  const router = Router();
  router.use('/session', express.urlencoded({ extended: false, limit: '16kb' }));
  const labels = () => labelsFor(ctx.state.getFaults());
  const html = (res: Response, status: number, body: string): void => {
    res.status(status).type('html').set('Cache-Control', 'no-store').send(body);
  };
  const flow = (req: Request): Signin | undefined => ctx.auth.signin(readCookie(req, SIGNIN_COOKIE));
  const userByEmail = (email: string): Doc | undefined =>
    ctx.state.store.list('users', { where: [{ path: '$.email', op: '=', value: email }], limit: 1 })[0];

  router.get('/', (_req, res) => res.redirect(302, '/dashboard'));
  router.get(SIGNIN_PATH, (req, res) => {
    if (currentSession(ctx, req)) return res.redirect(302, '/dashboard');
    html(res, 200, emailPage(labels()));
  });

  router.post('/session/email', (req, res) => {
    const form = EmailForm.safeParse(req.body);
    if (!form.success) return html(res, 422, emailPage(labels(), 'Enter your email address.'));
    // A new sign-in always starts a new flow (and so a new MFA challenge); unknown emails still get a
    // password page, so the form does not reveal who has an account.
    setCookie(res, SIGNIN_COOKIE, ctx.auth.startSignin(form.data.email.toLowerCase()));
    res.redirect(302, '/session/password');
  });

  router.get('/session/password', (req, res) => {
    const s = flow(req);
    if (!s) return res.redirect(302, SIGNIN_PATH);
    html(res, 200, passwordPage(labels(), s.email));
  });

  router.post('/session/password', (req, res) => {
    const s = flow(req);
    if (!s || s.step === 'locked') return res.redirect(302, SIGNIN_PATH);
    const form = PasswordForm.safeParse(req.body);
    const cred = credentialFor(s.email);
    const user = cred && userByEmail(cred.email);
    if (!form.success || !cred || !user || user.enabled === false || form.data.password !== cred.password)
      return html(res, 401, passwordPage(labels(), s.email, 'Invalid email or password.'));
    const keep = form.data.keep !== undefined;
    if (cred.mfa.kind === 'sms') {
      const sent = ctx.auth.sendSms(phoneOf(user));
      ctx.auth.toMfa(s, user.id, keep, { hash: sent.hash, expiresAt: ctx.now() + SMS_CODE_TTL_MS });
    } else ctx.auth.toMfa(s, user.id, keep);
    res.redirect(302, '/session/mfa');
  });

  const showMfa = (res: Response, s: Signin, status: number, error?: string): void => {
    const l = labels();
    if (s.step === 'locked') return html(res, 423, lockedPage(l));
    const cred = credentialFor(s.email);
    const user = s.userId === null ? undefined : ctx.state.store.get('users', s.userId);
    const sms = cred?.mfa.kind === 'sms';
    const how = sms
      ? `We sent a 6-digit code by text message to ${maskPhone(phoneOf(user))}. It is valid for 10 minutes.`
      : 'Enter the 6-digit code from your authenticator app.';
    html(res, status, mfaPage(l, how, sms, error));
  };

  router.get('/session/mfa', (req, res) => {
    const s = flow(req);
    if (!s || s.step === 'password') return res.redirect(302, SIGNIN_PATH);
    showMfa(res, s, 200);
  });

  router.post('/session/mfa', async (req, res) => {
    const s = flow(req);
    if (!s || s.step === 'password' || s.userId === null) return res.redirect(302, SIGNIN_PATH);
    if (s.step === 'locked') return showMfa(res, s, 423);
    const code = CodeForm.safeParse(req.body).data?.code ?? '';
    const cred = credentialFor(s.email);
    const userId = s.userId;
    // A TOTP code signs in once: a code already used (by this sign-in or another) is a wrong code, as at Clio.
    const totpOk = async (secret: string) => {
      const step = await totpMatches(secret, code, ctx.now(), ctx.auth.lastTotpStep(userId));
      return step !== undefined && ctx.auth.useTotpStep(userId, step);
    };
    const outcome =
      cred?.mfa.kind === 'totp'
        ? (await totpOk(cred.mfa.secret))
          ? 'ok'
          : 'wrong'
        : smsMatches(s.codeHash, s.codeExpiresAt, code, ctx.now());
    if (outcome === 'expired') return showMfa(res, s, 401, 'This code has expired. Request a new code.');
    if (outcome === 'wrong') {
      const after = ctx.auth.failAttempt(s, MAX_CODE_ATTEMPTS);
      const left = MAX_CODE_ATTEMPTS - after.attempts;
      return showMfa(
        res,
        after,
        401,
        `That code is not correct. ${left} ${left === 1 ? 'try' : 'tries'} left.`,
      );
    }
    ctx.auth.endSignin(s);
    clearCookie(res, SIGNIN_COOKIE);
    const { secret } = ctx.auth.createSession(s.userId, s.keep);
    // A kept session outlives the browser (persistent cookie); otherwise the cookie ends with it.
    setCookie(res, SESSION_COOKIE, secret, s.keep ? sessionTtlSeconds(ctx, true) : undefined);
    res.redirect(302, '/dashboard');
  });

  router.post('/session/mfa/resend', (req, res) => {
    const s = flow(req);
    if (!s || s.step !== 'mfa' || s.userId === null) return res.redirect(302, SIGNIN_PATH);
    if (credentialFor(s.email)?.mfa.kind !== 'sms') return res.redirect(302, '/session/mfa');
    const user = ctx.state.store.get('users', s.userId);
    const sent = ctx.auth.sendSms(phoneOf(user));
    ctx.auth.replaceCode(s, { hash: sent.hash, expiresAt: ctx.now() + SMS_CODE_TTL_MS });
    res.redirect(302, '/session/mfa');
  });

  router.post('/session/destroy', (req, res) => {
    const session = currentSession(ctx, req);
    if (session) ctx.auth.endSession(session);
    clearCookie(res, SESSION_COOKIE);
    res.redirect(302, SIGNIN_PATH);
  });
  return router;
}
