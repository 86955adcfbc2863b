import { freePort } from '../../src/dev/ports';
import { startSystem, type System } from './system';

/**
 * An admin starts connecting a tenant's Clio as the browser goes: the API's start redirect and "Allow access" on the
 * sandbox's consent page. Returns the callback URL Clio redirects the browser to (not yet followed); `inspect`
 * sees Clio's authorize URL before the person clicks.
 */
export async function consentRedirect(
  sys: System,
  tenant: string,
  headers: Record<string, string>,
  inspect: (authorize: URL) => Promise<void> = () => Promise.resolve(),
): Promise<URL> {
  const start = await fetch(`${sys.api.url}/v1/tenants/${tenant}/oauth/start`, {
    headers,
    redirect: 'manual',
  });
  expect(start.status).toBe(302);
  const authorize = new URL(start.headers.get('location')!);
  await inspect(authorize);
  return allowAtClio(sys.clioUrl, {
    clientId: authorize.searchParams.get('client_id')!,
    redirectUri: authorize.searchParams.get('redirect_uri')!,
    state: authorize.searchParams.get('state')!,
  });
}

/** "Allow access" on the Clio sandbox's consent page; returns where Clio sends the browser (code and state). */
export async function allowAtClio(
  clioUrl: string,
  consent: { clientId: string; redirectUri: string; state: string },
): Promise<URL> {
  const answer = await fetch(`${clioUrl}/oauth/authorize`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: consent.clientId,
      redirect_uri: consent.redirectUri,
      state: consent.state,
      decision: 'allow',
    }),
  });
  expect(answer.status).toBe(302);
  return new URL(answer.headers.get('location')!);
}

/** The whole consent, callback included; returns the callback's answer. */
export async function connectClio(
  sys: System,
  tenant: string,
  headers: Record<string, string>,
  inspect?: (authorize: URL) => Promise<void>,
): Promise<Response> {
  return fetch(await consentRedirect(sys, tenant, headers, inspect));
}

/** The system in OAuth mode, its API on a port of its own that PUBLIC_URL names (Clio's redirect goes there). */
export async function startOAuthSystem(env: Record<string, string> = {}): Promise<System> {
  const port = await freePort();
  return startSystem({
    CLIO_AUTH_MODE: 'oauth',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    ...env,
  });
}
