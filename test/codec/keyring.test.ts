import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ensureKeyFile,
  generateKeySpec,
  KeyringError,
  loadKeyring,
  parseKeyring,
} from '../../src/temporal/codec';
import { keyB64 } from './keys';

describe('keyring', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'keyring-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when given id:base64 pairs, then the first is primary unless another is named', () => {
    const spec = `k2:${keyB64()}, k1:${keyB64()}`;
    const ring = parseKeyring(spec);
    expect([...ring.keys.keys()]).toEqual(['k2', 'k1']);
    expect(ring.primaryKeyId).toBe('k2');
    expect(ring.keys.get('k1')).toHaveLength(32);
    expect(parseKeyring(spec, 'k1').primaryKeyId).toBe('k1');
  });

  it('when a key is malformed, then the error names the key id but never the material', () => {
    const short = Buffer.from('sixteen-byte-key').toString('base64');
    expect(() => parseKeyring(`k1:${short}`)).toThrow(KeyringError);
    try {
      parseKeyring(`k1:${short}`);
    } catch (error) {
      expect(String(error)).toContain('k1');
      expect(String(error)).not.toContain(short);
    }
    expect(() => parseKeyring('')).toThrow(/no encryption keys/);
    expect(() => parseKeyring(`k1:${keyB64()},k1:${keyB64()}`)).toThrow(/twice/);
    expect(() => parseKeyring(`k1:${keyB64()}`, 'k9')).toThrow(/primary/);
    expect(() => parseKeyring('no-colon-here')).toThrow(/expected <id>:<base64 key>/);
  });

  it('when loading from a key file, then comments and newlines are accepted and the inline spec wins', () => {
    const file = join(dir, 'keys');
    writeFileSync(file, `# rotated 2026-11\nnew:${keyB64()}\nold:${keyB64()}\n`);
    expect(loadKeyring({ keyFile: file }).primaryKeyId).toBe('new');
    expect(loadKeyring({ keys: `inline:${keyB64()}`, keyFile: file }).primaryKeyId).toBe('inline');
    expect(() => loadKeyring({ keyFile: join(dir, 'missing') })).toThrow(/does not exist/);
    expect(() => loadKeyring({})).toThrow(/no payload encryption keys/);
  });

  it('when the embedded default needs a key file, then one is created owner-only and never overwritten', () => {
    const file = join(dir, 'nested', 'payload-keys');
    ensureKeyFile(file);
    const first = readFileSync(file, 'utf8');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    ensureKeyFile(file);
    expect(readFileSync(file, 'utf8')).toBe(first);
    expect(loadKeyring({ keyFile: file }).keys.size).toBe(1);
    const racing = join(dir, 'race', 'payload-keys');
    for (let i = 0; i < 5; i++) ensureKeyFile(racing);
    expect(readdirSync(join(dir, 'race'))).toEqual(['payload-keys']); // no temp files left behind
    expect(generateKeySpec('k1')).toMatch(/^k1:[A-Za-z0-9+/]{43}=$/);
  });
});
