import fc from 'fast-check';
import { PERMISSIONS } from '../../src/api/auth/permissions';
import { MfaCodeRequestSchema, SessionRetryRequestSchema } from '../../src/api/routes/sessions';
import { TimeEntriesRequestSchema } from '../../src/domain/time-entries';
import { NewSubscriptionSchema } from '../../src/webhooks/events';
import { connectClio, startOAuthSystem } from '../helpers/clio-consent';
import { waitForWorkflow, type System } from '../helpers/system';

type Method = 'GET' | 'POST' | 'DELETE';

interface Sample {
  /** `METHOD /pattern`, for the coverage check. */
  route: string;
  kind: 'path' | 'query' | 'body' | 'content-type' | 'json' | 'header' | 'chaos';
  method: Method;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** The one part the sample breaks: the answer must name it, or a field inside it, and nothing else. */
  field?: string;
  /** A forged path parameter: the answer is a 404 or a 400 naming it (or the path); never a 403. */
  forgedParam?: string;
  status?: number;
}

/** What the generators need from the running system: things only it can hand out. */
interface Issued {
  /** A signed OAuth state for the sandbox tenant, as /oauth/start puts in Clio's authorize URL. */
  state: string;
  /** A real next-page cursor of GET /v1/matters (no filters). */
  mattersCursor: string;
}

