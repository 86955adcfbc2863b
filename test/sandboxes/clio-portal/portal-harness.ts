import { createClioSandbox, type ClioSandbox } from '../../../src/sandboxes/clio';
import { createPortalRouters, type PortalOptions } from '../../../src/sandboxes/clio/portal';
import { ADMIN_TOTP_SECRET } from '../../../src/sandboxes/clio/portal/portal-users';
import { totpCode } from '../../../src/sandboxes/clio/portal/totp';
import { CookieJar } from './cookie-jar';

/** JSON bodies in tests are checked by expect(), not by types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface PortalHarness {
  sandbox: ClioSandbox;
  base: string;
  close(): Promise<void>;
}

export async function startPortal(opts: PortalOptions = {}): Promise<PortalHarness> {
  const sandbox = createClioSandbox({ routers: createPortalRouters(opts) });
  const port = await sandbox.listen(0);
  return { sandbox, base: `http://127.0.0.1:${port}`, close: () => sandbox.close() };
}

/** A signed-in (or signing-in) client: fetch with a cookie jar, redirects left to the caller. */
export class PortalClient {
  readonly jar = new CookieJar();
  csrf = '';

  constructor(readonly base: string) {}

  async request(
    path: string,
    init: RequestInit & { json?: unknown; form?: Record<string, string> } = {},
  ): Promise<Response> {
    const { json, form, headers, ...rest } = init;
    const h: Record<string, string> = { cookie: this.jar.header(), ...(headers as Record<string, string>) };
    let body = rest.body;
    if (json !== undefined) {
      h['content-type'] = 'application/json';
      body = JSON.stringify(json);
    }
    if (form) {
      h['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(form).toString();
    }
    if (rest.method && rest.method !== 'GET' && this.csrf && h['x-csrf-token'] === undefined)
      h['x-csrf-token'] = this.csrf;
    const res = await fetch(this.base + path, { ...rest, headers: h, body, redirect: 'manual' });
    this.jar.store(res);
    return res;
  }

  async json(
    path: string,
    init: RequestInit & { json?: unknown } = {},
  ): Promise<{ status: number; body: Json }> {
    const res = await this.request(path, init);
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  /** Email → password → code, the way the service's plain-HTTP checks do it; returns the MFA answer. */
  async signIn(email: string, code: (() => Promise<string>) | 'totp', keep = false): Promise<Response> {
    await this.request('/session/email', { method: 'POST', form: { email } });
    await this.request('/session/password', {
      method: 'POST',
      form: { password: 'sandbox-password', ...(keep ? { keep: '1' } : {}) },
    });
    const value = code === 'totp' ? await totpCode(ADMIN_TOTP_SECRET) : await code();
    const res = await this.request('/session/mfa', { method: 'POST', form: { code: value } });
    await this.loadCsrf();
    return res;
  }

  async loadCsrf(): Promise<void> {
    const res = await this.request('/dashboard');
    const html = await res.text();
    this.csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(html)?.[1] ?? '';
  }
}

export async function latestSmsCode(base: string): Promise<string> {
  const res = await fetch(`${base}/_sandbox/outbox`);
  const body = (await res.json()) as { messages: { code: string }[] };
  return body.messages[body.messages.length - 1]?.code ?? '';
}

export const setFaults = (base: string, faults: Record<string, unknown>): Promise<Response> =>
  fetch(`${base}/_sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
