import { clioFirm } from '../../../src/sandboxes/imanage/state/clio-firm';
import {
  createIManageSandbox,
  type IManageSandbox,
  type IManageSandboxOptions,
} from '../../../src/sandboxes/imanage';

/** Answers are arbitrary JSON whose shape the assertions check, so they stay untyped. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Running {
  sandbox: IManageSandbox;
  base: string;
  /** `.../work/api/v2/customers/1/libraries/ACTIVE` on the running sandbox. */
  lib: string;
}

export async function start(opts: IManageSandboxOptions = {}): Promise<Running> {
  const sandbox = createIManageSandbox(opts);
  const port = await sandbox.listen(0);
  const base = `http://127.0.0.1:${port}`;
  return { sandbox, base, lib: `${base}/work/api/v2/customers/1/libraries/ACTIVE` };
}

/** One sandbox per test file, signed in as admin: started in beforeAll and closed in afterAll. */
export function useSandbox(opts: IManageSandboxOptions = {}): Running & { token: string } {
  const ctx = {} as Running & { token: string };
  beforeAll(async () => {
    Object.assign(ctx, await start(opts));
    ctx.token = await tokenFor(ctx.base);
  });
  afterAll(async () => {
    await ctx.sandbox.close();
  });
  return ctx;
}

export async function tokenFor(base: string, username = 'admin'): Promise<string> {
  const res = await fetch(`${base}/auth/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'password',
      username,
      password: 'sandbox-password',
      client_id: 'sandbox-client',
    }),
  });
  if (res.status !== 200) throw new Error(`token grant failed: ${res.status}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

export interface Answer {
  status: number;
  body: Json;
  headers: Headers;
}

/** A JSON call with X-Auth-Token; bodies that are FormData go as multipart. */
export async function call(
  url: string,
  token: string | undefined,
  init: { method?: string; json?: unknown; form?: FormData } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (token) headers['X-Auth-Token'] = token;
  let body: string | FormData | undefined;
  if (init.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(init.json);
  } else if (init.form) body = init.form;
  const res = await fetch(url, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Downloads are not JSON; keep the text.
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

export function uploadForm(fileName: string, content: string, profile: unknown = {}): FormData {
  const form = new FormData();
  form.append('profile', JSON.stringify(profile));
  form.append('file', new Blob([content], { type: 'application/octet-stream' }), fileName);
  return form;
}

export async function dump(base: string): Promise<Json> {
  return (await fetch(`${base}/_sandbox/dump`)).json();
}

export async function setFaults(base: string, faults: Record<string, unknown>): Promise<Answer> {
  return call(`${base}/_sandbox/faults`, undefined, { json: faults });
}

export function expectEnvelope(a: Answer, status: number, code?: string): void {
  expect(a.status).toBe(status);
  expect(a.body).toEqual({
    error: {
      code: code ?? expect.any(String),
      code_message: expect.any(String),
      messages: expect.any(Array),
    },
  });
}

/** The firm both sandboxes seed (seed 1): iManage workspace n is Clio matter n, filed under its Clio client. */
export const firm = clioFirm(1);

/** custom1 (client alias) and custom2 (matter number) of seeded matter m (1-based). */
export function seeded(m: number): { custom1: string; custom2: string } {
  return { custom1: firm.matters[m - 1]!.clientAlias, custom2: String(m).padStart(5, '0') };
}

/** The first client (in matter order) with at least n seeded matters, and those matters' numbers. */
export function clientWith(n: number): { alias: string; matters: string[] } {
  const byClient = new Map<string, string[]>();
  firm.matters.forEach((m, i) =>
    byClient.set(m.clientAlias, [...(byClient.get(m.clientAlias) ?? []), String(i + 1).padStart(5, '0')]),
  );
  for (const [alias, matters] of byClient) if (matters.length >= n) return { alias, matters };
  throw new Error(`no seeded client has ${n} matters`);
}
