import { createIManageSandbox, type IManageSandbox } from '../../src/sandboxes/imanage';
import { IManageApiError } from '../../src/integrations/imanage/errors';
import { IManageHttpClient } from '../../src/integrations/imanage/http-client';
import { IManageClient } from '../../src/integrations/imanage/imanage-client';
import {
  createIManageTokenProvider,
  type IManageTokenProvider,
} from '../../src/integrations/imanage/token-provider';
import { silent } from './helpers';
import { clientWith } from '../sandboxes/imanage/helpers';

/** A seeded client with at least two matters (the sandboxes seed one firm: clients are Clio contact ids). */
const SEEDED_CLIENT = clientWith(2).alias;

let sandbox: IManageSandbox;
let base: string;
beforeAll(async () => {
  sandbox = createIManageSandbox({});
  base = `http://127.0.0.1:${await sandbox.listen(0)}`;
});
afterAll(() => sandbox.close());
afterEach(async () => {
  await fetch(`${base}/_sandbox/reset`, { method: 'POST' });
});

function tokens(username = 'admin'): IManageTokenProvider {
  return createIManageTokenProvider({
    baseUrl: base,
    clientId: 'sandbox-client',
    username,
    password: 'sandbox-password',
  });
}
function client(t: IManageTokenProvider = tokens(), url = base): IManageClient {
  return new IManageClient(
    new IManageHttpClient({ baseUrl: url, customerId: '1', library: 'ACTIVE', tokens: t, logger: silent }),
  );
}
async function faults(f: Record<string, unknown>): Promise<void> {
  await fetch(`${base}/_sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(f),
  });
}
const tokenRequests = async () =>
  ((await (await fetch(`${base}/_sandbox/stats`)).json()) as { byRoute: Record<string, number> }).byRoute[
    'POST /auth/oauth2/token'
  ] ?? 0;
async function failure(p: Promise<unknown>): Promise<IManageApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof IManageApiError) return err;
    throw err;
  }
  throw new Error('expected an IManageApiError');
}

describe('iManage client: custom fields, workspaces, folders, documents', () => {
  it('when aliases are read and created, then custom2 lives under its custom1', async () => {
    const im = client();
    expect(await im.getCustom1(SEEDED_CLIENT)).toMatchObject({
      id: SEEDED_CLIENT,
      description: expect.any(String),
    });
    expect(await im.getCustom1('99999')).toBeUndefined();
    await im.createCustom1({ id: '99999', description: 'New Client' });
    const m = await im.createCustom2({ id: '99999-01', description: 'New Matter', parentId: '99999' });
    expect(m).toMatchObject({ id: '99999-01', parentId: '99999' });
    expect(await im.getCustom2('99999-01', '99999')).toMatchObject({ description: 'New Matter' });
  });

  it('when a workspace is created, then search by custom fields finds it and folders can be added', async () => {
    const im = client();
    await im.createCustom1({ id: '88888' });
    await im.createCustom2({ id: '00001', parentId: '88888' });
    const ws = await im.createWorkspace({
      name: 'Acme - Merger',
      customs: { custom1: '88888', custom2: '00001' },
    });
    expect(ws).toMatchObject({
      id: expect.stringMatching(/^ACTIVE!\d+$/),
      custom1: '88888',
      custom2: '00001',
    });
    expect((await im.findWorkspaces('88888', '00001')).map((w) => w.id)).toEqual([ws.id]);
    expect(await im.getWorkspace(ws.id)).toMatchObject({ name: 'Acme - Merger' });

    const top = await im.createFolder({ kind: 'workspace', id: ws.id }, { name: 'Pleadings' });
    const sub = await im.createFolder({ kind: 'folder', id: top.id }, { name: 'Drafts' });
    expect((await im.listFolders(ws.id)).data.map((f) => f.name)).toContain('Pleadings');
    expect((await im.listFolders(top.id)).data.map((f) => f.id)).toEqual([sub.id]);
    // A retried create-folder step finds the earlier attempt's folder by name, through the documented search.
    expect((await im.findFolders(ws.id, 'Pleadings')).map((f) => f.id)).toEqual([top.id]);
    expect(await im.findFolders(ws.id, 'Correspondence')).toEqual([]);
    expect(await im.getFolder(sub.id)).toMatchObject({ name: 'Drafts', parentId: top.id });
  });

  it('when a document is read by LIB!n, then the latest version comes; by LIB!n.v, that version', async () => {
    const im = client();
    const doc = (await im.searchDocuments({}, { limit: 50 })).data.find((d) => d.version > 1);
    expect(doc).toBeDefined();
    const latest = await im.getDocument(`ACTIVE!${doc?.documentNumber}`);
    expect(latest.version).toBe(doc?.version);
    const first = await im.getDocument(`ACTIVE!${doc?.documentNumber}.1`);
    expect(first).toMatchObject({ version: 1, id: `ACTIVE!${doc?.documentNumber}.1` });
    await expect(im.getDocument('OTHER!1.1')).rejects.toMatchObject({ code: 'WRONG_LIBRARY' });
  });

  it('when paging by offset, then pages follow each other without overlap up to the total', async () => {
    const im = client();
    const p1 = await im.searchWorkspaces({ custom1: SEEDED_CLIENT }, { limit: 1 });
    expect(p1.total).toBeGreaterThanOrEqual(2);
    const all = [];
    for await (const w of im.all((p) => im.searchWorkspaces({ custom1: SEEDED_CLIENT }, p), 1))
      all.push(w.id);
    expect(all).toHaveLength(p1.total as number);
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('iManage client: errors and tokens', () => {
  it('when a write is refused or invalid, then permanent errors keep iManage codes and field messages', async () => {
    const im = client();
    expect(await failure(im.createCustom1({ id: SEEDED_CLIENT }))).toMatchObject({
      status: 409,
      code: 'ALREADY_EXISTS',
      retryable: false,
    });
    const invalid = await failure(im.createCustom2({ id: 'x', parentId: 'NO-SUCH' }));
    expect(invalid).toMatchObject({ status: 422, code: 'VALIDATION_FAILED', retryable: false });
    expect(invalid.messages.length).toBeGreaterThan(0);
    expect(await failure(client(tokens('viewer')).createCustom1({ id: '77777' }))).toMatchObject({
      status: 403,
      retryable: false,
    });
    expect(await failure(im.getWorkspace('ACTIVE!999999'))).toMatchObject({
      status: 404,
      code: 'NOT_FOUND',
      retryable: false,
    });
  });

  it('when iManage fails or limits, then the errors are retryable, a 429 with Retry-After', async () => {
    const im = client();
    await im.getCustom1(SEEDED_CLIENT);
    await faults({ errorRate: 1 });
    expect(await failure(im.getCustom1(SEEDED_CLIENT))).toMatchObject({ status: 503, retryable: true });
    await faults({ errorRate: 0, rateLimitPerMinute: 1 });
    await im.getCustom1(SEEDED_CLIENT);
    const limited = await failure(im.getCustom1(SEEDED_CLIENT));
    expect(limited).toMatchObject({ status: 429, retryable: true });
    expect(limited.retryAfterMs).toBeGreaterThan(0);
    expect(await failure(client(tokens(), 'http://127.0.0.1:1').getCustom1('1'))).toMatchObject({
      code: 'NetworkError',
      retryable: true,
    });
  });

  it('when a 429 or 503 says Retry-After as an HTTP date, then the error waits until then (RFC 9110 §10.2.3)', async () => {
    const at = new Date(Date.now() + 45_000).toUTCString();
    const answering = (status: number) =>
      new IManageClient(
        new IManageHttpClient({
          baseUrl: base,
          customerId: '1',
          library: 'ACTIVE',
          tokens: { getAccessToken: () => Promise.resolve('t'), invalidate: () => undefined },
          logger: silent,
          fetch: () =>
            Promise.resolve(
              new Response(
                JSON.stringify({ error: { code: 'TOO_MANY_REQUESTS', code_message: 'slow down' } }),
                {
                  status,
                  headers: { 'retry-after': at },
                },
              ),
            ),
        }),
      );
    for (const status of [429, 503]) {
      const err = await failure(answering(status).getWorkspace('ACTIVE!1'));
      expect(err).toMatchObject({ status, retryable: true });
      expect(err.retryAfterMs).toBeGreaterThan(40_000);
      expect(err.retryAfterMs).toBeLessThanOrEqual(45_000);
    }
  });

  it('when the token is revoked, then one refresh grant and the request succeeds', async () => {
    const t = tokens();
    const im = client(t);
    await im.getCustom1(SEEDED_CLIENT);
    const token = await t.getAccessToken();
    await fetch(`${base}/auth/oauth2/revoke-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ access_token: token }),
    });
    expect(await im.getCustom1(SEEDED_CLIENT)).toMatchObject({ id: SEEDED_CLIENT });
    expect(await tokenRequests()).toBe(2);
  });

  it('when 50 callers start at once, then one token request serves them all', async () => {
    const im = client();
    await Promise.all(Array.from({ length: 50 }, () => im.getCustom1(SEEDED_CLIENT)));
    expect(await tokenRequests()).toBe(1);
  });

  it('when the password is wrong, then a permanent error', async () => {
    const bad = createIManageTokenProvider({
      baseUrl: base,
      clientId: 'sandbox-client',
      username: 'admin',
      password: 'nope',
    });
    await expect(bad.getAccessToken()).rejects.toMatchObject({ status: 401, retryable: false });
  });

  it("when the token endpoint answers 200 with a page that is not JSON (a proxy's sign-in page), then a retryable BadTokenResponse", async () => {
    const behindProxy = createIManageTokenProvider({
      baseUrl: base,
      clientId: 'sandbox-client',
      username: 'admin',
      password: 'sandbox-password',
      fetch: () => Promise.resolve(new Response('<html>Sign in to the proxy</html>', { status: 200 })),
    });
    const err = await failure(behindProxy.getAccessToken());
    expect(err).toMatchObject({ code: 'BadTokenResponse', retryable: true });
  });
});