const huge = 'x'.repeat(200_000);
const long = (n: number) => 'x'.repeat(n);
const b64 = (s: string) => Buffer.from(s).toString('base64');
const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
/** One character changed in the middle: still well-formed, no longer what the service signed or sealed. */
const tamper = (s: string) => {
  const i = Math.floor(s.length / 2);
  return `${s.slice(0, i)}${s[i] === 'A' ? 'B' : 'A'}${s.slice(i + 1)}`;
};
/** A query string; a list sends the name once per value. */
const q = (params: Record<string, string | string[]>) =>
  Object.entries(params)
    .flatMap(([k, vs]) => [vs].flat().map((v) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`))
    .join('&');

const ADMIN = 'Bearer sandbox-admin';
const JSON_TYPE = 'application/json';

// ---- routes --------------------------------------------------------------------------------------------------

const ENTRY = { matterId: '1', date: '2026-11-02', durationSeconds: 3600, description: 'Drafted the motion' };
const PAYLOAD = { metadata: { encoding: b64('json/plain') }, data: b64('"hello"') };

/** Well-formed values: the parameter passes every check, whether or not the record exists. */
const VALID_PARAMS: Record<string, string> = {
  tenant: 'sandbox',
  id: '1',
  workflowId: 'timeCapture-sandbox-00000000000000000000000000000000',
};

interface Route {
  method: Method;
  pattern: string;
  /** The bodies the route takes, well-formed (POST only). */
  body?: Record<string, unknown>;
  /** Whether a body passes the route's own schema: such a body would not be malformed. */
  accepts?: (body: unknown) => boolean;
  /** Outside /v1: the callback is a browser's redirect (no API key); the codec reads no query. */
  outsideV1?: 'codec' | 'callback';
}

const bodies: Record<string, Pick<Route, 'body' | 'accepts'>> = {
  'POST /v1/time-entries': {
    body: { entries: [ENTRY] },
    accepts: (b) => TimeEntriesRequestSchema.safeParse(b).success,
  },
  'POST /v1/tenants/:tenant/session/mfa': {
    body: { code: '123456' },
    accepts: (b) => MfaCodeRequestSchema.safeParse(b).success,
  },
  'POST /v1/tenants/:tenant/session/retry': {
    body: {},
    accepts: (b) => b === undefined || SessionRetryRequestSchema.safeParse(b).success,
  },
  'POST /v1/webhooks': {
    body: { url: 'http://127.0.0.1:9/hook', events: ['workflow.completed'] },
    accepts: (b) => NewSubscriptionSchema.safeParse(b).success,
  },
};

// Anything carrying a `payloads` list might be one the codec takes: left out of the random bodies.
const codecAccepts = (b: unknown) =>
  b === undefined || (typeof b === 'object' && b !== null && 'payloads' in b && Array.isArray(b.payloads));

const ROUTES: Route[] = [
  ...Object.values(PERMISSIONS).map(({ route }) => {
    const [method, pattern] = route.split(' ') as [Method, string];
    if (method === 'POST' && !bodies[route])
      throw new Error(`give the fuzz test a well-formed body for ${route}`);
    return { method, pattern, ...bodies[route] };
  }),
  { method: 'GET', pattern: '/oauth/clio/callback', outsideV1: 'callback' },
  ...(['/codec/encode', '/codec/decode'] as const).map((pattern): Route => ({
    method: 'POST',
    pattern,
    body: { payloads: [PAYLOAD] },
    accepts: codecAccepts,
    outsideV1: 'codec',
  })),
];
const key = (r: Route) => `${r.method} ${r.pattern}`;
const paramsOf = (r: Route) => [...r.pattern.matchAll(/:(\w+)/g)].map((m) => m[1]!);
const postRoutes = ROUTES.filter((r) => r.method === 'POST');

function fill(r: Route, forged: Record<string, string> = {}): string {
  return r.pattern.replace(/:(\w+)/g, (_, p: string) => forged[p] ?? VALID_PARAMS[p]!);
}

function headersFor(r: Route, contentType?: string): Record<string, string> {
  return {
    ...(r.outsideV1 === 'callback' ? {} : { authorization: ADMIN }),
    ...(contentType ? { 'content-type': contentType } : {}),
  };
}

// ---- forged path parameters ----------------------------------------------------------------------------------

// `.` and `..` (and %2e) are dot segments: the URL parser removes them, and the request lands on another route.
const notDotSegment = (v: string) => v.length > 0 && !/^(?:\.|%2e){1,2}$/i.test(v);

const junkSegment = fc.oneof(
  fc.string({ minLength: 1, maxLength: 40 }).map(encodeURIComponent),
  fc.constantFrom(
    '%00',
    '%E0', // not valid percent-encoding
    '%',
    '..%2F..%2Fetc%2Fpasswd',
    '%7B%7D',
    '%20',
    'null',
    'undefined',
    long(2000),
  ),
);

const forgery: Record<string, fc.Arbitrary<string>> = {
  tenant: fc
    .oneof(
      fc.constantFrom('otherfirm', 'acme', 'SANDBOX', 'sandbox%20', '%20sandbox', 'sandbox%00', 'sand%2Fbox'),
      junkSegment,
    )
    .filter((t) => t !== 'sandbox' && notDotSegment(t)),
  id: fc
    .oneof(
      fc.constantFrom(
        'abc',
        '-1',
        '0',
        '01',
        '1.5',
        '1e3',
        '0x1F',
        '%201',
        '1%00',
        '9'.repeat(19),
        '1'.repeat(2000),
      ),
      // Ids of nothing: well-formed, naming no record (Clio's or a subscription).
      fc.bigInt({ min: 10n ** 12n, max: 10n ** 18n - 1n }).map(String),
      fc.uuid(),
      junkSegment,
    )
    .filter(notDotSegment),
  workflowId: fc
    .oneof(
      fc.constantFrom(
        'timeCapture-otherfirm-00000000000000000000000000000000',
        'timeCapture-sandbox-ffffffffffffffffffffffffffffffff',
      ),
      fc.uuid(),
      junkSegment,
    )
    .filter(notDotSegment),
};

function pathForgery(r: Route): fc.Arbitrary<Sample> {
  return fc
    .constantFrom(...paramsOf(r))
    .chain((param) => forgery[param]!.map((value) => ({ param, value })))
    .map(({ param, value }) => ({
      route: key(r),
      kind: 'path' as const,
      method: r.method,
      path: fill(r, { [param]: value }),
      // A POST carries a good body: only the path is wrong.
      headers: headersFor(r, r.body ? JSON_TYPE : undefined),
      body: r.body ? JSON.stringify(r.body) : undefined,
      forgedParam: param,
    }));
}

// ---- query strings -------------------------------------------------------------------------------------------

interface QueryCase {
  query: string;
  field: string;
}

const PAGING: Record<string, string[]> = {
  limit: ['-1', '0', 'abc', '1.5', '100000', '', '1e3'],
  cursor: ['', long(2001), 'forged-cursor', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
  updatedSince: ['yesterday', '2026-13-01T00:00:00Z', '2026-11-02'],
  query: [long(201)],
};
const CLIO_ID = ['0', 'abc', '-5', '9'.repeat(19)];
const LIST_QUERIES: Record<string, Record<string, string[]>> = {
  'GET /v1/matters': { ...PAGING, status: ['closedd', 'OPEN'], clientId: CLIO_ID },
  'GET /v1/contacts': { ...PAGING, type: ['person', 'Robot'] },
  'GET /v1/time-entries': { ...PAGING, matterId: CLIO_ID },
  'GET /v1/bills': {
    ...PAGING,
    query: ['abc', '99999999999', '2147483648', long(201)],
    status: ['open', 'PAID'],
    clientId: CLIO_ID,
    matterId: CLIO_ID,
  },
  'GET /v1/audit': {
    limit: ['0', '501', '-1', 'abc'],
    from: ['yesterday', '2026-11-02'],
    to: ['2026-13-01T00:00:00Z', 'now'],
    cursor: [
      '',
      long(501),
      'forged-cursor',
      b64url({ v: 1, t: 'otherfirm', s: 5 }), // another tenant's
      b64url({ v: 1, t: 'sandbox', s: -1 }),
    ],
    matterNumber: [''],
    actorId: [long(201)],
    action: [long(101)],
    workflowId: [long(301)],
  },
};

const unknownName = (known: string[]) =>
  fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,11}$/).filter((n) => !known.includes(n));
const anyValue = fc.oneof(fc.string({ maxLength: 20 }), fc.constant(long(5000)));

function queryCases(r: Route, issued: Issued): fc.Arbitrary<QueryCase> {
  if (r.outsideV1 === 'callback') return callbackQuery(issued);
  const own = LIST_QUERIES[key(r)] ?? {};
  const known = Object.keys(own);
  const cases: fc.Arbitrary<QueryCase>[] = [
    fc
      .tuple(unknownName(known), anyValue)
      .map(([name, value]) => ({ query: q({ [name]: value }), field: `query.${name}` })),
    // Another route's parameters, where this route has none.
    ...['limit', 'cursor', 'status']
      .filter((n) => !known.includes(n))
      .map((n) => fc.constant({ query: q({ [n]: '-1' }), field: `query.${n}` })),
  ];
  for (const [name, values] of Object.entries(own)) {
    const field = `query.${name}`;
    cases.push(fc.constantFrom(...values).map((v) => ({ query: q({ [name]: v }), field })));
    // Said twice: a list where one value is expected.
    cases.push(fc.constant({ query: q({ [name]: [values[0]!, values[0]!] }), field }));
  }
  if (LIST_QUERIES[key(r)] && r.pattern !== '/v1/audit') {
    // A real cursor, forged: tampered, or replayed on another list or with other filters.
    const cursor = issued.mattersCursor;
    cases.push(
      fc.constantFrom(
        { query: q({ cursor: tamper(cursor) }), field: 'query.cursor' },
        r.pattern === '/v1/matters'
          ? { query: q({ status: 'open', cursor }), field: 'query.cursor' }
          : { query: q({ cursor }), field: 'query.cursor' },
      ),
    );
  }
  return fc.oneof(...cases);
}

const FRESH_STATE = 'fresh-state-placeholder';

/** Clio's redirect, each time with exactly one thing wrong; the rest is what Clio sends. */
function callbackQuery({ state }: Issued): fc.Arbitrary<QueryCase> {
  const code = 'forged-code';
  const breaks = (field: string, params: Record<string, string | string[]>) => ({ query: q(params), field });
  // Parameters Clio's redirect may add are ignored, as OAuth clients must (RFC 6749 §4.1.2): not a break.
  return fc.oneof(
    fc.constantFrom(
      breaks('query.state', { code }),
      breaks('query.state', { state: '', code }),
      breaks('query.state', { state: 'forged.state', code }),
      breaks('query.state', { state: 'x', code }),
      breaks('query.state', { state: tamper(state), code }),
      breaks('query.state', { state: long(2001), code }),
      breaks('query.state', { state: [state, state], code }),
      breaks('query.code', { state }),
      breaks('query.code', { state, code: '' }),
      breaks('query.code', { state, code: long(2001) }),
      breaks('query.code', { state, code: [code, code] }),
      // Well-formed but never issued: Clio refuses it. A state is good for one exchange: each such request
      // carries one of its own (FRESH_STATE is replaced when it is sent).
      breaks('query.code', { state: FRESH_STATE, code }),
      // Clio's refusal, as its redirect says it; then the same with a field out of bounds.
      breaks('query.error', { state, error: 'access_denied' }),
      breaks('query.error', { state, error: 'access_denied', error_description: 'The user denied access' }),
      breaks('query.error', { state, error: long(201) }),
      breaks('query.error_description', { state, error: 'access_denied', error_description: long(2001) }),
    ),
  );
}

function queryMutation(r: Route, issued: Issued): fc.Arbitrary<Sample> {
  return queryCases(r, issued).map(({ query, field }) => ({
    route: key(r),
    kind: 'query' as const,
    method: r.method,
    path: `${fill(r)}?${query}`,
    headers: headersFor(r, r.body ? JSON_TYPE : undefined),
    body: r.body ? JSON.stringify(r.body) : undefined,
    field,
  }));
}

// ---- bodies with exactly one thing wrong ---------------------------------------------------------------------

type Path = (string | number)[];

interface Slot {
  at: Path;
  bad: readonly unknown[];
  /** Required fields are also sent missing. */
  required?: boolean;
}

const MISSING = Symbol('missing');
/** Fields a route takes that the bases leave out: added with a random value, they might be well-formed. */
const OPTIONAL_FIELDS = [
  'userId',
  'activityCode',
  'taskCode',
  'documentId',
  'externalPayloads',
  'external_payloads',
];

const at = (root: unknown, path: Path) =>
  path.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], root);
const fieldOf = (path: Path) => ['body', ...path].join('.');

/** The base with one slot wrong (or missing), or one unknown key added to one of `objects`; and that field. */
function oneBroken(
  base: unknown,
  slots: Slot[],
  objects: Path[],
): fc.Arbitrary<{ json: unknown; field: string }> {
  if (slots.length === 0) return unknownField(base, objects);
  const wrong = fc
    .constantFrom(...slots)
    .chain((slot) =>
      fc.constantFrom(...slot.bad, ...(slot.required ? [MISSING] : [])).map((value) => ({ slot, value })),
    )
    .map(({ slot, value }) => {
      const json = structuredClone(base);
      const parent = at(json, slot.at.slice(0, -1)) as Record<string | number, unknown>;
      const last = slot.at[slot.at.length - 1]!;
      if (value === MISSING) delete parent[last];
      else parent[last] = value;
      return { json, field: fieldOf(slot.at) };
    });
  return fc.oneof(wrong, unknownField(base, objects));
}

/** The base with one unknown key added to one of `objects`; and that key, as a field. */
function unknownField(base: unknown, objects: Path[]): fc.Arbitrary<{ json: unknown; field: string }> {
  return fc
    .tuple(fc.constantFrom(...objects), fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,11}$/), fc.jsonValue())
    .filter(
      ([path, name]) => !Object.hasOwn(at(base, path) as object, name) && !OPTIONAL_FIELDS.includes(name),
    )
    .map(([path, name, value]) => {
      const json = structuredClone(base);
      (at(json, path) as Record<string, unknown>)[name] = value;
      return { json, field: fieldOf([...path, name]) };
    });
}

const ENTRY_BAD: Record<keyof typeof ENTRY, unknown[]> = {
  matterId: ['', '0', '-1', 'abc', ' 1', '1'.repeat(19), 1, null, ['1']],
  date: ['2026-13-01', '2026-02-30', '02/11/2026', '', '2026-11-02T00:00:00Z', 20261102, null],
  durationSeconds: [0, -60, 1.5, 86_401, 1e21, '3600', true, null],
  description: ['', '   ', long(4001), huge, 42, null, {}],
};
const TOO_MANY_ENTRIES = Array.from({ length: 501 }, () => ENTRY);
const TOO_MANY_PAYLOADS = Array.from({ length: 10_001 }, () => ({}));
const ENTRY_OPTIONAL_BAD: Record<string, unknown[]> = {
  userId: ['0', 'abc', 5, null],
  activityCode: ['A1', 'B103', 103],
  taskCode: ['L11', 'X110'],
  documentId: ['active!1', 'ACTIVE1234'],
};

const timeEntriesBody = fc
  .integer({ min: 1, max: 3 })
  .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 })))
  .chain(([n, i]) =>
    oneBroken(
      { entries: Array.from({ length: n }, () => ({ ...ENTRY })) },
      [
        ...Object.entries(ENTRY_BAD).map(([f, bad]) => ({ at: ['entries', i, f], bad, required: true })),
        ...Object.entries(ENTRY_OPTIONAL_BAD).map(([f, bad]) => ({ at: ['entries', i, f], bad })),
        {
          at: ['entries'],
          bad: ['x', {}, null, 5, [], TOO_MANY_ENTRIES],
          required: true,
        },
      ],
      [[], ['entries', i]],
    ),
  );

const codecBody = (op: 'encode' | 'decode') =>
  fc
    .integer({ min: 1, max: 3 })
    .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 })))
    .chain(([n, i]) => {
      const broken = oneBroken(
        { payloads: Array.from({ length: n }, () => structuredClone(PAYLOAD)) },
        [
          {
            at: ['payloads'],
            bad: ['x', {}, null, 5, TOO_MANY_PAYLOADS],
            required: true,
          },
          { at: ['payloads', i], bad: ['x', 5, null, [], true] },
          { at: ['payloads', i, 'data'], bad: ['%%%', 'a b', 5, {}, true] },
          { at: ['payloads', i, 'metadata'], bad: ['x', 5, [], true] },
          { at: ['payloads', i, 'metadata', 'encoding'], bad: ['%%%', 5, null, {}] },
        ],
        [[], ['payloads', i]],
      );
      if (op === 'encode') return broken;
      // Well-formed, but not something this codec encrypted: the answer names the payload it could not decode.
      const undecodable = fc
        .constantFrom(
          { encoding: b64('binary/encrypted'), 'encryption-key-id': b64('no-such-key') },
          { encoding: b64('binary/encrypted') },
        )
        .map((metadata) => {
          const payloads: unknown[] = Array.from({ length: n }, () => structuredClone(PAYLOAD));
          payloads[i] = { metadata, data: b64('x'.repeat(40)) };
          return { json: { payloads }, field: `body.payloads.${i}` };
        });
      return fc.oneof(broken, undecodable);
    });

const BODY_CASES: Record<string, fc.Arbitrary<{ json: unknown; field: string }>> = {
  'POST /v1/time-entries': timeEntriesBody,
  'POST /v1/tenants/:tenant/session/mfa': oneBroken(
    { code: '123456' },
    [
      {
        at: ['code'],
        bad: ['12345', '1234567', 'abcdef', '12 456', ' 123456', 123456, null, '', long(5000), ['123456']],
        required: true,
      },
    ],
    [[]],
  ),
  'POST /v1/tenants/:tenant/session/retry': oneBroken({}, [], [[]]),
  'POST /v1/webhooks': oneBroken(
    { url: 'http://127.0.0.1:9/hook', events: ['workflow.completed'] },
    [
      {
        at: ['url'],
        bad: [
          '',
          'not a url',
          'javascript:alert(1)',
          'ftp://127.0.0.1/x',
          'http://user:pw@127.0.0.1/',
          'http://10.0.0.1/',
          'http://169.254.169.254/latest/meta-data',
          `http://127.0.0.1/${long(2049)}`,
          5,
          null,
        ],
        required: true,
      },
      {
        at: ['events'],
        bad: [
          [],
          ['nope'],
          'workflow.completed',
          [5],
          null,
          {},
          Array.from({ length: 7 }, () => 'workflow.completed'),
        ],
        required: true,
      },
    ],
    [[]],
  ),
  'POST /codec/encode': codecBody('encode'),
  'POST /codec/decode': codecBody('decode'),
};

