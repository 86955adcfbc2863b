import { once } from 'node:events';
import { type AddressInfo } from 'node:net';
import querystring from 'node:querystring';
import express from 'express';
import { z } from 'zod';
import { AppError } from '../../src/api/errors';
import { errorHandler } from '../../src/api/middleware/error-handler';
import { createLogger } from '../../src/logging/logger';
import { fieldProblems, parseOrThrow, parseQueryString } from '../../src/api/validation';
import { type Api, errorOf, send, startApi } from './api-harness';

const ADMIN = { authorization: 'Bearer sandbox-admin' };

const Entries = z.object({
  entries: z.array(z.object({ durationSeconds: z.number().int(), description: z.string() }).strict()),
});

function problems(value: unknown): { field: string; reason: string }[] {
  try {
    parseOrThrow(Entries, value);
  } catch (err) {
    if (err instanceof AppError)
      return (err.details as { fields: { field: string; reason: string }[] }).fields;
    throw err;
  }
  throw new Error('expected a 400');
}

describe('400 reasons name what is wrong with each field', () => {
  test('a field that is missing "is required"; one of the wrong type says what type was expected', () => {
    const fields = problems({
      entries: [{ durationSeconds: '60' }, { durationSeconds: null, description: 'x' }],
    });
    expect(fields).toContainEqual({ field: 'body.entries.0.description', reason: 'is required' });
    const wrongType = fields.find((f) => f.field === 'body.entries.0.durationSeconds');
    expect(wrongType?.reason).toBe('must be a number, not a string');
    // null was sent: present, of the wrong type.
    expect(fields.find((f) => f.field === 'body.entries.1.durationSeconds')?.reason).toBe(
      'must be a number, not null',
    );
    expect(problems({ entries: { durationSeconds: 60 } })).toEqual([
      { field: 'body.entries', reason: 'must be a list, not an object' },
    ]);
    expect(problems({ entries: [{ durationSeconds: 1.5, description: true }] })).toEqual([
      { field: 'body.entries.0.durationSeconds', reason: 'must be an integer, not a number' },
      { field: 'body.entries.0.description', reason: 'must be a string, not true' },
    ]);
  });

  test("a schema's own message for a wrong type is kept; a query value is not said to be a string", () => {
    const Seconds = z.object({ seconds: z.number().int('must be a whole number of seconds') });
    const bodyError = Seconds.safeParse({ seconds: 1.5 }).error!;
    expect(fieldProblems(bodyError, 'body', { seconds: 1.5 })).toEqual([
      { field: 'body.seconds', reason: 'must be a whole number of seconds' },
    ]);
    const Limit = z.object({ limit: z.coerce.number() });
    const queryError = Limit.safeParse({ limit: 'abc' }).error!;
    expect(fieldProblems(queryError, 'query', { limit: 'abc' })).toEqual([
      { field: 'query.limit', reason: 'must be a number' },
    ]);
  });

  test("zod's own words for options and sizes are put as the API's; a value of the wrong type is reported once, by its type", () => {
    const Hook = z
      .object({
        events: z.array(z.enum(['a.done', 'b.done'])).max(2),
        kind: z.literal('hook'),
        note: z.string().max(5).optional(),
        label: z.string().max(3, 'must be a short label').optional(),
      })
      .strict();
    const reasons = (value: unknown) => fieldProblems(Hook.safeParse(value).error!, 'body', value);
    expect(reasons({ events: ['c.done'], kind: 'hook', note: 'too long', label: 'long' })).toEqual([
      { field: 'body.events.0', reason: 'must be one of "a.done", "b.done"' },
      { field: 'body.note', reason: 'must have at most 5 characters' },
      { field: 'body.label', reason: 'must be a short label' },
    ]);
    expect(reasons({ events: ['a.done', 'b.done', 'a.done'], kind: 'hook' })).toEqual([
      { field: 'body.events', reason: 'must have at most 2 items' },
    ]);
    // A string where the list belongs: zod also measures it against the list's size; only its type is wrong.
    expect(reasons({ events: 'a.done, b.done', kind: 'webhook' })).toEqual([
      { field: 'body.events', reason: 'must be a list, not a string' },
      { field: 'body.kind', reason: 'must be "hook"' },
    ]);
  });

  test('a missing list is required; unknown fields are named', () => {
    expect(problems({})).toEqual([{ field: 'body.entries', reason: 'is required' }]);
    expect(problems({ entries: [{ durationSeconds: 1, description: 'x', extra: 1 }] })).toEqual([
      { field: 'body.entries.0.extra', reason: 'is not a known field' },
    ]);
  });
});

