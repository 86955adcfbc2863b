import { type Payload, type PayloadCodec } from '@temporalio/common';
import cors from 'cors';
import express, {
  type ErrorRequestHandler,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import { z } from 'zod';
import { AppError } from '../../api/errors';
import { bodyNotAnObject, fieldProblems, isJsonButNotObject, type FieldProblem } from '../../api/validation';

export interface CodecRouterOptions {
  codec: PayloadCodec;
  /**
   * Whether this caller may use the codec (e.g. a valid Bearer API key; anyone in sandbox mode): false is a 401
   * without an Authorization header, a 403 with one. It may instead throw an `AppError` to be answered with (a 400
   * for two Authorization headers, a 429 with Retry-After for an address held back); any other error is a "no".
   */
  authorize: (req: Request) => boolean | Promise<boolean>;
  /** Browser origins allowed to call (the Temporal UI, e.g. http://127.0.0.1:8233). */
  allowedOrigins: string[];
  /** Largest request body (default 8 MB): histories can carry large payloads. */
  bodyLimit?: string;
}

const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64');
const externalPayloads = z.array(z.unknown()).nullish();
/**
 * Temporal's codec-server JSON: the Payloads message in proto3 JSON, metadata values and data as base64 strings.
 * Strict like protojson (which Temporal's own codec servers parse with, refusing unknown fields), so a misspelt
 * field is named in a 400 rather than silently dropped. Every field the Payload message has is accepted, under
 * either of the names proto3 JSON allows, so what the UI or CLI sends from a history always parses.
 */
export const codecBodySchema = z
  .object({
    payloads: z
      .array(
        z
          .object({
            metadata: z.record(z.string(), base64).nullish(),
            data: base64.nullish(),
            externalPayloads,
            external_payloads: externalPayloads,
          })
          .strict(),
      )
      .max(10_000, 'must hold at most 10000 payloads'),
  })
  .strict();
type JsonPayload = { metadata: Record<string, string>; data?: string };

function fromJson(p: z.output<typeof codecBodySchema>['payloads'][number]): Payload {
  const metadata = Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))]),
  );
  return p.data == null ? { metadata } : { metadata, data: new Uint8Array(Buffer.from(p.data, 'base64')) };
}

function toJson(p: Payload): JsonPayload {
  const metadata = Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [
      k,
      Buffer.from(v ?? new Uint8Array()).toString('base64'),
    ]),
  );
  return p.data == null ? { metadata } : { metadata, data: Buffer.from(p.data).toString('base64') };
}

interface BodyParserError {
  type?: unknown;
  limit?: number;
  body?: unknown;
}

const sendError = (res: Response, status: number, code: string, message: string, fields?: FieldProblem[]) =>
  void res.status(status).json({ error: { code, message, ...(fields ? { details: { fields } } : {}) } });

/** An `AppError` from the access decision, in the same shape (its headers too, e.g. Retry-After). */
const sendAppError = (res: Response, err: AppError) => {
  for (const [name, value] of Object.entries(err.headers ?? {})) res.setHeader(name, value);
  res.status(err.status).json({
    error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) },
  });
};

const summary = (fields: FieldProblem[]) =>
  fields
    .slice(0, 3)
    .map((f) => `${f.field} ${f.reason}`)
    .join('; ');

/**
 * Which payload a failed batch stumbled on (`.<index>`, or nothing when none fails alone): the codec answers for
 * the batch, and a person decoding a history needs to know which payload to look at. Only on the error path.
 */
async function failingIndex(
  codec: PayloadCodec,
  op: 'encode' | 'decode',
  payloads: Payload[],
): Promise<string> {
  for (const [i, p] of payloads.entries()) {
    try {
      await codec[op]([p]);
    } catch {
      return `.${i}`;
    }
  }
  return '';
}

/** As the API's require-json: a form or text body would otherwise reach the schema as "no body" (a 400). */
const requireJson: RequestHandler = (req, res, next) => {
  const hasBody = req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0';
  if ((hasBody || req.headers['transfer-encoding'] !== undefined) && !req.is('application/json')) {
    return sendError(res, 415, 'unsupported_media_type', 'Send the body as application/json', [
      { field: 'header.content-type', reason: 'must be application/json' },
    ]);
  }
  next();
};

