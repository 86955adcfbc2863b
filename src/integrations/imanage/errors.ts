import { z } from 'zod';

export interface IManageFieldMessage {
  field?: string;
  code?: string;
  code_message?: string;
}

/**
 * One error type for every failed iManage call, classified as Clio's are: network errors, 408, 429 and 5xx
 * retryable; other 4xx permanent, with iManage's code and field messages kept for the caller.
 */
export class IManageApiError extends Error {
  override readonly name = 'IManageApiError';
  constructor(
    message: string,
    readonly status: number | undefined,
    /** iManage's `error.code` (`NOT_FOUND`, `VALIDATION_FAILED`, ...), or a network error kind. */
    readonly code: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    readonly messages: IManageFieldMessage[] = [],
  ) {
    super(message);
  }
}

const EnvelopeSchema = z.object({
  error: z.object({
    code: z.string().optional(),
    code_message: z.string().optional(),
    messages: z
      .array(
        z.object({
          field: z.string().optional(),
          code: z.string().optional(),
          code_message: z.string().optional(),
        }),
      )
      .optional(),
  }),
});

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

export function errorFromResponse(status: number, headers: Headers, bodyText: string): IManageApiError {
  let code = `HTTP${status}`;
  let message = `iManage answered ${status}`;
  let messages: IManageFieldMessage[] = [];
  try {
    const parsed = EnvelopeSchema.safeParse(JSON.parse(bodyText));
    if (parsed.success) {
      code = parsed.data.error.code ?? code;
      if (parsed.data.error.code_message) message = `${message}: ${parsed.data.error.code_message}`;
      messages = parsed.data.error.messages ?? [];
      const fields = messages
        .filter((m) => m.field)
        .map((m) => `${m.field}: ${m.code_message ?? m.code ?? ''}`);
      if (fields.length > 0) message = `${message} (${fields.join('; ')})`;
    }
  } catch {
    // Not JSON (a proxy's page): the status says enough.
  }
  return new IManageApiError(
    message,
    status,
    code,
    isRetryableStatus(status),
    retryAfterMsOf(headers.get('retry-after')),
    messages,
  );
}

/** Retry-After in either of HTTP's forms (RFC 9110 §10.2.3): delay-seconds, or an HTTP date to wait until. */
export function retryAfterMsOf(raw: string | null, now = Date.now()): number | undefined {
  if (raw === null || raw.trim() === '') return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function networkError(cause: unknown): IManageApiError {
  const msg = cause instanceof Error ? cause.message : String(cause);
  return new IManageApiError(`iManage could not be reached: ${msg}`, undefined, 'NetworkError', true);
}
