import { createAuditStore } from '../../src/audit';
import { randomBytes } from 'node:crypto';
import { ApplicationFailure, type Logger as ActivityLogger } from '@temporalio/common';
import { pinoHttp } from 'pino-http';
import { createWebhookActivities } from '../../activities/webhooks';
import { webhooksRouter } from '../../src/api/routes/webhooks';
import { createSecretBox } from '../../src/crypto/secret-box';
import { accessLogger, createLogger } from '../../src/logging/logger';
import { createDatabase, type Database } from '../../src/store/database';
import { createWebhookRepository, type WebhookRepository } from '../../src/webhooks/repository';
import { type ResolveHost, type UrlPolicy } from '../../src/webhooks/url-policy';
import { captureLog } from '../helpers/log-capture';
import { deliveryAttempt } from '../helpers/webhook-attempt';
import { routerApp, serveLocally } from '../helpers/router-app';

/**
 * A tenant with a key that may subscribe webhooks must not be able to map the firm's internal DNS through the
 * API: whether `db.internal` exists, in which range it lies. So neither the subscription's 400 nor the delivery
 * log tells "does not resolve" from "resolves to an address webhooks may not reach"; the operator's log does.
 */

// Names under `.test` (RFC 6761) reach no real resolver: every answer comes from the table below.
const PUBLIC = ['93.184.215.14'];
const NXDOMAIN = 'nxdomain' as const;
type Answer = string[] | typeof NXDOMAIN;

/** The i-th lookup of a name gets its i-th answer (the last one after that); names not listed do not exist. */
function pointedDns(table: Record<string, Answer[]>): ResolveHost {
  const asked = new Map<string, number>();
  return (host) => {
    const n = asked.get(host) ?? 0;
    asked.set(host, n + 1);
    const answers = table[host] ?? [NXDOMAIN];
    const answer = answers[Math.min(n, answers.length - 1)]!;
    return answer === NXDOMAIN
      ? Promise.reject(Object.assign(new Error(`queryA ENOTFOUND ${host}`), { code: 'ENOTFOUND' }))
      : Promise.resolve(answer);
  };
}

const strict: UrlPolicy = { allowLoopback: false, allowPrivate: false };

