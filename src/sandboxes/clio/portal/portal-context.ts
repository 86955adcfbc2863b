import type { Request, Response } from 'express';
import { parse, serialize } from 'cookie';
import { DEFAULT_FAULTS } from '../state/faults';
import type { SandboxState } from '../state/sandbox-state';
import type { AuthStore, Session } from './auth-store';

export const SESSION_COOKIE = '_clio_session';
export const SIGNIN_COOKIE = '_clio_signin';
export const SIGNIN_PATH = '/session/new';

const HOUR = 3600;
/** Clio's plain session lasts a working day; "keep me signed in" stretches it (30 days here, per the brief). */
export const DEFAULT_SESSION_TTL_SECONDS = 8 * HOUR;
export const KEEP_SESSION_TTL_SECONDS = 30 * 24 * HOUR;

/** What every portal router shares: the sandbox state, the auth tables and one clock. */
export interface PortalContext {
  state: SandboxState;
  auth: AuthStore;
  now: () => number;
}

export const readCookie = (req: Request, name: string): string | undefined =>
  parse(req.header('cookie') ?? '')[name] ?? undefined;

export function setCookie(res: Response, name: string, value: string, maxAgeSeconds?: number): void {
  res.append(
    'Set-Cookie',
    serialize(name, value, {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      ...(maxAgeSeconds ? { maxAge: maxAgeSeconds } : {}),
    }),
  );
}

export const clearCookie = (res: Response, name: string): void => {
  res.append('Set-Cookie', serialize(name, '', { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 0 }));
};

/**
 * The session's lifetime. The `sessionTtlSeconds` fault overrides it once set away from its default
 * (the fault table always carries a value, so "unchanged" is how "not set" reads), and it applies to
 * sessions already issued, so a test can shorten a live session.
 */
export function sessionTtlSeconds(ctx: PortalContext, keep: boolean): number {
  const fault = ctx.state.getFaults().sessionTtlSeconds;
  if (fault !== DEFAULT_FAULTS.sessionTtlSeconds) return fault;
  return keep ? KEEP_SESSION_TTL_SECONDS : DEFAULT_SESSION_TTL_SECONDS;
}

/** The live session behind the request's cookie, or undefined (missing, unknown or expired). */
export function currentSession(ctx: PortalContext, req: Request): Session | undefined {
  const session = ctx.auth.session(readCookie(req, SESSION_COOKIE));
  if (!session) return undefined;
  if (ctx.now() >= session.createdAt + sessionTtlSeconds(ctx, session.keep) * 1000) {
    ctx.auth.endSession(session);
    return undefined;
  }
  return session;
}