function bodyMutation(r: Route): fc.Arbitrary<Sample> {
  return fc
    .oneof(
      { weight: 9, arbitrary: BODY_CASES[key(r)]! },
      // Not an object at all.
      { weight: 1, arbitrary: fc.constantFrom([], [1, 2], [{}]).map((json) => ({ json, field: 'body' })) },
    )
    .map(({ json, field }) => ({
      route: key(r),
      kind: 'body' as const,
      method: r.method,
      path: fill(r),
      headers: headersFor(r, JSON_TYPE),
      body: JSON.stringify(json),
      field,
    }));
}

const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'text/json',
  undefined, // fetch sends a string body as text/plain;charset=UTF-8
];

function contentTypeMutation(r: Route): fc.Arbitrary<Sample> {
  return fc.constantFrom(...CONTENT_TYPES).map((contentType) => ({
    route: key(r),
    kind: 'content-type' as const,
    method: r.method,
    path: fill(r),
    headers: headersFor(r, contentType),
    body: JSON.stringify(r.body),
    field: 'header.content-type',
    status: 415,
  }));
}

const isJson = (s: string) => {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
};

const badJson = fc.oneof(
  fc.constantFrom(
    '{',
    '{"entries": [',
    "{'a': 1}",
    '{"a":1,}',
    '{"a":1}{"b":2}',
    'undefined',
    'NaN',
    '"text"',
    '5',
    'null',
    'true',
    '\u0000',
    '['.repeat(100),
    // Well-formed, but deeper than anything a request needs.
    `${'['.repeat(40)}${']'.repeat(40)}`,
    `${'{"a":'.repeat(40)}1${'}'.repeat(40)}`,
  ),
  fc
    .string({ maxLength: 40 })
    .map((s) => `{${s}`)
    .filter((s) => !isJson(s)),
);