describe('webhook subscriptions and deliveries do not reveal what the firm’s DNS holds', () => {
  let db: Database;
  let webhooks: WebhookRepository;
  let stop: () => Promise<void>;
  let base: string;
  const operatorLog = captureLog();
  const dns = pointedDns({
    'db.example.test': [['10.20.30.40']],
    'loopback.example.test': [['127.0.0.1']],
    'metadata.example.test': [['169.254.169.254']],
    'unique-local.example.test': [['fd00::5']],
    'half-inside.example.test': [['93.184.215.14', '172.16.0.9']],
    // Public when subscribed; at delivery the URL check's lookup, or the connection's own, gets something else.
    'rebound-at-check.example.test': [PUBLIC, ['10.20.30.40']],
    'gone-at-check.example.test': [PUBLIC, NXDOMAIN],
    'rebound-at-connect.example.test': [PUBLIC, PUBLIC, ['10.20.30.40']],
    'gone-at-connect.example.test': [PUBLIC, PUBLIC, NXDOMAIN],
  });

  beforeAll(async () => {
    db = await createDatabase('sqlite::memory:');
    webhooks = createWebhookRepository(db.knex, createSecretBox(randomBytes(32)));
    const server = await serveLocally(
      routerApp(
        webhooksRouter({ webhooks, audit: createAuditStore(db), urlPolicy: strict, resolve: dns }),
        () => ({ tenant: 'firm-a', role: 'admin', apiKeyId: 'k', name: 'tenant admin' }),
        {
          accessLog: pinoHttp({
            logger: accessLogger(createLogger({ level: 'info', destination: operatorLog.destination })),
          }),
        },
      ),
    );
    base = server.url;
    stop = server.close;
  });
  afterAll(async () => {
    await stop();
    await db.close();
  });

  const subscribe = async (url: string) => {
    const res = await fetch(`${base}/v1/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url, events: ['workflow.completed'] }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  /** The answer as a tenant reads it, with the host name (which the tenant wrote) taken out. */
  const asSeen = (answer: { status: number; body: unknown }, host: string) =>
    JSON.parse(JSON.stringify(answer).split(host).join('<host>')) as unknown;

  test.each([
    'db.example.test',
    'loopback.example.test',
    'metadata.example.test',
    'unique-local.example.test',
    'half-inside.example.test',
  ])(
    'when a subscription names %s (resolving to an address webhooks may not reach), then the 400 is the one a name that does not resolve gets',
    async (host) => {
      const refused = await subscribe(`https://${host}/hook`);
      const unresolved = await subscribe('https://nowhere.example.test/hook');

      expect(unresolved).toEqual({
        status: 400,
        body: {
          error: {
            code: 'invalid_request',
            message: 'Invalid request: body.url must resolve to a public address',
            details: { fields: [{ field: 'body.url', reason: 'must resolve to a public address' }] },
          },
        },
      });
      expect(asSeen(refused, host)).toEqual(asSeen(unresolved, 'nowhere.example.test'));
      expect(await webhooks.list('firm-a')).toEqual([]);
    },
  );

  test('the operator’s log says which it was, and where the name pointed', async () => {
    operatorLog.lines.length = 0;
    await subscribe('https://db.example.test/hook?token=abc123');
    await subscribe('https://nowhere.example.test/hook');
    const text = operatorLog.lines.join('');
    expect(text).toContain('db.example.test resolves to 10.20.30.40');
    expect(text).toMatch(/nowhere\.example\.test does not resolve/);
    // The URL's path and query can hold a receiver's credential: the log names the host only.
    expect(text).not.toContain('abc123');
  });

  test('when a subscription writes a refused address itself, then the 400 may name it: the tenant wrote it', async () => {
    const answer = await subscribe('http://10.20.30.40/hook');
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).toMatch(/private address/);
  });

  test.each([
    ['ftp://db.example.test/hook', 'must be an http or https URL'],
    ['https://me:pw@db.example.test/hook', 'must not carry credentials'],
  ])('when a subscription names %s, then the 400 keeps its own reason', async (url, reason) => {
    const answer = await subscribe(url);
    expect(answer).toEqual({
      status: 400,
      body: {
        error: expect.objectContaining({ details: { fields: [{ field: 'body.url', reason }] } }) as unknown,
      },
    });
  });

  describe.each([
    ['the delivery’s URL check', 'rebound-at-check.example.test', 'gone-at-check.example.test'],
    ['the connection’s own lookup', 'rebound-at-connect.example.test', 'gone-at-connect.example.test'],
  ])('when a name is re-pointed inside the network at %s', (_stage, rebound, gone) => {
    test('then the delivery log, the subscription and the failure read as for a name that stopped resolving; the operator’s log tells them apart', async () => {
      const activityLog: string[] = [];
      const logger: ActivityLogger = {
        log: (level, message, meta) => activityLog.push(`${level} ${message} ${JSON.stringify(meta)}`),
        trace: (m, meta) => logger.log('TRACE', m, meta),
        debug: (m, meta) => logger.log('DEBUG', m, meta),
        info: (m, meta) => logger.log('INFO', m, meta),
        warn: (m, meta) => logger.log('WARN', m, meta),
        error: (m, meta) => logger.log('ERROR', m, meta),
      };
      const activities = createWebhookActivities({
        webhooks,
        urlPolicy: strict,
        maxAttempts: 3,
        disableAfterFailures: 1,
        resolve: dns,
      });
      /** Subscribes through the API, runs the delivery's last attempt, and reads back what the tenant sees. */
      const seenByTenant = async (host: string) => {
        const created = await subscribe(`https://${host}/hook`);
        expect(created.status).toBe(201);
        const id = String(created.body.id);
        const outcome = await deliveryAttempt(activities, id, { attempt: 3, logger });
        const failure = 'err' in outcome ? (outcome.err as ApplicationFailure) : undefined;
        expect(failure).toBeInstanceOf(ApplicationFailure);
        const deliveries = (await (await fetch(`${base}/v1/webhooks/${id}/deliveries`)).json()) as {
          data: Record<string, unknown>[];
        };
        const listed = (await (await fetch(`${base}/v1/webhooks`)).json()) as {
          data: Record<string, unknown>[];
        };
        const sub = listed.data.find((s) => s.id === id)!;
        return {
          failure: { type: failure?.type, message: failure?.message, nonRetryable: failure?.nonRetryable },
          log: deliveries.data.map(({ outcome, responseStatus, error, attempt }) => ({
            outcome,
            responseStatus,
            error,
            attempt,
          })),
          subscription: {
            disabled: sub.disabledAt !== null,
            disabledReason: sub.disabledReason,
            consecutiveFailures: sub.consecutiveFailures,
          },
        };
      };

      const reboundSeen = await seenByTenant(rebound);
      const goneSeen = await seenByTenant(gone);

      expect(reboundSeen).toEqual(goneSeen);
      expect(goneSeen.log).toEqual([
        {
          outcome: 'failed',
          responseStatus: null,
          error: 'receiver unreachable: must resolve to a public address',
          attempt: 3,
        },
      ]);
      expect(JSON.stringify(reboundSeen)).not.toMatch(/10\.20\.30\.40|private/);
      // The firm's own log keeps the detail.
      expect(activityLog.join('\n')).toContain(`${rebound} resolves to 10.20.30.40`);
      expect(activityLog.join('\n')).toMatch(new RegExp(`${gone.replace(/\./g, '\\.')} does not resolve`));
    });
  });
});
