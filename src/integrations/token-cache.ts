export interface ExpiringToken {
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/**
 * An access token kept until `earlyMs` (at most half its life) before it expires, so no request carries a token
 * that expires in flight, and then obtained again by one call however many callers ask at once (single-flight).
 * How a token is obtained (a refresh grant, the encrypted store, a password grant) is the provider's; this is
 * only the keeping.
 */
export function tokenCache(opts: {
  obtain: () => Promise<ExpiringToken>;
  earlyMs: number;
  now?: () => number;
}) {
  const now = opts.now ?? Date.now;
  let current: (ExpiringToken & { renewAt: number }) | undefined;
  let inflight: Promise<string> | undefined;
  return {
    get: (): Promise<string> => {
      if (current && current.renewAt > now()) return Promise.resolve(current.token);
      inflight ??= opts
        .obtain()
        .then((obtained) => {
          // Early by earlyMs, but never by more than half the token's life: a one-minute token (a setting
          // iManage allows) is still used for its first half rather than obtained again for every request.
          const early = Math.min(opts.earlyMs, (obtained.expiresAt - now()) / 2);
          current = { ...obtained, renewAt: obtained.expiresAt - early };
          return obtained.token;
        })
        .finally(() => {
          inflight = undefined;
        });
      return inflight;
    },
    /** `token` was refused: the next get obtains another, unless one was obtained since. */
    drop: (token: string): void => {
      if (current?.token === token) current = undefined;
    },
  };
}
