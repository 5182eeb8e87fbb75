/**
 * An error a person or client can act on. `code` is stable (clients branch on it); `messageKey` is a
 * key in locales/{en,fr}/errors.json so the message follows the request language.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messageKey: string,
    readonly params: Record<string, unknown> = {},
    /** Extra fields of the error object beside code and message (a list of problems, say). */
    readonly details: Record<string, unknown> = {},
    /** Response headers that go with the error (Retry-After on a 429 or 503). */
    readonly headers: Record<string, string> = {},
  ) {
    super(code);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, key: string, params?: Record<string, unknown>) =>
  new AppError(400, code, key, params);
export const notFound = (code: string, key: string, params?: Record<string, unknown>) =>
  new AppError(404, code, key, params);
export const conflict = (code: string, key: string, params?: Record<string, unknown>) =>
  new AppError(409, code, key, params);