describe('a query parameter given more than once where one value is expected', () => {
  let api: Api;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => {
    await api?.stop();
  });

  const fieldsOf = async (target: string) => {
    const res = await send(api, 'GET', target, ADMIN);
    expect(res.status).toBe(400);
    return errorOf(res);
  };

  test.each([
    ['/v1/matters?limit=1&limit=2', 'query.limit'],
    ['/v1/matters?query=a&query=b', 'query.query'],
    ['/v1/bills?status=paid&status=void', 'query.status'],
    ['/v1/audit?limit=5&limit=5', 'query.limit'],
  ])('GET %s is a 400 naming %s as given more than once', async (target, field) => {
    const error = await fieldsOf(target);
    expect(error.code).toBe('invalid_request');
    expect(error.details).toEqual({ fields: [{ field, reason: 'is given more than once' }] });
    expect(error.message).toBe(`Invalid request: ${field} is given more than once`);
  });

  test('other problems of the same query are still named, each once', async () => {
    const error = await fieldsOf('/v1/matters?limit=1&limit=x&limit=3&status=bogus&nope=1&nope=2');
    const fields = (error.details as { fields: { field: string; reason: string }[] }).fields;
    expect(fields).toContainEqual({ field: 'query.limit', reason: 'is given more than once' });
    expect(fields).toContainEqual({ field: 'query.nope', reason: 'is not a known field' });
    expect(fields.find((f) => f.field === 'query.status')?.reason).toMatch(/open/);
    expect(fields.filter((f) => f.field === 'query.limit')).toHaveLength(1);
  });
});

describe('parseOrThrow on a query: a parameter the schema takes as a list may be repeated', () => {
  const Q = z.object({
    tag: z.array(z.string()).max(1, 'at most one').optional(),
    one: z.string().optional(),
  });
  const fields = (value: unknown) => {
    try {
      parseOrThrow(Q, value, 'query');
    } catch (err) {
      return ((err as AppError).details as { fields: unknown[] }).fields;
    }
    return [];
  };
  test('a list parameter keeps its own reason; a scalar one is "given more than once"', () => {
    expect(fields({ tag: ['a', 'b'] })).toEqual([{ field: 'query.tag', reason: 'at most one' }]);
    expect(fields({ one: ['a', 'b'] })).toEqual([{ field: 'query.one', reason: 'is given more than once' }]);
    expect(fields({ tag: ['a'], one: 'b' })).toEqual([]);
  });
});

describe('a query parameter that is not valid percent-encoding (the query parser the app is to use)', () => {
  const fields = (raw: string) => {
    try {
      parseQueryString(raw);
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).status).toBe(400);
      return ((err as AppError).details as { fields: unknown[] }).fields;
    }
    return [];
  };

  test('is a 400 naming the parameter; valid encodings parse as Express’s default parser does', () => {
    for (const raw of ['query=%E0%A4%A', 'query=%ZZ', 'limit=5&query=abc%', 'query=%C3'])
      expect(fields(raw)).toEqual([{ field: 'query.query', reason: 'is not valid percent-encoding' }]);
    expect(fields('st%61tus=%E0&%71uery=%FF')).toEqual([
      { field: 'query.status', reason: 'is not valid percent-encoding' },
      { field: 'query.query', reason: 'is not valid percent-encoding' },
    ]);
    expect(fields('%E0=1')).toEqual([
      { field: 'query', reason: 'has a parameter name that is not valid percent-encoding' },
    ]);
    for (const raw of ['', 'limit=5&query=a+b', 'query=%E0%A4%A4%20x&query=100%25', 'a=%EF%BF%BD', 'x'])
      expect(parseQueryString(raw)).toEqual(querystring.parse(raw));
    expect(parseQueryString(undefined)).toEqual({});
  });

  test('over HTTP, with the API’s error handler: GET ?query=%E0%A4%A is a 400 naming query.query', async () => {
    const app = express();
    app.set('query parser', parseQueryString);
    const logger = createLogger({ level: 'silent' });
    app.use((req, _res, next) => {
      req.log = logger;
      next();
    });
    app.get('/list', (req, res) => {
      res.json(parseOrThrow(z.object({ query: z.string().optional() }).strict(), req.query, 'query'));
    });
    app.use(errorHandler);
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/list`;
      const bad = await fetch(`${base}?query=%E0%A4%A`);
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({
        error: {
          code: 'invalid_request',
          message: 'Invalid request: query.query is not valid percent-encoding',
          details: { fields: [{ field: 'query.query', reason: 'is not valid percent-encoding' }] },
        },
      });
      const good = await fetch(`${base}?query=%E0%A4%A4`);
      expect(await good.json()).toEqual({ query: 'त' });
    } finally {
      server.close();
    }
  });
});
