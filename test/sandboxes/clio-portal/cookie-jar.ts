import { parseSetCookie } from 'cookie';

/** A minimal cookie jar for fetch: one host, so names are enough; Max-Age=0 deletes. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(res: Response): void {
    for (const header of res.headers.getSetCookie()) {
      const c = parseSetCookie(header);
      if (c.maxAge === 0 || c.value === '') this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value ?? '');
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  /** Takes every cookie of another jar (a browser reopened against a restarted server). */
  adopt(other: CookieJar): void {
    for (const [k, v] of other.cookies) this.cookies.set(k, v);
  }

  clear(): void {
    this.cookies.clear();
  }
}
