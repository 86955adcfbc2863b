/**
 * iManage answers errors as `{ error: { code, code_message, messages: [{ field, code, code_message }] } }`.
 * Its code catalogue is not public, so the codes below are ours; the envelope and statuses are what clients rely on.
 */
export interface FieldMessage {
  field?: string;
  code: string;
  code_message: string;
}

export class ImanageError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly messages: FieldMessage[] = [],
  ) {
    super(message);
    this.name = 'ImanageError';
  }

  toBody(): { error: { code: string; code_message: string; messages: FieldMessage[] } } {
    return { error: { code: this.code, code_message: this.message, messages: this.messages } };
  }
}

export const badRequest = (message: string, messages: FieldMessage[] = []): ImanageError =>
  new ImanageError(400, 'INVALID_REQUEST', message, messages);

export const unauthorized = (
  code: 'UNAUTHORIZED' | 'TOKEN_EXPIRED' | 'INVALID_GRANT' | 'INVALID_CLIENT',
  message: string,
) => new ImanageError(401, code, message);

export const forbidden = (message: string): ImanageError => new ImanageError(403, 'ACCESS_DENIED', message);

export const notFound = (what: string): ImanageError =>
  new ImanageError(404, 'NOT_FOUND', `${what} was not found.`);

export const conflict = (message: string, field?: string): ImanageError =>
  new ImanageError(
    409,
    'ALREADY_EXISTS',
    message,
    field ? [{ field, code: 'ALREADY_EXISTS', code_message: message }] : [],
  );

export const unprocessable = (field: string, code: string, message: string): ImanageError =>
  new ImanageError(422, 'VALIDATION_FAILED', message, [{ field, code, code_message: message }]);

export const tooManyRequests = (): ImanageError =>
  new ImanageError(429, 'TOO_MANY_REQUESTS', 'Rate limit exceeded; retry after the time in Retry-After.');

export const unavailable = (): ImanageError =>
  new ImanageError(503, 'SERVICE_UNAVAILABLE', 'The service is temporarily unavailable (injected fault).');