function jsonMutation(r: Route): fc.Arbitrary<Sample> {
  // An empty body is how a retry is usually sent: not malformed there.
  const bodies = r.pattern.endsWith('/retry') ? badJson : fc.oneof(badJson, fc.constant(''));
  return bodies.map((body) => ({
    route: key(r),
    kind: 'json' as const,
    method: r.method,
    path: fill(r),
    headers: headersFor(r, JSON_TYPE),
    body,
    field: 'body',
  }));
}

function idempotencyMutation(r: Route): fc.Arbitrary<Sample> {
  return fc.constantFrom('a b', 'k'.repeat(256), '').map((k) => ({
    route: key(r),
    kind: 'header' as const,
    method: r.method,
    path: fill(r),
    headers: { ...headersFor(r, JSON_TYPE), 'idempotency-key': k },
    // Well-formed: only the header is wrong, so a missing header check would start a workflow.
    body: JSON.stringify(r.body),
    field: 'header.idempotency-key',
  }));
}

// ---- everything wrong at once --------------------------------------------------------------------------------

const chaosBody = fc.oneof(
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
    .record({ payloads: fc.oneof(fc.string(), fc.integer(), fc.dictionary(fc.string(), fc.jsonValue())) })
    .map((v) => JSON.stringify(v)),
  fc
    .dictionary(fc.string({ minLength: 1, maxLength: 10 }), fc.jsonValue(), { minKeys: 1, maxKeys: 4 })
    .map((v) => JSON.stringify({ ...v, unexpectedField: true })),
  fc.string().map((s) => `{${s}`),
  fc.constant(JSON.stringify({ entries: [{ ...ENTRY, description: huge }] })),
);

