import { type z } from 'zod';
import { PortalChangedError, PortalRequestError, PortalSessionExpiredError } from './errors';
import { type PortalPaths, type SessionMaterial } from './types';

export interface PortalClientOptions {
  baseUrl: string;
  paths: PortalPaths;
  material: SessionMaterial;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * The portal's internal JSON endpoints over plain HTTP with a browser session's cookie and CSRF token: no page per
 * call. A 401, or a redirect towards sign-in, means the session ended; the caller reports it and retries later.
 */
export class PortalClient {
  private readonly cookieHeader: string;
  private readonly fetchFn: typeof fetch;

  constructor(private readonly opts: PortalClientOptions) {
    const now = Date.now() / 1000;
    this.cookieHeader = opts.material.cookies
      .filter((c) => c.expires < 0 || c.expires > now)
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
    this.fetchFn = opts.fetch ?? fetch;
  }

  async request<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    body?: unknown,
  ): Promise<z.output<S>> {
    const res = await this.send(method, path, body);
    const text = await res.text();
    if (!res.ok)
      throw new PortalRequestError(res.status, `Clio portal ${method} ${path} answered ${res.status}`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new PortalChangedError('a JSON answer', `${method} ${path}`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success)
      throw new PortalChangedError(
        `the expected JSON shape (${parsed.error.issues[0]?.message ?? ''})`,
        `${method} ${path}`,
      );
    return parsed.data;
  }

  /** A file the portal serves (a bill's PDF): its bytes, type and the file name it suggests. */
  async download(path: string): Promise<{ bytes: Buffer; contentType: string; filename?: string }> {
    const res = await this.send('GET', path, undefined, '*/*');
    const bytes = Buffer.from(await res.arrayBuffer());
    if (!res.ok) throw new PortalRequestError(res.status, `Clio portal GET ${path} answered ${res.status}`);
    const disposition = res.headers.get('content-disposition') ?? '';
    const filename = /filename="?([^";]+)"?/i.exec(disposition)?.[1];
    return { bytes, contentType: res.headers.get('content-type') ?? '', ...(filename ? { filename } : {}) };
  }

  /** True while the session can see an app page; false once the portal sends it to sign-in. */
  async isSignedIn(): Promise<boolean> {
    try {
      const res = await this.send('GET', this.opts.paths.home, undefined, 'text/html');
      await res.arrayBuffer();
      return res.ok;
    } catch (err) {
      if (err instanceof PortalSessionExpiredError) return false;
      throw err;
    }
  }

  private async send(
    method: string,
    path: string,
    body: unknown,
    accept = 'application/json',
  ): Promise<Response> {
    const headers: Record<string, string> = { accept, cookie: this.cookieHeader };
    if (method !== 'GET' && method !== 'HEAD') headers['x-csrf-token'] = this.opts.material.csrfToken;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await this.fetchFn(new URL(path, this.opts.baseUrl), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      // A redirect is the portal's way of saying "signed out" to a page request; never follow it blindly.
      redirect: 'manual',
      signal: AbortSignal.timeout(this.opts.timeoutMs ?? 30_000),
    });
    if (res.status === 401 || (res.status >= 300 && res.status < 400 && this.toSignIn(res))) {
      await res.arrayBuffer().catch(() => undefined);
      throw new PortalSessionExpiredError(res.status);
    }
    return res;
  }

  private toSignIn(res: Response): boolean {
    const location = res.headers.get('location') ?? '';
    // Any redirect away from an app URL is treated as signed out; the sign-in path is the usual target.
    return location === '' || location.includes(this.opts.paths.signIn) || /sign|login/i.test(location);
  }
}
