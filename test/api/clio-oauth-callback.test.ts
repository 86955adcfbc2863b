import { randomBytes } from 'node:crypto';
import express from 'express';
import { clioOAuthCallbackRouter } from '../../src/api/routes/clio-oauth';
import { errorHandler } from '../../src/api/middleware/error-handler';
import { ClioOAuthClient } from '../../src/integrations/clio/oauth/oauth-client';
import { createOAuthState } from '../../src/integrations/clio/oauth/oauth-state';
import { type OAuthStateLedger } from '../../src/integrations/clio/oauth/state-ledger';
import { type AuditStore } from '../../src/audit';
import { type ClioTokenStore } from '../../src/integrations/clio/oauth/token-store';
import { silent, startClio, type ClioHarness } from '../integrations/helpers';
import { serveLocally, type LocalServer } from '../helpers/router-app';

let h: ClioHarness;
let server: LocalServer;
let base: string;
const stateKey = randomBytes(32);
const saved: string[] = [];

beforeAll(async () => {
  h = await startClio();
  const app = express();
  app.use((req, _res, next) => {
    (req as unknown as { log: typeof silent }).log = silent;
    next();
  });
  app.use(
    clioOAuthCallbackRouter({
      authMode: 'oauth',
      // The firm's app secret in the configuration is not the one Clio has (or the region is wrong).
      oauth: new ClioOAuthClient({ baseUrl: h.baseUrl, clientId: 'sandbox-client', clientSecret: 'not-it' }),
      store: {
        save: (tenant: string) => Promise.resolve(void saved.push(tenant)),
      } as unknown as ClioTokenStore,
      stateKey,
      states: { consume: () => Promise.resolve(true) } as unknown as OAuthStateLedger,
      audit: { append: () => Promise.resolve() } as unknown as AuditStore,
      redirectUri: 'http://127.0.0.1:3000/oauth/clio/callback',
      apiKeys: { get: () => Promise.resolve(undefined) },
    }),
  );
  app.use(errorHandler);
  server = await serveLocally(app);
  base = server.url;
});
afterAll(async () => {
  await server.close();
  await h.close();
});

describe('Clio OAuth callback', () => {
  test('when Clio refuses the service’s client credentials at the code exchange (invalid_client), then a 502 saying the configuration is refused, not "the code was refused: start again"', async () => {
    const state = createOAuthState('sandbox', { key: stateKey });
    const res = await fetch(
      `${base}/oauth/clio/callback?${new URLSearchParams({ code: 'a-code', state }).toString()}`,
    );
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(res.status).toBe(502);
    expect(error.code).toBe('clio_refused_credentials');
    expect(error.message).toMatch(/CLIO_CLIENT_SECRET/);
    expect(saved).toEqual([]);
  });
});