const chaosQuery = fc.oneof(
  fc.constantFrom('limit=-1', 'limit=abc', 'limit=100000', 'cursor=forged-cursor', `query=${long(5000)}`),
  fc.string({ maxLength: 30 }).map((s) => `cursor=${encodeURIComponent(s)}`),
  fc.string({ maxLength: 30 }).map((s) => `state=${encodeURIComponent(s)}`),
);

function chaos(r: Route): fc.Arbitrary<Sample> {
  const params = paramsOf(r);
  return fc
    .record({
      forged: fc.tuple(...params.map((p) => fc.option(forgery[p]!, { nil: undefined }))),
      query: fc.option(chaosQuery, { nil: undefined }),
      body: chaosBody,
      contentType: fc.constantFrom(...CONTENT_TYPES, JSON_TYPE, JSON_TYPE),
    })
    .filter(({ forged, query, body, contentType }) => {
      const forgedAny = forged.some((f) => f !== undefined);
      const queryCounts = query !== undefined && r.outsideV1 !== 'codec';
      if (r.method !== 'POST') return forgedAny || queryCounts || r.outsideV1 === 'callback';
      const bodyCounts = contentType !== JSON_TYPE || !isJson(body) || !r.accepts!(JSON.parse(body));
      return forgedAny || queryCounts || bodyCounts;
    })
    .map(({ forged, query, body, contentType }) => {
      const byName = Object.fromEntries(
        params.flatMap((p, i) => (forged[i] === undefined ? [] : [[p, forged[i]]])),
      ) as Record<string, string>;
      const forgedParam = Object.keys(byName)[0];
      return {
        route: key(r),
        kind: 'chaos' as const,
        method: r.method,
        path: `${fill(r, byName)}${query ? `?${query}` : ''}`,
        ...(r.method === 'POST' ? { headers: headersFor(r, contentType), body } : { headers: headersFor(r) }),
        ...(forgedParam ? { forgedParam } : {}),
      };
    });
}

