import { lang, t } from './strings';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The server's whole error object, for fields beside code and message (a list of problems, say). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/**
 * Calls the project's API in the page language. Every failure becomes an ApiError with a message
 * a person can read in that language: the server's own JSON error when there is one, else a
 * generic bilingual one (server down, proxy error page, network cut).
 */
export async function api<T>(
  path: string,
  opts: { method?: string; token?: string | null; body?: unknown } = {},
): Promise<T> {
  const url = new URL(path, window.location.origin);
  if (!url.searchParams.has('lang')) url.searchParams.set('lang', lang());
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': lang() };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(url.pathname + url.search, {
      method: opts.method ?? 'GET',
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch {
    throw new ApiError(0, 'network', t('common.networkError'));
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) {
    const err = (
      body as { error?: { code?: string; message?: string } & Record<string, unknown> } | null
    )?.error;
    if (err?.message) throw new ApiError(res.status, err.code ?? 'error', err.message, err);
    throw new ApiError(
      res.status,
      'server',
      t('common.serverError', { message: String(res.status) }),
    );
  }
  return body as T;
}
