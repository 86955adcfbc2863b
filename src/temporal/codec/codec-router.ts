import { type Payload, type PayloadCodec } from '@temporalio/common';
import cors from 'cors';
import express, { type ErrorRequestHandler, type Request, type Response, type Router } from 'express';
import { z } from 'zod';

export interface CodecRouterOptions {
  codec: PayloadCodec;
  /** Whether this caller may use the codec (e.g. a valid Bearer API key; anyone in sandbox mode). */
  authorize: (req: Request) => boolean | Promise<boolean>;
  /** Browser origins allowed to call (the Temporal UI, e.g. http://127.0.0.1:8233). */
  allowedOrigins: string[];
  /** Largest request body (default 8 MB): histories can carry large payloads. */
  bodyLimit?: string;
}

const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'base64');
// Temporal's codec-server JSON: payload metadata values and data as base64 strings.
const bodySchema = z.object({
  payloads: z
    .array(z.object({ metadata: z.record(z.string(), base64).nullish(), data: base64.nullish() }))
    .max(10_000),
});
type JsonPayload = { metadata: Record<string, string>; data?: string };

function fromJson(p: z.output<typeof bodySchema>['payloads'][number]): Payload {
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

const sendError = (res: Response, status: number, code: string, message: string) =>
  void res.status(status).json({ error: { code, message } });

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
    } catch {
      allowed = false;
    }
    if (allowed) return next();
    if (req.headers.authorization)
      return sendError(res, 403, 'forbidden', 'not allowed to use the payload codec');
    res.setHeader('WWW-Authenticate', 'Bearer');
    return sendError(res, 401, 'unauthorized', 'a Bearer API key is required');
  });
  router.use(express.json({ limit: options.bodyLimit ?? '8mb' }));

  const handler = (op: 'encode' | 'decode') => async (req: Request, res: Response) => {
    const parsed = bodySchema.safeParse(req.body);
    if (!parsed.success)
      return sendError(
        res,
        400,
        'invalid_request',
        'expected { payloads: [{ metadata, data }] } with base64 values',
      );
    let result: Payload[];
    try {
      result = await options.codec[op](parsed.data.payloads.map(fromJson));
    } catch {
      return sendError(
        res,
        400,
        `${op}_failed`,
        `a payload could not be ${op}d (unknown key or altered ciphertext)`,
      );
    }
    res.json({ payloads: result.map(toJson) });
  };
  router.post('/encode', handler('encode'));
  router.post('/decode', handler('decode'));

  // Malformed JSON or an oversized body from express.json: answer in the API's error shape.
  const onError: ErrorRequestHandler = (err: { status?: number; type?: string }, _req, res, next) => {
    if (res.headersSent) return next(err);
    const status = err.status === 413 ? 413 : 400;
    sendError(
      res,
      status,
      status === 413 ? 'payload_too_large' : 'invalid_request',
      'malformed request body',
    );
  };
  router.use(onError);
  return router;
}