// ---- the body parser's own refusals ---------------------------------------------------------------------------

/** Charset, content encoding and size, refused by the JSON body parsers (the API's and the codec's) before any schema. */
function parserEdges(r: Route): Sample[] {
  const base = { route: key(r), method: r.method, path: fill(r) };
  const body = JSON.stringify(r.body);
  return [
    {
      ...base,
      kind: 'content-type',
      headers: headersFor(r, 'application/json; charset=latin1'),
      body,
      field: 'header.content-type',
      status: 415,
    },
    {
      ...base,
      kind: 'header',
      headers: { ...headersFor(r, JSON_TYPE), 'content-encoding': 'bogus' },
      body,
      field: 'header.content-encoding',
      status: 415,
    },
    {
      ...base,
      kind: 'body',
      headers: headersFor(r, JSON_TYPE),
      body: JSON.stringify({ payloads: [{ data: b64('x'.repeat(7 * 1024 * 1024)) }] }),
      field: 'body',
      status: 413,
    },
  ];
}

function attempts(issued: Issued): fc.Arbitrary<Sample> {
  // Built once per route: building them for every sample took longer than sending the requests.
  const perRoute = ROUTES.map((r) => {
    const post = r.method === 'POST';
    const choices: { weight: number; arbitrary: fc.Arbitrary<Sample> }[] = [
      { weight: 3, arbitrary: chaos(r) },
      ...(paramsOf(r).length > 0 ? [{ weight: 4, arbitrary: pathForgery(r) }] : []),
      ...(r.outsideV1 !== 'codec' ? [{ weight: post ? 2 : 5, arbitrary: queryMutation(r, issued) }] : []),
      ...(post
        ? [
            { weight: 6, arbitrary: bodyMutation(r) },
            { weight: 1, arbitrary: contentTypeMutation(r) },
            { weight: 1, arbitrary: jsonMutation(r) },
          ]
        : []),
      ...(post && !r.outsideV1 ? [{ weight: 1, arbitrary: idempotencyMutation(r) }] : []),
    ];
    return fc.oneof(...choices);
  });
  return fc.nat({ max: ROUTES.length - 1 }).chain((i) => perRoute[i]!);
}

