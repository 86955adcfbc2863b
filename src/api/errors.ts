/** The one error type of the HTTP API; translated to `{error:{code,message,details}}` only at the edge. */
export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
    /** What went wrong underneath (Clio's error behind a 502): for the operator's log, never the answer. */
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`);
