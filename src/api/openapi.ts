import { CallbackQuery } from './routes/clio-oauth';
import {
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type ResponseConfig,
  type RouteConfig,
} from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { TimeEntriesRequestSchema } from '../domain/time-entries';
import { PERMISSIONS, type Permission } from './auth/permissions';
import { MfaCodeRequestSchema, SessionRetryRequestSchema, SessionViewSchema } from './routes/sessions';
import { AuditQueryParams } from './routes/audit';
import { auditRecordSchema } from '../audit/audit-record';
import {
  BillListQuery,
  BillSchema,
  ContactListQuery,
  ContactSchema,
  IdParam,
  MatterListQuery,
  MatterSchema,
  pageOf,
  TimeEntryListQuery,
  TimeEntrySchema,
} from './views/schemas';
import {
  DeliveryAttemptSchema,
  ErrorSchema,
  IdempotencyKeyHeader,
  ReadinessSchema,
  StartedWorkflowSchema,
  SubscriptionSchema,
  WorkflowViewSchema,
} from './schemas';
import { NewSubscriptionSchema } from '../webhooks/events';
import { codecBodySchema } from '../temporal/codec/codec-router';

const json = <S extends z.ZodType>(schema: S, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const errors = {
  400: json(ErrorSchema, 'Invalid request: `error.details.fields` names each bad field and why'),
  401: json(ErrorSchema, 'Missing or unknown API key'),
  403: json(ErrorSchema, 'The key’s role may not do this'),
  429: json(ErrorSchema, 'Rate limit of this key reached; see Retry-After'),
};
/** For routes that call Temporal. */
const temporalErrors = {
  503: json(
    ErrorSchema,
    'Temporal did not answer in time (`temporal_unavailable`); send the same request again after Retry-After',
  ),
};

function roles(permission: Permission): string {
  return `Roles: ${PERMISSIONS[permission].roles.join(', ')}.`;
}

/** The 409s the idempotency middleware answers on any POST under /v1 (idempotency.ts). */
const IDEMPOTENCY_CONFLICTS =
  'Idempotency-Key reused with a different body (`idempotency_key_reused`), or its first request is still being answered (`idempotency_key_in_progress`, see Retry-After)';

/** The 409 of the OAuth routes in refresh_token mode (clio-oauth.ts), where tokens from a consent would not be used. */
const NOT_OAUTH_MODE =
  'CLIO_AUTH_MODE is `refresh_token`: Clio is reached with CLIO_REFRESH_TOKEN, not with tokens from Clio’s consent page (`oauth_not_enabled`)';

/**
 * Every POST under /v1 passes the idempotency middleware, which honours `Idempotency-Key` on it: the route takes
 * the header (the one registered parameter), its success may be a replay (`Idempotent-Replayed: true`), and it may
 * be answered the idempotency 409s, besides its own (`conflict`, a clause of the 409's description).
 */
function withIdempotencyKey(
  route: RouteConfig,
  idempotencyKey: { name: string },
  conflict: string | undefined,
): RouteConfig {
  if (route.parameters !== undefined || route.request?.headers !== undefined)
    throw new Error(`${route.path}: give its own parameters together with the Idempotency-Key here`);
  const responses = Object.fromEntries(
    Object.entries(route.responses).map(([status, answer]) => {
      if (!/^2\d\d$/.test(status) || '$ref' in answer) return [status, answer];
      const success: ResponseConfig = {
        ...answer,
        headers: {
          ...(answer.headers as Record<string, unknown> | undefined),
          'Idempotent-Replayed': {
            description:
              '`true` when this is the answer kept for an earlier request with the same Idempotency-Key and body (nothing was done again)',
            schema: { type: 'string', enum: ['true'] },
          },
        },
      };
      return [status, success];
    }),
  );
  return {
    ...route,
    parameters: [{ $ref: `#/components/parameters/${idempotencyKey.name}` }],
    responses: {
      ...responses,
      409: json(ErrorSchema, conflict ? `${IDEMPOTENCY_CONFLICTS}; or ${conflict}` : IDEMPOTENCY_CONFLICTS),
    },
  };
}

/** The API's OpenAPI 3.1 document, generated from the same zod schemas the routes validate with. */
export function buildOpenApiDocument(): ReturnType<OpenApiGeneratorV31['generateDocument']> {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key',
  });
  // One parameter in the document, from the schema the middleware's header check is described by.
  const keySchema = IdempotencyKeyHeader.shape['idempotency-key'];
  const idempotencyKey = registry.registerComponent('parameters', 'IdempotencyKey', {
    name: 'idempotency-key',
    in: 'header',
    required: false,
    description: keySchema.description,
    schema: {
      type: 'string',
      minLength: keySchema.unwrap().minLength ?? undefined,
      maxLength: keySchema.unwrap().maxLength ?? undefined,
    },
  });
  /** Registers a route; a POST under /v1 with the Idempotency-Key it honours (`withIdempotencyKey`). */
  const registerPath = (route: RouteConfig, opts: { conflict?: string } = {}) =>
    registry.registerPath(
      route.method === 'post' && route.path.startsWith('/v1/')
        ? withIdempotencyKey(route, idempotencyKey, opts.conflict)
        : route,
    );

  registerPath({
    method: 'post',
    path: '/v1/time-entries',
    summary: 'Record time entries in Clio (timeCapture workflow)',
    description: `Starts a timeCapture run that creates each entry in Clio exactly once. ${roles('time_entries.create')}`,
    security: [{ apiKey: [] }],
    request: {
      body: {
        required: true,
        content: {
          'application/json': { schema: TimeEntriesRequestSchema.meta({ id: 'TimeEntriesRequest' }) },
        },
      },
    },
    responses: {
      202: json(
        StartedWorkflowSchema,
        'Accepted: the run has started (or the same request was already accepted)',
      ),
      ...errors,
      ...temporalErrors,
      413: json(ErrorSchema, 'Body larger than 1 MB'),
      415: json(ErrorSchema, 'Body is not application/json'),
    },
  });
  registerPath({
    method: 'get',
    path: '/v1/workflows/{workflowId}',
    summary: 'A workflow run: status, result or failure',
    description: `A failed \`timeCapture\` run names what happened in \`failure.type\`, with \`failure.details\` \`{ created, failed, auditMissing? }\`: \`TimeEntriesRejected\` when Clio refused the entries in \`failed\` (those in \`created\` are in Clio); \`AuditRecordsMissing\` when every entry IS in Clio (\`created\`, with its Clio id; \`failed\` is empty) but the audit records in \`auditMissing\` could not be written: the audit trail is incomplete, and the entries must not be sent again. ${roles('workflows.read')}`,
    security: [{ apiKey: [] }],
    request: { params: z.object({ workflowId: z.string() }) },
    responses: {
      200: json(WorkflowViewSchema, 'The run'),
      ...errors,
      ...temporalErrors,
      404: json(ErrorSchema, 'No such run for this tenant'),
    },
  });
  const webhook = SubscriptionSchema;
  registerPath(
    {
      method: 'post',
      path: '/v1/webhooks',
      summary: 'Subscribe a URL to events',
      description: `Deliveries are signed: \`X-Webhook-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>\` with \`X-Webhook-Timestamp\` (Unix seconds; refuse one more than 5 minutes from your clock) and a stable \`X-Webhook-Id\`; dedupe on the body's signed \`id\`. The secret is returned once. Recorded in the audit trail (\`webhook.subscribed\`, with the receiver's host and the events); a subscription whose record cannot be written is not kept. ${roles('webhooks.manage')}`,
      security: [{ apiKey: [] }],
      request: {
        body: {
          required: true,
          content: {
            'application/json': { schema: NewSubscriptionSchema.meta({ id: 'NewWebhookSubscription' }) },
          },
        },
      },
      responses: {
        201: json(
          webhook.extend({ secret: z.string() }).meta({ id: 'CreatedWebhookSubscription' }),
          'Subscribed',
        ),
        ...errors,
        413: json(ErrorSchema, 'Body larger than 1 MB'),
        415: json(ErrorSchema, 'Body is not application/json'),
      },
    },
    {
      conflict: 'the tenant holds WEBHOOK_MAX_SUBSCRIPTIONS subscriptions already (`webhook_limit_reached`)',
    },
  );
  registerPath({
    method: 'get',
    path: '/v1/webhooks',
    summary: 'The tenant’s webhook subscriptions',
    description: roles('webhooks.list'),
    security: [{ apiKey: [] }],
    responses: {
      200: json(z.object({ data: z.array(webhook) }), 'Subscriptions (without secrets)'),
      ...errors,
    },
  });
  registerPath({
    method: 'get',
    path: '/v1/webhooks/{id}/deliveries',
    summary: 'Delivery log of a subscription (newest first)',
    description: roles('webhooks.deliveries'),
    security: [{ apiKey: [] }],
    request: { params: z.object({ id: z.string() }) },
    responses: {
      200: json(z.object({ data: z.array(DeliveryAttemptSchema) }), 'Attempts'),
      ...errors,
      404: json(ErrorSchema, 'No such subscription'),
    },
  });
  registerPath({
    method: 'delete',
    path: '/v1/webhooks/{id}',
    summary: 'Unsubscribe',
    description: `Recorded in the audit trail (\`webhook.deleted\`). Deliveries stop even when the record cannot be written (a 5xx); sending the request again then writes it and answers 404. ${roles('webhooks.delete')}`,
    security: [{ apiKey: [] }],
    request: { params: z.object({ id: z.string() }) },
    responses: { 204: { description: 'Removed' }, ...errors, 404: json(ErrorSchema, 'No such subscription') },
  });
  const reads: {
    path: string;
    permission: Permission;
    item: z.ZodType;
    id: string;
    query?: z.ZodObject;
    summary: string;
  }[] = [
    {
      path: '/v1/matters',
      permission: 'matters.list',
      item: MatterSchema,
      id: 'MatterPage',
      query: MatterListQuery,
      summary: 'Matters (normalized), filtered and paged',
    },
    {
      path: '/v1/matters/{id}',
      permission: 'matters.read',
      item: MatterSchema,
      id: '',
      summary: 'One matter',
    },
    {
      path: '/v1/contacts',
      permission: 'contacts.list',
      item: ContactSchema,
      id: 'ContactPage',
      query: ContactListQuery,
      summary: 'Contacts (normalized), filtered and paged',
    },
    {
      path: '/v1/contacts/{id}',
      permission: 'contacts.read',
      item: ContactSchema,
      id: '',
      summary: 'One contact',
    },
    {
      path: '/v1/time-entries',
      permission: 'time_entries.list',
      item: TimeEntrySchema,
      id: 'TimeEntryPage',
      query: TimeEntryListQuery,
      summary: 'Time entries (normalized), filtered and paged',
    },
    {
      path: '/v1/bills',
      permission: 'bills.list',
      item: BillSchema,
      id: 'BillPage',
      query: BillListQuery,
      summary: 'Bills (normalized), filtered and paged',
    },
    { path: '/v1/bills/{id}', permission: 'bills.read', item: BillSchema, id: '', summary: 'One bill' },
  ];
  for (const r of reads) {
    registerPath({
      method: 'get',
      path: r.path,
      summary: r.summary,
      description: `Read from Clio through the tenant's rate budget. ${r.query ? '`limit` ≤ 200; pass `nextCursor` back as `cursor` (cursors are bound to their filters). ' : ''}${roles(r.permission)}`,
      security: [{ apiKey: [] }],
      request: {
        ...(r.query ? { query: r.query } : { params: IdParam }),
        headers: z.object({
          'if-none-match': z
            .string()
            .optional()
            .meta({ description: 'The ETag of an earlier answer: 304 while it is still current' }),
        }),
      },
      responses: {
        200: {
          ...json(r.query ? pageOf(r.item, r.id) : r.item, r.query ? 'A page' : 'The record'),
          headers: {
            ETag: {
              description: 'Of this answer; send it back as If-None-Match to revalidate',
              schema: { type: 'string' },
            },
          },
        },
        304: { description: 'Not modified: the If-None-Match ETag is still current (no body)' },
        ...errors,
        ...(r.query ? {} : { 404: json(ErrorSchema, 'No such record for this tenant') }),
        409: json(ErrorSchema, 'This tenant has not connected Clio yet (clio_not_connected)'),
        502: json(ErrorSchema, 'Clio did not answer as expected'),
        503: json(ErrorSchema, 'Clio’s rate limit is reached; see Retry-After'),
      },
    });
  }
  registerPath({
    method: 'get',
    path: '/v1/tenants/{tenant}/oauth/start',
    summary: 'Connect Clio: redirects an admin to Clio’s consent page (OAuth mode)',
    description: `After consent Clio redirects to \`<PUBLIC_URL>/oauth/clio/callback\`, which stores the tokens sealed and records \`clio.connected\` with this key's person (or the key, when it names nobody) as the actor. ${roles('clio.connect')}`,
    security: [{ apiKey: [] }],
    request: { params: z.object({ tenant: z.string() }) },
    responses: {
      302: { description: 'Redirect to Clio’s authorize page' },
      ...errors,
      404: json(ErrorSchema, 'Not this key’s tenant'),
      409: json(ErrorSchema, NOT_OAUTH_MODE),
    },
  });
  registerPath({
    method: 'delete',
    path: '/v1/tenants/{tenant}/oauth',
    summary: 'Disconnect Clio: revokes the tenant’s grant at Clio and forgets its tokens (OAuth mode)',
    description: `Recorded in the audit trail (\`clio.disconnected\`). Running processes stop using the tokens within a minute. ${roles('clio.disconnect')}`,
    security: [{ apiKey: [] }],
    request: { params: z.object({ tenant: z.string() }) },
    responses: {
      204: {
        description:
          'Revoked at Clio and forgotten (in refresh_token mode too, for a grant stored while the service ran in oauth mode)',
      },
      ...errors,
      404: json(ErrorSchema, 'Not this key’s tenant'),
      409: json(
        ErrorSchema,
        `This tenant has no Clio connection to remove (\`clio_not_connected\`); or, with none stored, ${NOT_OAUTH_MODE}`,
      ),
      502: json(ErrorSchema, 'Clio did not revoke the grant; the tokens are kept, try again'),
      503: json(ErrorSchema, 'Clio’s rate limit is reached; see Retry-After'),
    },
  });
  registerPath({
    method: 'get',
    path: '/v1/audit',
    summary: 'Audit records of the tenant, newest first (hash-chained, append-only)',
    description: roles('audit.read'),
    security: [{ apiKey: [] }],
    request: { query: AuditQueryParams },
    responses: {
      200: json(
        z.object({ data: z.array(auditRecordSchema), nextCursor: z.string().nullable() }),
        'A page of records',
      ),
      ...errors,
    },
  });
  registerPath({
    method: 'get',
    path: '/healthz',
    summary: 'Liveness',
    responses: { 200: json(z.object({ status: z.literal('ok') }), 'The process is alive') },
  });
  registerPath({
    method: 'get',
    path: '/readyz',
    summary: 'Readiness: Temporal reachable and a worker polling every task queue',
    responses: { 200: json(ReadinessSchema, 'Ready'), 503: json(ReadinessSchema, 'Not ready, and why') },
  });
  registerPath({
    method: 'get',
    path: '/oauth/clio/callback',
    summary: 'Where Clio sends the admin’s browser back after consent (OAuth mode): stores the tokens sealed',
    description:
      'No API key: the browser arrives from Clio, and the signed `state` from `GET /v1/tenants/{tenant}/oauth/start` (valid 10 minutes) names the tenant. A refusal names its cause in `error.code`: `invalid_request` (state missing, malformed, not issued by this service, expired, or used already: a state is good for one callback), `clio_access_denied` (consent not given, or Clio sent `error`), `clio_code_refused` (the code expired, was used, or was issued for another redirect: start again), `oauth_not_enabled` (CLIO_AUTH_MODE is not `oauth`).',
    request: { query: CallbackQuery },
    responses: {
      200: {
        description: 'Clio is connected for the tenant: a page the admin can close',
        content: { 'text/html': { schema: z.string() } },
      },
      400: json(ErrorSchema, 'Not connected: see `error.code` and `error.details.fields`'),
      409: json(ErrorSchema, NOT_OAUTH_MODE),
      502: json(
        ErrorSchema,
        'Clio did not answer the code exchange as expected (`clio_unavailable`), or refused this service’s client credentials (`clio_refused_credentials`: check CLIO_CLIENT_ID, CLIO_CLIENT_SECRET and the region)',
      ),
      503: json(ErrorSchema, 'Clio’s rate limit is reached; see Retry-After'),
    },
  });
  registerPath({
    method: 'get',
    path: '/openapi.json',
    summary: 'This document (OpenAPI 3.1)',
    responses: { 200: json(z.record(z.string(), z.unknown()), 'The OpenAPI document') },
  });
  registerPath({
    method: 'get',
    path: '/docs',
    summary: 'This document as a page (Swagger UI, served from this origin)',
    responses: { 200: { description: 'HTML', content: { 'text/html': { schema: z.string() } } } },
  });
  for (const op of ['encode', 'decode'] as const)
    registerPath({
      method: 'post',
      path: `/codec/${op}`,
      summary: `${op === 'encode' ? 'Encrypt' : 'Decrypt'} Temporal payloads (the payload codec server)`,
      description:
        "Temporal's codec-server protocol, for the Temporal UI and CLI (`--codec-endpoint <this API>/codec`): the Payloads message in proto3 JSON, metadata values and data base64. In production a Bearer API key of an admin of DEFAULT_TENANT; in sandbox mode this machine needs none. Bodies up to 8 MB.",
      security: [{ apiKey: [] }],
      request: { body: { content: { 'application/json': { schema: codecBodySchema } } } },
      responses: {
        200: json(codecBodySchema, `The payloads ${op}d, in the order given`),
        400: json(ErrorSchema, `Invalid request, or a payload that could not be ${op}d (\`${op}_failed\`)`),
        401: errors[401],
        403: json(ErrorSchema, 'This key may not use the payload codec'),
        413: json(ErrorSchema, 'The body is larger than 8 MB'),
        429: json(ErrorSchema, 'Too many refused keys from this client address; see Retry-After'),
      },
    });
  registerPath({
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics of the API',
    description:
      'Open unless METRICS_TOKEN is set; then it asks for that token as `Authorization: Bearer <token>` (not an API key).',
    responses: {
      200: { description: 'Prometheus text format', content: { 'text/plain': { schema: z.string() } } },
      401: json(ErrorSchema, 'METRICS_TOKEN is set and the request did not send it'),
    },
  });

  registerPath({
    method: 'get',
    path: '/v1/bills/{id}/pdf',
    summary: 'The bill as Clio renders it (from Clio’s web app, through the tenant’s web session)',
    description: roles('bills.pdf'),
    security: [{ apiKey: [] }],
    request: { params: IdParam },
    responses: {
      200: {
        description: 'The PDF (Content-Disposition: attachment)',
        content: { 'application/pdf': { schema: z.string().meta({ format: 'binary' }) } },
      },
      ...errors,
      404: json(ErrorSchema, 'No such bill for this tenant'),
      502: json(ErrorSchema, 'Clio’s web app did not give a PDF'),
      503: json(
        ErrorSchema,
        'The tenant’s web session is signing in (`clio_session_not_ready`, see Retry-After) or failed (`clio_session_failed`)',
      ),
    },
  });

  const tenantParams = z.object({ tenant: z.string() });
  registerPath({
    method: 'get',
    path: '/v1/tenants/{tenant}/session',
    summary: 'The Clio portal session of the tenant (clioSession workflow): state, since when, generation',
    description: roles('session.read'),
    security: [{ apiKey: [] }],
    request: { params: tenantParams },
    responses: {
      200: json(SessionViewSchema, 'The session'),
      ...errors,
      ...temporalErrors,
      404: json(ErrorSchema, 'Not this key’s tenant'),
    },
  });
  registerPath(
    {
      method: 'post',
      path: '/v1/tenants/{tenant}/session/mfa',
      summary: 'Hand in the MFA code the session waits for (stored sealed; the signal carries a reference)',
      description: `Recorded in the audit trail (\`session.mfa_supplied\`, without the code) before the code is passed on. ${roles('session.mfa')}`,
      security: [{ apiKey: [] }],
      request: {
        params: tenantParams,
        body: { required: true, content: { 'application/json': { schema: MfaCodeRequestSchema } } },
      },
      responses: {
        202: json(
          z.object({ tenant: z.string(), state: z.string(), accepted: z.literal(true) }),
          'The code was passed to the session',
        ),
        ...errors,
        ...temporalErrors,
        404: json(ErrorSchema, 'Not this key’s tenant'),
      },
    },
    {
      conflict:
        'the session is not waiting for an MFA code (`session_not_awaiting_mfa`). Nothing was signalled',
    },
  );
  registerPath(
    {
      method: 'post',
      path: '/v1/tenants/{tenant}/session/retry',
      summary:
        'Sign a failed session in again (after its cause, e.g. credentials or a portal change, is fixed)',
      description: `Recorded in the audit trail (\`session.retry_requested\`) before the session is started again. ${roles('session.retry')}`,
      security: [{ apiKey: [] }],
      request: {
        params: tenantParams,
        body: { required: false, content: { 'application/json': { schema: SessionRetryRequestSchema } } },
      },
      responses: {
        202: json(
          z.object({ tenant: z.string(), state: z.literal('failed'), accepted: z.literal(true) }),
          'The session was asked to sign in again; follow it with GET …/session',
        ),
        ...errors,
        ...temporalErrors,
        404: json(ErrorSchema, 'Not this key’s tenant'),
      },
    },
    { conflict: 'the session has not failed (`session_not_failed`). Nothing was signalled' },
  );

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'clio-orchestrator API',
      version: '1',
      description:
        'Durable Clio Manage and iManage Work automations. Errors are `{ error: { code, message, details? } }`.',
    },
    servers: [{ url: '/' }],
  });
}
