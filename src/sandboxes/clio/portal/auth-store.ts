import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Db } from '../state/db';

export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');
export const newSecret = (): string => randomBytes(32).toString('base64url');

const SIGNIN_TTL_MS = 60 * 60_000;

export type SigninStep = 'password' | 'mfa' | 'locked';

export interface Signin {
  idHash: string;
  email: string;
  step: SigninStep;
  keep: boolean;
  userId: number | null;
  codeHash: string | null;
  codeExpiresAt: number | null;
  attempts: number;
}

export interface Session {
  idHash: string;
  userId: number;
  csrf: string;
  keep: boolean;
  createdAt: number;
}

interface SigninRow {
  id_hash: string;
  email: string;
  step: SigninStep;
  keep: number;
  user_id: number | null;
  code_hash: string | null;
  code_expires_at: number | null;
  attempts: number;
}

/** Sign-in flows, sessions and the SMS outbox, kept in the portal's tables (see portal-db.ts). */
export class AuthStore {
  constructor(
    private readonly db: Db,
    readonly now: () => number,
  ) {}

  /** The last TOTP step that signed this user in (a code is good for one sign-in). */
  lastTotpStep(userId: number): number | undefined {
    const row = this.db.prepare('SELECT last_step FROM portal_totp_steps WHERE user_id = ?').get(userId) as
      { last_step: number } | undefined;
    return row?.last_step;
  }

  /** Records a used TOTP step; false when that step or a later one was used meanwhile (two submits of one code). */
  useTotpStep(userId: number, step: number): boolean {
    const { changes } = this.db
      .prepare(
        `INSERT INTO portal_totp_steps (user_id, last_step) VALUES (?, ?)
         ON CONFLICT(user_id) DO UPDATE SET last_step = excluded.last_step WHERE excluded.last_step > last_step`,
      )
      .run(userId, step);
    return changes === 1;
  }

  startSignin(email: string): string {
    // Abandoned sign-ins are dropped after an hour, so the table does not grow with every page visit.
    this.db.prepare('DELETE FROM portal_signins WHERE created_at < ?').run(this.now() - SIGNIN_TTL_MS);
    const secret = newSecret();
    this.db
      .prepare('INSERT INTO portal_signins (id_hash, email, step, created_at) VALUES (?, ?, ?, ?)')
      .run(hashSecret(secret), email, 'password', this.now());
    return secret;
  }

  signin(secret: string | undefined): Signin | undefined {
    if (!secret) return undefined;
    const row = this.db
      .prepare('SELECT * FROM portal_signins WHERE id_hash = ? AND created_at >= ?')
      .get(hashSecret(secret), this.now() - SIGNIN_TTL_MS) as SigninRow | undefined;
    if (!row) return undefined;
    return {
      idHash: row.id_hash,
      email: row.email,
      step: row.step,
      keep: row.keep === 1,
      userId: row.user_id,
      codeHash: row.code_hash,
      codeExpiresAt: row.code_expires_at,
      attempts: row.attempts,
    };
  }

  /** Password accepted: a fresh challenge (attempts back to 0) for this flow. */
  toMfa(s: Signin, userId: number, keep: boolean, code?: { hash: string; expiresAt: number }): void {
    this.db
      .prepare(
        "UPDATE portal_signins SET step = 'mfa', user_id = ?, keep = ?, code_hash = ?, code_expires_at = ?, attempts = 0 WHERE id_hash = ?",
      )
      .run(userId, keep ? 1 : 0, code?.hash ?? null, code?.expiresAt ?? null, s.idHash);
  }

  /** Counts a wrong code; at `limit` the challenge locks and a new sign-in is the only way on. */
  failAttempt(s: Signin, limit: number): Signin {
    const attempts = s.attempts + 1;
    const step: SigninStep = attempts >= limit ? 'locked' : s.step;
    this.db
      .prepare('UPDATE portal_signins SET attempts = ?, step = ? WHERE id_hash = ?')
      .run(attempts, step, s.idHash);
    return { ...s, attempts, step };
  }

  replaceCode(s: Signin, code: { hash: string; expiresAt: number }): void {
    this.db
      .prepare('UPDATE portal_signins SET code_hash = ?, code_expires_at = ? WHERE id_hash = ?')
      .run(code.hash, code.expiresAt, s.idHash);
  }

  endSignin(s: Signin): void {
    this.db.prepare('DELETE FROM portal_signins WHERE id_hash = ?').run(s.idHash);
  }

  createSession(userId: number, keep: boolean): { secret: string; session: Session } {
    const secret = newSecret();
    const session: Session = {
      idHash: hashSecret(secret),
      userId,
      csrf: newSecret(),
      keep,
      createdAt: this.now(),
    };
    this.db
      .prepare(
        'INSERT INTO portal_sessions (id_hash, user_id, csrf, keep, created_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(session.idHash, userId, session.csrf, keep ? 1 : 0, session.createdAt);
    return { secret, session };
  }

  session(secret: string | undefined): Session | undefined {
    if (!secret) return undefined;
    const row = this.db.prepare('SELECT * FROM portal_sessions WHERE id_hash = ?').get(hashSecret(secret)) as
      { id_hash: string; user_id: number; csrf: string; keep: number; created_at: number } | undefined;
    return row
      ? {
          idHash: row.id_hash,
          userId: row.user_id,
          csrf: row.csrf,
          keep: row.keep === 1,
          createdAt: row.created_at,
        }
      : undefined;
  }

  endSession(session: Session): void {
    this.db.prepare('DELETE FROM portal_sessions WHERE id_hash = ?').run(session.idHash);
  }

  /** "Sends" an SMS: the code lands in the outbox, where GET /_sandbox/outbox shows it. */
  sendSms(to: string): { hash: string; code: string } {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    this.db
      .prepare('INSERT INTO portal_outbox (to_number, code, sent_at) VALUES (?, ?, ?)')
      .run(to, code, new Date(this.now()).toISOString());
    return { hash: hashSecret(code), code };
  }

  outbox(): { to: string; code: string; sentAt: string }[] {
    return (
      this.db.prepare('SELECT to_number, code, sent_at FROM portal_outbox ORDER BY seq').all() as {
        to_number: string;
        code: string;
        sent_at: string;
      }[]
    ).map((r) => ({ to: r.to_number, code: r.code, sentAt: r.sent_at }));
  }
}