// ---- checking the answers ------------------------------------------------------------------------------------

interface ErrorBody {
  error?: {
    code?: unknown;
    message?: unknown;
    details?: { fields?: { field?: unknown; reason?: unknown }[] };
  };
}

/**
 * 404 is the one 4xx that needs no field: "no such route" or "no such record" names nothing the caller sent
 * wrongly. 401, 403 and 429 never come here (an admin key, under a rate limit set out of reach): they count
 * as problems like any other answer without a field.
 */
const NO_FIELD_NEEDED = new Set([404]);

function problemWith(a: Sample, status: number, text: string): string | undefined {
  if (status < 400 || status >= 500) return `status ${status}`;
  let body: ErrorBody;
  try {
    body = JSON.parse(text) as ErrorBody;
  } catch {
    return `status ${status} with a non-JSON body`;
  }
  const e = body.error;
  if (typeof e?.code !== 'string' || typeof e.message !== 'string') return 'no error.code and error.message';
  if (a.status !== undefined && status !== a.status) return `status ${status}, not ${a.status}`;
  if (a.forgedParam !== undefined && status === 403) return `403 for a forged path.${a.forgedParam}`;
  if (NO_FIELD_NEEDED.has(status)) {
    return a.field !== undefined ? `404 where ${a.field} is the one thing wrong` : undefined;
  }
  const fields = e.details?.fields;
  if (!Array.isArray(fields) || fields.length === 0) return `status ${status} names no field`;
  if (
    fields.some((f) => typeof f.field !== 'string' || !f.field || typeof f.reason !== 'string' || !f.reason)
  )
    return 'a field without a name or a reason';
  const names = fields.map((f) => f.field as string);
  const within = (prefix: string) => (n: string) => n === prefix || n.startsWith(`${prefix}.`);
  if (a.field !== undefined && !names.every(within(a.field)))
    return `names ${names.join(', ')} where ${a.field} is the one thing wrong`;
  if (a.kind === 'path' && !names.every((n) => n === 'path' || n === `path.${a.forgedParam}`))
    return `names ${names.join(', ')} for a forged path.${a.forgedParam}`;
  return undefined;
}

/**
 * fc.sample, a hundred at a time with the event loop let through in between: a second of sampling in one go
 * holds back the server's keep-alive timers in this same process, which then close sockets the client is
 * about to reuse (ECONNRESET on the first requests).
 */
async function sampleInSteps<T>(arb: fc.Arbitrary<T>, total: number, seed: number): Promise<T[]> {
  const out: T[] = [];
  for (let step = 0; out.length < total; step++) {
    out.push(...fc.sample(arb, { numRuns: Math.min(100, total - out.length), seed: seed + step }));
    await new Promise((resolve) => setImmediate(resolve));
  }
  return out;
}

