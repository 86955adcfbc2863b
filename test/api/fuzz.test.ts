import fc from 'fast-check';
import { PERMISSIONS } from '../../src/api/auth/permissions';
import { startSystem, type System } from '../helpers/system';

interface Attempt {
  method: string;
  path: string;
  contentType?: string;
  body?: string;
}

const huge = 'x'.repeat(200_000);

/** Bodies that are wrong in every way a client gets them wrong. */
const badBody = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.record({ entries: fc.array(fc.jsonValue(), { maxLength: 3 }) }).map((v) => JSON.stringify(v)),
  fc
    .record({
      matterId: fc.oneof(fc.integer(), fc.constant(''), fc.constant('-1'), fc.string()),
      date: fc.oneof(fc.string(), fc.constant('2026-13-01'), fc.constant('2026-02-30')),
      durationSeconds: fc.oneof(fc.double(), fc.integer({ max: 0 }), fc.string(), fc.constant(86_401)),
      description: fc.oneof(fc.constant(''), fc.constant(huge.slice(0, 5000)), fc.integer()),
    })
    .map((e) => JSON.stringify({ entries: [e] })),
  fc
    .record({
      url: fc.oneof(fc.string(), fc.constant('javascript:alert(1)'), fc.constant('http://10.0.0.1/')),
      events: fc.array(fc.string(), { maxLength: 3 }),
    })
    .map((v) => JSON.stringify(v)),
  fc
    .record({ code: fc.oneof(fc.string(), fc.integer(), fc.constant('12345'), fc.constant('1234567')) })
    .map((v) => JSON.stringify(v)),
  fc
    .dictionary(fc.string({ minLength: 1, maxLength: 10 }), fc.jsonValue(), { minKeys: 1, maxKeys: 4 })
    .map((v) => JSON.stringify({ ...v, unexpectedField: true })),
  fc.string().map((s) => `{${s}`),
  fc.constant('{"entries": ['),
  fc.constant(
    JSON.stringify({
      entries: [{ matterId: '1', date: '2026-11-02', durationSeconds: 60, description: huge }],
    }),
  ),
);

const forgedParam = fc.oneof(
  fc.string({ minLength: 1, maxLength: 40 }).map(encodeURIComponent),
  fc.constant('..%2F..%2Fetc%2Fpasswd'),
  fc.constant('%00'),
  fc.constant('x'.repeat(2000)),
  fc.constant('timeCapture-other-tenant-0000'),
);

const badQuery = fc.oneof(
  fc.constant('?limit=-1'),
  fc.constant('?limit=abc'),
  fc.constant('?limit=100000'),
  fc.constant('?cursor=forged-cursor'),
  fc.string({ maxLength: 30 }).map((s) => `?cursor=${encodeURIComponent(s)}`),
);

function attempts(): fc.Arbitrary<Attempt> {
  const routes = Object.values(PERMISSIONS).map((p) => p.route.split(' ') as [string, string]);
  return fc
    .tuple(
      fc.constantFrom(...routes),
      forgedParam,
      badBody,
      badQuery,
      fc.constantFrom(
        'application/json',
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/json',
      ),
    )
    .map(([[method, pattern], param, body, query, contentType]) => {
      const path = pattern.replace(':tenant', 'sandbox').replace(/:\w+/g, param);
      return method === 'GET' || method === 'DELETE'
        ? { method, path: `${path}${query}` }
        : { method, path, body, contentType };
    });
}

describe('fuzz: malformed requests across every route', () => {
  let sys: System;
  beforeAll(async () => {
    sys = await startSystem({ API_RATE_LIMIT_PER_MINUTE: '1000000' });
  });
  afterAll(async () => {
    await sys?.stop();
  });

  async function workflowCount(): Promise<number> {
    let n = 0;
    for await (const _ of sys.env.client.workflow.list()) n++;
    return n;
  }

  test('when 1,200 malformed requests arrive, then each gets a 4xx naming what is wrong, none a 5xx, and nothing starts', async () => {
    const before = {
      workflows: await workflowCount(),
      webhooks: (await sys.db.knex('webhook_subscriptions').count({ n: '*' }))[0],
    };
    const samples = fc.sample(attempts(), { numRuns: 1200, seed: 20261125 });
    const problems: string[] = [];
    let i = 0;
    // A few at a time: fast, without turning the test into a load test.
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (i < samples.length) {
          const a = samples[i++]!;
          const res = await fetch(`${sys.api.url}${a.path}`, {
            method: a.method,
            headers: {
              authorization: 'Bearer sandbox-admin',
              ...(a.contentType ? { 'content-type': a.contentType } : {}),
            },
            body: a.body,
          });
          const text = await res.text();
          let body: {
            error?: {
              code?: string;
              message?: string;
              details?: { fields?: { field?: string; reason?: string }[] };
            };
          } = {};
          try {
            body = JSON.parse(text) as typeof body;
          } catch {
            problems.push(`${a.method} ${a.path.slice(0, 80)} → ${res.status} with a non-JSON body`);
            continue;
          }
          const ok =
            res.status >= 400 &&
            res.status < 500 &&
            typeof body.error?.code === 'string' &&
            typeof body.error?.message === 'string' &&
            (res.status !== 400 ||
              Boolean(body.error?.details?.fields?.[0]?.field && body.error.details.fields[0].reason));
          if (!ok)
            problems.push(
              `${a.method} ${a.path.slice(0, 80)} [${a.contentType ?? ''}] ${String(a.body).slice(0, 80)} → ${res.status} ${text.slice(0, 200)}`,
            );
        }
      }),
    );
    expect(problems).toEqual([]);
    expect(samples.length).toBeGreaterThanOrEqual(1000);
    expect(await workflowCount()).toBe(before.workflows);
    expect((await sys.db.knex('webhook_subscriptions').count({ n: '*' }))[0]).toEqual(before.webhooks);
  });
});
