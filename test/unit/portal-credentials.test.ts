import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { PortalCredentialsFileError, portalCredentialsFromConfig } from '../../src/config/portal-credentials';
import { configSecrets } from '../../src/logging/config-secrets';

describe("tenants' Clio web-app users", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'portal-creds-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, content: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, content, { mode: 0o600 });
    return p;
  };
  const config = (credentialsFile?: string) =>
    loadConfig({ ...(credentialsFile ? { CLIO_PORTAL_CREDENTIALS_FILE: credentialsFile } : {}) });

  test('when a file lists another tenant, then that tenant signs in as its own user; DEFAULT_TENANT as the configured one; others have none', () => {
    const p = file(
      'ok.json',
      JSON.stringify({ otherfirm: { username: 'clerk@other.test', password: 'their-password-1' } }),
    );
    const credentialsFor = portalCredentialsFromConfig(config(p));
    expect(credentialsFor('sandbox')).toMatchObject({ username: 'admin@sandbox.test' });
    expect(credentialsFor('otherfirm')).toEqual({
      username: 'clerk@other.test',
      password: 'their-password-1',
      totpSecret: undefined,
    });
    expect(credentialsFor('thirdfirm')).toBeUndefined();
    expect(portalCredentialsFromConfig(config())('otherfirm')).toBeUndefined();
    // Their passwords are scrubbed from logs like the configured ones.
    expect(configSecrets(config(p))).toContain('their-password-1');
  });

  test.each([
    ['not JSON', '{"otherfirm": ', /is not JSON/],
    [
      'an entry without a password',
      JSON.stringify({ otherfirm: { username: 'u@x.test' } }),
      /otherfirm\.password/,
    ],
    [
      'a field it does not know',
      JSON.stringify({ otherfirm: { username: 'u', password: 'p', pin: '1' } }),
      /pin/,
    ],
    [
      'DEFAULT_TENANT',
      JSON.stringify({ sandbox: { username: 'u', password: 'secret-pw-9' } }),
      /DEFAULT_TENANT/,
    ],
  ])(
    'when the file holds %s, then the worker refuses it, naming the file and the entry, never a value',
    (_c, content, reason) => {
      const p = file(`bad-${Math.random()}.json`, content);
      let error: unknown;
      try {
        portalCredentialsFromConfig(config(p));
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(PortalCredentialsFileError);
      expect((error as Error).message).toContain(p);
      expect((error as Error).message).toMatch(reason);
      expect((error as Error).message).not.toMatch(/secret-pw-9/);
    },
  );

  test('when the file is missing, then the worker refuses to start, naming it', () => {
    expect(() => portalCredentialsFromConfig(config(path.join(dir, 'nope.json')))).toThrow(
      /nope\.json: cannot be read/,
    );
  });
});
