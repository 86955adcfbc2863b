import { createApiKeyAdmin } from '../../src/api/auth/api-key-admin';
import { createApiKeyRepository } from '../../src/api/auth/api-keys';
import { createAuditStore, type AuditStore } from '../../src/audit';
import { createDatabase, type Database } from '../../src/store/database';

describe('API key management and the audit trail', () => {
  let db: Database;
  beforeEach(async () => {
    db = await createDatabase('sqlite::memory:');
  });
  afterEach(async () => {
    await db.close();
  });

  /** The real audit store, whose writes fail (a full disk, a lost database connection). */
  function failingAudit(): AuditStore {
    const audit = createAuditStore(db);
    return { ...audit, append: () => Promise.reject(new Error('disk full')) };
  }

  test('when a key is created for a person, then its creation record names that person beside its role and name', async () => {
    const keys = createApiKeyRepository(db.knex);
    const audit = createAuditStore(db);
    const admin = createApiKeyAdmin({ keys, audit, operator: 'ops@host' });
    await admin.create({ tenant: 'acme', role: 'billing', name: 'Jo laptop', user: 'Jo@Acme.law' });
    await admin.create({ tenant: 'acme', role: 'paralegal', name: 'DMS' });
    const { records } = await audit.query({ tenant: 'acme', action: 'api_key.created', limit: 10 });
    // Newest first, as the trail is read.
    expect(records.map((r) => r.refs)).toEqual([
      { role: 'paralegal', name: 'DMS' },
      { role: 'billing', name: 'Jo laptop', user: 'jo@acme.law' },
    ]);
  });

  test('when the creation cannot be recorded, then the key does not exist', async () => {
    const keys = createApiKeyRepository(db.knex);
    const admin = createApiKeyAdmin({ keys, audit: failingAudit(), operator: 'ops@host' });
    await expect(admin.create({ tenant: 'acme', role: 'admin', name: 'erp' })).rejects.toThrow('disk full');
    expect(await keys.list('acme')).toEqual([]);
  });

  test('when the revocation cannot be recorded, then the key is revoked anyway, and revoking again writes the record once', async () => {
    const keys = createApiKeyRepository(db.knex);
    const audit = createAuditStore(db);
    const { key, info } = await createApiKeyAdmin({ keys, audit, operator: 'ops@host' }).create({
      tenant: 'acme',
      role: 'billing',
      name: 'erp',
    });
    const failing = createApiKeyAdmin({ keys, audit: failingAudit(), operator: 'ops@host' });
    await expect(failing.revoke(info.id)).rejects.toThrow('disk full');
    expect(await keys.resolve(key)).toBeUndefined();

    const admin = createApiKeyAdmin({ keys, audit, operator: 'ops@host' });
    expect(await admin.revoke(info.id)).toMatchObject({ revokedNow: false });
    expect(await admin.revoke(info.id)).toMatchObject({ revokedNow: false });
    const { records } = await audit.query({ tenant: 'acme', action: 'api_key.revoked', limit: 10 });
    expect(records).toHaveLength(1);
    expect(records[0]!.refs?.revokedAt).toEqual((await keys.get(info.id))!.revokedAt);
  });

  test('when another operator revokes a key already revoked and recorded, then nothing changes and the first record stands', async () => {
    const keys = createApiKeyRepository(db.knex);
    const audit = createAuditStore(db);
    const { info } = await createApiKeyAdmin({ keys, audit, operator: 'ops@host' }).create({
      tenant: 'acme',
      role: 'billing',
      name: 'erp',
    });
    expect(await createApiKeyAdmin({ keys, audit, operator: 'ops@host' }).revoke(info.id)).toMatchObject({
      revokedNow: true,
    });
    expect(await createApiKeyAdmin({ keys, audit, operator: 'other@host' }).revoke(info.id)).toMatchObject({
      revokedNow: false,
    });
    const { records } = await audit.query({ tenant: 'acme', action: 'api_key.revoked', limit: 10 });
    expect(records.map((r) => r.actor.id)).toEqual(['ops@host']);
  });
});
