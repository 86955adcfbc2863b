import { createClioSandbox, type ClioSandbox, type ClioSandboxOptions } from '../../../src/sandboxes/clio';

/** JSON bodies in tests are checked by expect(), not by types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export const TOKEN = 'sandbox-access-token';

export interface Harness {
  sandbox: ClioSandbox;
  base: string;
  /** fetch against the sandbox with the pre-issued token (override headers per call). */
  api(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  /** Parsed JSON body of an API call, with its status. */
  call(
    path: string,
    init?: RequestInit & { json?: unknown },
  ): Promise<{ status: number; body: Json; headers: Headers }>;
}

/** Starts a sandbox on a free port over real HTTP; close it with `harness.sandbox.close()`. */
export async function startSandbox(opts?: ClioSandboxOptions): Promise<Harness> {
  const sandbox = createClioSandbox(opts);
  const port = await sandbox.listen(0);
  const base = `http://127.0.0.1:${port}`;
  const api: Harness['api'] = (path, init = {}) => {
    const { json, headers, ...rest } = init;
    return fetch(base + path, {
      ...rest,
      headers: {
        Authorization: `Bearer ${TOKEN}`,
        ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(headers as Record<string, string>),
      },
      body: json !== undefined ? JSON.stringify(json) : rest.body,
    });
  };
  const call: Harness['call'] = async (path, init) => {
    const res = await api(path, init);
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };
  return { sandbox, base, api, call };
}
