import { randomBytes } from 'node:crypto';
import Ajv from 'ajv';
import { createApiKeyAdmin } from '../../src/api/auth/api-key-admin';
import { createAuditStore, type AuditStore } from '../../src/audit';
import { webhooksRouter } from '../../src/api/routes/webhooks';
import { createSecretBox } from '../../src/crypto/secret-box';
import { createDatabase, type Database } from '../../src/store/database';
import { createWebhookRepository, type WebhookRepository } from '../../src/webhooks/repository';
import { routerApp, serveLocally, type LocalServer } from '../helpers/router-app';
import { startApi, type Api } from './api-harness';

/** Who sent the firm's events where is part of the firm's audit trail: each subscription made and deleted. */
describe('webhook subscriptions in the audit trail', () => {
  describe('through the API', () => {
    let api: Api;
    beforeAll(async () => {
      api = await startApi();
    });
    afterAll(async () => {
      await api?.stop();
    });

    const call = (method: string, path: string, key: string, body?: unknown) =>
      fetch(`${api.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const trail = async (action: string) =>
      (
        (await (await call('GET', `/v1/audit?action=${action}`, 'sandbox-admin')).json()) as {
          data: { actor: unknown; target: unknown; refs?: Record<string, string> }[];
        }
      ).data;

    test('when a person subscribes and later deletes a webhook, then both acts are recorded once, naming that person and the receiver host, never its path or query', async () => {
      const { key } = await api.keys.create({
        tenant: 'sandbox',
        role: 'admin',
        name: 'Ops laptop',
        user: 'ops@firm.law',
      });
      const created = await call('POST', '/v1/webhooks', key, {
        url: 'https://93.184.216.34/hooks/clio?token=receiver-credential',
        events: ['workflow.failed', 'session.mfa_required'],
      });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };

      const byOps = { type: 'user', id: 'ops@firm.law', role: 'admin' };
      const target = { kind: 'webhook_subscription', ids: { webhookId: id } };
      const subscribed = await trail('webhook.subscribed');
      expect(subscribed).toEqual([
        expect.objectContaining({
          actor: expect.objectContaining(byOps) as unknown,
          target,
          refs: { host: '93.184.216.34', events: 'workflow.failed session.mfa_required' },
        }),
      ]);
      expect(JSON.stringify(subscribed)).not.toMatch(/receiver-credential|hooks\/clio/);

      expect((await call('DELETE', `/v1/webhooks/${id}`, key)).status).toBe(204);
      // Sent again (an answer lost on the way) and by another admin: not there any more, and no second record.
      expect((await call('DELETE', `/v1/webhooks/${id}`, key)).status).toBe(404);
      expect((await call('DELETE', `/v1/webhooks/${id}`, 'sandbox-admin')).status).toBe(404);
      const deleted = await trail('webhook.deleted');
      expect(deleted).toEqual([
        expect.objectContaining({ actor: expect.objectContaining(byOps) as unknown, target }),
      ]);
      expect(deleted[0]!.refs?.deletedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect((await call('DELETE', '/v1/webhooks/wh_000000000000000000000000', key)).status).toBe(404);
    });

    test('the records GET /v1/audit answers are what the OpenAPI document says an AuditRecord is, field by field', async () => {
      // Records of every actor type: a person's key, a key naming nobody, and an operator.
      const { key: erp } = await api.keys.create({ tenant: 'sandbox', role: 'admin', name: 'ERP' });
      const made = await call('POST', '/v1/webhooks', erp, {
        url: 'https://93.184.216.34/erp',
        events: ['workflow.completed'],
      });
      expect(made.status).toBe(201);
      await createApiKeyAdmin({
        keys: api.keys,
        audit: createAuditStore(api.db),
        operator: 'ops@host',
      }).create({
        tenant: 'sandbox',
        role: 'billing',
        name: 'Billing laptop',
        user: 'bea@firm.law',
      });
      const page = (await (await call('GET', '/v1/audit?limit=50', 'sandbox-admin')).json()) as {
        data: unknown[];
      };
      const doc = (await (await fetch(`${api.url}/openapi.json`)).json()) as object;
      const ajv = new Ajv({ strict: false, allErrors: true });
      ajv.addSchema(doc, 'openapi');
      const isRecord = ajv.compile({ $ref: 'openapi#/components/schemas/AuditRecord' });
      const types = new Set<string>();
      for (const record of page.data) {
        expect({ record, errors: isRecord(record) ? null : isRecord.errors }).toEqual({
          record,
          errors: null,
        });
        types.add((record as { actor: { type: string } }).actor.type);
      }
      expect([...types].sort()).toEqual(['api_key', 'user']);
      // The check can fail: a field the document does not name is refused.
      expect(isRecord({ ...(page.data[0] as object), extra: 1 })).toBe(false);
    });
  });

  describe('when the trail cannot be written', () => {
    let db: Database;
    let webhooks: WebhookRepository;
    let server: LocalServer;
    let base: string;
    let auditFails = false;
    const al = { apiKeyId: 'k-al', userId: 'al@firm.law' };
    const bo = { apiKeyId: 'k-bo', userId: 'bo@firm.law' };
    beforeAll(async () => {
      db = await createDatabase('sqlite::memory:');
      webhooks = createWebhookRepository(db.knex, createSecretBox(randomBytes(32)));
      const real = createAuditStore(db);
      // The real store, whose writes fail while asked to (a full disk, a lost database connection).
      const audit: AuditStore = {
        ...real,
        append: (input, options) =>
          auditFails ? Promise.reject(new Error('disk full')) : real.append(input, options),
      };
      // Who is asking: Al, or Bo when the request says so.
      server = await serveLocally(
        routerApp(
          webhooksRouter({ webhooks, audit, urlPolicy: { allowLoopback: false, allowPrivate: false } }),
          (req) => ({
            tenant: 'firm',
            role: 'admin',
            name: 'admin',
            ...(req.headers['x-test-caller'] === 'bo' ? bo : al),
          }),
        ),
      );
      base = server.url;
    });
    afterAll(async () => {
      await server?.close();
      await db?.close();
    });
    afterEach(() => {
      auditFails = false;
    });

    const subscribe = () =>
      fetch(`${base}/v1/webhooks`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ url: 'https://93.184.216.34/hook', events: ['workflow.completed'] }),
      });
    const records = async (action: string) =>
      (await createAuditStore(db).query({ tenant: 'firm', action, limit: 10 })).records;

    test('when a subscription cannot be recorded, then it is refused and nothing will be sent to it', async () => {
      auditFails = true;
      expect((await subscribe()).status).toBe(500);
      expect(await webhooks.list('firm')).toEqual([]);
      expect(await records('webhook.subscribed')).toEqual([]);
    });

    test('when a deletion cannot be recorded, then the subscription is deleted anyway, and deleting again writes the record once', async () => {
      const created = (await (await subscribe()).json()) as { id: string };
      auditFails = true;
      const del = () => fetch(`${base}/v1/webhooks/${created.id}`, { method: 'DELETE' });
      expect((await del()).status).toBe(500);
      expect(await webhooks.list('firm')).toEqual([]);
      auditFails = false;
      const again = await del();
      expect(again.status).toBe(404);
      expect((await del()).status).toBe(404);
      const deleted = await records('webhook.deleted');
      expect(deleted.map((r) => [r.actor.id, r.target.ids.webhookId])).toEqual([['al@firm.law', created.id]]);
    });

    test('when a deletion cannot be recorded and someone else sends the DELETE again, then the record written names who deleted it', async () => {
      const created = (await (await subscribe()).json()) as { id: string };
      auditFails = true;
      const del = () => fetch(`${base}/v1/webhooks/${created.id}`, { method: 'DELETE' });
      expect((await del()).status).toBe(500);
      auditFails = false;
      const byBo = await fetch(`${base}/v1/webhooks/${created.id}`, {
        method: 'DELETE',
        headers: { 'x-test-caller': 'bo' },
      });
      expect(byBo.status).toBe(404);
      const deleted = (await records('webhook.deleted')).filter((r) => r.target.ids.webhookId === created.id);
      expect(deleted.map((r) => [r.actor.id, r.actor.apiKeyId])).toEqual([['al@firm.law', 'k-al']]);
    });

    test('when two people delete the same subscription at once, then one deletes it (204), the other is told it is gone (404), and the one record names who deleted it', async () => {
      const created = (await (await subscribe()).json()) as { id: string };
      const as = (who: string) =>
        fetch(`${base}/v1/webhooks/${created.id}`, { method: 'DELETE', headers: { 'x-test-caller': who } });
      const [byAl, byBo] = await Promise.all([as('al'), as('bo')]);
      expect([byAl.status, byBo.status].sort()).toEqual([204, 404]);
      const deleter = byAl.status === 204 ? 'al@firm.law' : 'bo@firm.law';
      const deleted = (await records('webhook.deleted')).filter((r) => r.target.ids.webhookId === created.id);
      expect(deleted.map((r) => r.actor.id)).toEqual([deleter]);
    });
  });
});
