export interface ExpiringToken {
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/**
 * An access token kept until `earlyMs` before it expires, so no request carries a token that expires in flight,
 * and then obtained again by one call however many callers ask at once (single-flight). How a token is obtained
 * (a refresh grant, the encrypted store, a password grant) is the provider's; this is only the keeping.
 */
export function tokenCache(opts: {
  obtain: () => Promise<ExpiringToken>;
  earlyMs: number;
  now?: () => number;
}) {
  const now = opts.now ?? Date.now;
  let current: ExpiringToken | undefined;
  let inflight: Promise<string> | undefined;
  return {
    get: (): Promise<string> => {
      if (current && current.expiresAt - opts.earlyMs > now()) return Promise.resolve(current.token);
      inflight ??= opts
        .obtain()
        .then((obtained) => {
          current = obtained;
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