/**
 * `POST /encode` and `POST /decode` for the Temporal UI and CLI (mount under /codec). CORS comes first so that
 * preflights (which carry no credentials) succeed and the UI can read 401/403 answers; then authorization,
 * before the body is parsed, so unauthorized callers cost nothing. Errors never include payload contents.
 */
export function createCodecRouter(options: CodecRouterOptions): Router {
  const router = express.Router();
  router.use(
    cors({
      origin: options.allowedOrigins,
      methods: ['POST', 'OPTIONS'],
      allowedHeaders: ['content-type', 'x-namespace', 'authorization'],
      // The UI's "include cross-origin credentials" option sends cookies/authorization with credentials mode.
      credentials: true,
      maxAge: 600,
    }),
  );
  router.use(async (req, res, next) => {
    let allowed: boolean;
    try {
      allowed = await options.authorize(req);
    } catch (err) {
      if (err instanceof AppError && err.status < 500) return sendAppError(res, err);
      allowed = false;
    }
    if (allowed) return next();
    if (req.headers.authorization)
      return sendError(res, 403, 'forbidden', 'not allowed to use the payload codec');
    res.setHeader('WWW-Authenticate', 'Bearer');
    return sendError(res, 401, 'unauthenticated', 'a Bearer API key is required');
  });
  // Only the two endpoints read a body; anything else under /codec falls through to the API's 404.
  const readJson = [requireJson, express.json({ limit: options.bodyLimit ?? '8mb' })];

  const handler = (op: 'encode' | 'decode') => async (req: Request, res: Response) => {
    const parsed = codecBodySchema.safeParse(req.body);
    if (!parsed.success) {
      const fields = fieldProblems(parsed.error, 'body', req.body);
      return sendError(res, 400, 'invalid_request', `Invalid request: ${summary(fields)}`, fields);
    }
    const payloads = parsed.data.payloads.map(fromJson);
    let result: Payload[];
    try {
      result = await options.codec[op](payloads);
    } catch {
      const field = `body.payloads${await failingIndex(options.codec, op, payloads)}`;
      const reason = `could not be ${op}d (unknown key or altered ciphertext)`;
      return sendError(res, 400, `${op}_failed`, `${field} ${reason}`, [{ field, reason }]);
    }
    res.json({ payloads: result.map(toJson) });
  };
  router.post('/encode', ...readJson, handler('encode'));
  router.post('/decode', ...readJson, handler('decode'));

  // What express.json refuses, answered in the API's error shape; anything else is ours, for the API's 500.
  const onError: ErrorRequestHandler = (err: BodyParserError | undefined, _req, res, next) => {
    if (res.headersSent || typeof err?.type !== 'string') return next(err);
    switch (err.type) {
      case 'entity.parse.failed':
        if (isJsonButNotObject(err.body)) return sendAppError(res, bodyNotAnObject());
        return sendError(res, 400, 'invalid_request', 'The body is not valid JSON', [
          { field: 'body', reason: 'is not valid JSON' },
        ]);
      case 'entity.too.large':
        return sendError(res, 413, 'payload_too_large', 'The body is too large', [
          { field: 'body', reason: `is larger than ${err.limit ?? 'the limit'} bytes` },
        ]);
      case 'encoding.unsupported':
        return sendError(res, 415, 'unsupported_encoding', 'The body encoding is not supported', [
          { field: 'header.content-encoding', reason: 'is not supported' },
        ]);
      case 'charset.unsupported':
        return sendError(res, 415, 'unsupported_encoding', 'The body charset is not supported', [
          { field: 'header.content-type', reason: 'names a charset that is not supported' },
        ]);
      default:
        return sendError(res, 400, 'invalid_request', 'The body could not be read', [
          { field: 'body', reason: 'could not be read' },
        ]);
    }
  };
  router.use(onError);
  return router;
}
