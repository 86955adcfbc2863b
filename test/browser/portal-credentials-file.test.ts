import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApiKeyRepository } from '../../src/api/auth/api-keys';
import { api, sandboxControl, startSessionSystem, type SessionSystem } from './session-system';

/** A second tenant whose Clio web-app user comes from CLIO_PORTAL_CREDENTIALS_FILE (real Chromium, real Temporal). */
describe('another tenant’s web-app user from the credentials file', () => {
  let sys: SessionSystem;
  let dir: string;
  let key: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'portal-creds-e2e-'));
    const file = path.join(dir, 'portal-credentials.json');
    // The sandbox's SMS user stands in for the other firm's: its code goes to the outbox, so the test sees who signed in.
    writeFileSync(
      file,
      JSON.stringify({ otherfirm: { username: 'clerk@sandbox.test', password: 'sandbox-password' } }),
      { mode: 0o600 },
    );
    sys = await startSessionSystem({ CLIO_PORTAL_CREDENTIALS_FILE: file });
    ({ key } = await createApiKeyRepository(sys.db.knex).create({
      tenant: 'otherfirm',
      role: 'admin',
      name: 'their admin',
    }));
  });
  afterAll(async () => {
    await sys?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function stateOf(want: string): Promise<Record<string, unknown>> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { body } = await api(sys, 'GET', '/v1/tenants/otherfirm/session', undefined, key);
      if (body.state === want || Date.now() > deadline) return body;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  test('when its session is needed, then it signs in as its own user (SMS code), not as DEFAULT_TENANT’s', async () => {
    const { messages: before } = (await sandboxControl(sys, 'GET', '/_sandbox/outbox')) as {
      messages: { code: string }[];
    };
    await sys.link.ensure('otherfirm');
    expect(await stateOf('awaiting_mfa')).toMatchObject({ state: 'awaiting_mfa' });
    const { messages } = (await sandboxControl(sys, 'GET', '/_sandbox/outbox')) as {
      messages: { code: string }[];
    };
    expect(messages.length).toBe(before.length + 1);
    const mfa = await api(
      sys,
      'POST',
      '/v1/tenants/otherfirm/session/mfa',
      { code: messages.at(-1)!.code },
      key,
    );
    expect(mfa.status).toBe(202);
    expect(await stateOf('active')).toMatchObject({ state: 'active' });
    expect((await sys.store.loadMaterial('otherfirm'))?.material.signedInAs).toBe('clerk@sandbox.test');
  });
});