function workflowStarts(metrics: string): number {
  return metrics
    .split('\n')
    .filter((line) => line.startsWith('workflow_starts_total'))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

describe('fuzz: malformed requests across every route', () => {
  let sys: System;
  let issued: Issued;
  beforeAll(async () => {
    // OAuth mode, where the consent routes are in service (with CLIO_AUTH_MODE=refresh_token a well-formed callback
    // is a 409 naming no field): the callback is fuzzed as Clio's redirect reaches it. Connected, for the reads.
    sys = await startOAuthSystem({ API_RATE_LIMIT_PER_MINUTE: '1000000' });
    expect((await connectClio(sys, 'sandbox', { authorization: ADMIN })).status).toBe(200);
    const start = await fetch(`${sys.api.url}/v1/tenants/sandbox/oauth/start`, {
      headers: { authorization: ADMIN },
      redirect: 'manual',
    });
    const page = (await (
      await fetch(`${sys.api.url}/v1/matters?limit=1`, { headers: { authorization: ADMIN } })
    ).json()) as { nextCursor: string | null };
    issued = {
      state: new URL(start.headers.get('location')!).searchParams.get('state')!,
      mattersCursor: page.nextCursor!,
    };
    expect(issued.state).toBeTruthy();
    expect(issued.mattersCursor).toBeTruthy();
  });
  afterAll(async () => {
    await sys?.stop();
  });

  async function workflowCount(): Promise<number> {
    let n = 0;
    for await (const _ of sys.env.client.workflow.list()) n++;
    return n;
  }
  const startsSoFar = async () => workflowStarts(await (await fetch(`${sys.api.url}/metrics`)).text());
  const newState = async () => {
    const start = await fetch(`${sys.api.url}/v1/tenants/sandbox/oauth/start`, {
      headers: { authorization: ADMIN },
      redirect: 'manual',
    });
    return new URL(start.headers.get('location')!).searchParams.get('state')!;
  };

  test('when 1,500 malformed requests arrive, then each gets a 4xx naming what is wrong, none a 5xx, and nothing starts', async () => {
    const samples = [
      ...(await sampleInSteps(attempts(issued), 1500, 20261125)),
      ...ROUTES.filter((r) => r.method === 'POST').flatMap(parserEdges),
    ];
    const before = {
      starts: await startsSoFar(),
      workflows: await workflowCount(),
      webhooks: (await sys.db.knex('webhook_subscriptions').count({ n: '*' }))[0],
    };

    // Every route is fuzzed, and every route that takes a body gets bodies wrong in one place only (so the
    // rest passes validation and the route's own checks are reached).
    const seen = (kind: Sample['kind']) =>
      new Set(samples.filter((s) => s.kind === kind).map((s) => s.route));
    expect(ROUTES.map(key).filter((r) => !samples.some((s) => s.route === r))).toEqual([]);
    expect(postRoutes.map(key).filter((r) => !seen('body').has(r))).toEqual([]);
    expect(
      ROUTES.filter((r) => paramsOf(r).length > 0)
        .map(key)
        .filter((r) => !seen('path').has(r)),
    ).toEqual([]);

    const problems: string[] = [];
    let i = 0;
    // A few at a time: fast, without turning the test into a load test.
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (i < samples.length) {
          const a = samples[i++]!;
          let status: number;
          let text: string;
          try {
            const path = a.path.includes(FRESH_STATE)
              ? a.path.replace(FRESH_STATE, encodeURIComponent(await newState()))
              : a.path;
            const res = await fetch(`${sys.api.url}${path}`, {
              method: a.method,
              headers: a.headers,
              body: a.body,
            });
            status = res.status;
            text = await res.text();
          } catch (err) {
            // The connection dropped: no answer at all is as wrong as a 5xx.
            status = 0;
            text = String((err as Error).cause ?? err);
          }
          const problem = problemWith(a, status, text);
          if (problem)
            problems.push(
              `${a.kind} ${a.method} ${a.path.slice(0, 100)} [${a.headers['content-type'] ?? ''}] ${String(a.body).slice(0, 100)} → ${problem}: ${text.slice(0, 300)}`,
            );
        }
      }),
    );
    expect(problems).toEqual([]);
    expect(samples.length).toBeGreaterThanOrEqual(1000);
    expect(await startsSoFar()).toBe(before.starts);
    expect(await workflowCount()).toBe(before.workflows);
    expect((await sys.db.knex('webhook_subscriptions').count({ n: '*' }))[0]).toEqual(before.webhooks);
  });

  test('when one well-formed time entry follows, then both counts see its workflow (so the checks above can fail)', async () => {
    const before = { starts: await startsSoFar(), workflows: await workflowCount() };
    const res = await fetch(`${sys.api.url}/v1/time-entries`, {
      method: 'POST',
      headers: { authorization: ADMIN, 'content-type': JSON_TYPE },
      body: JSON.stringify({ entries: [ENTRY] }),
    });
    expect(res.status).toBe(202);
    expect(await startsSoFar()).toBe(before.starts + 1);
    const { statusUrl } = (await res.json()) as { statusUrl: string };
    // It fails or completes; either way it leads to an event delivery workflow too, hence "greater than".
    await waitForWorkflow(sys.api.url, statusUrl);
    // Temporal's list may lag a start: wait for it, up to a bound.
    const deadline = Date.now() + 10_000;
    while ((await workflowCount()) === before.workflows && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(await workflowCount()).toBeGreaterThan(before.workflows);
  });
});
