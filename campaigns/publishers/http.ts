import { PublishError } from './publisher';

/** Longest wait a platform's rate-limit answer may impose before the next try. */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;

export interface PlatformCall {
  url: string;
  method?: 'GET' | 'POST' | 'PUT';
  headers?: Record<string, string>;
  body?: string | Buffer | FormData | URLSearchParams;
  timeoutMs: number;
  /** The platform's reason, read from its error body. */
  reason(body: unknown): string | undefined;
  /** Some platforms answer throttling with a 400 and a code in the body (Facebook): those are retried. */
  transient?(status: number, body: unknown): boolean;
}

export interface PlatformAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

/** How long a 429 asks us to wait: Retry-After (seconds or a date), else X's x-rate-limit-reset (epoch seconds). */
export function retryAfterMs(headers: Headers, now = Date.now()): number | null {
  const retryAfter = headers.get('retry-after');
  let ms: number | null = null;
  if (retryAfter && /^\d+(\.\d+)?$/.test(retryAfter.trim())) ms = Number(retryAfter) * 1000;
  else if (retryAfter && !Number.isNaN(Date.parse(retryAfter))) ms = Date.parse(retryAfter) - now;
  else {
    const reset = headers.get('x-rate-limit-reset') ?? headers.get('x-ratelimit-reset');
    if (reset && /^\d+$/.test(reset.trim())) ms = Number(reset) * 1000 - now;
  }
  return ms === null ? null : Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

function describe(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timeout';
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? 'network error';
}

/**
 * Calls a platform and sorts its answer: 2xx is returned; 429, 5xx, 408 and network errors are
 * `retryable` (429 with the wait it asked for); other 4xx are `permanent` with the platform's reason.
 */
export async function callPlatform(call: PlatformCall): Promise<PlatformAnswer> {
  let res: Response;
  try {
    res = await fetch(call.url, {
      method: call.method ?? 'POST',
      headers: call.headers,
      body: call.body,
      signal: AbortSignal.timeout(call.timeoutMs),
    });
  } catch (err) {
    throw new PublishError('retryable', 'network', describe(err));
  }
  let text = '';
  try {
    text = await res.text();
  } catch (err) {
    throw new PublishError('retryable', 'network', describe(err), res.status);
  }
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: the text is the body
  }
  if (res.ok) return { status: res.status, headers: res.headers, body };
  const reason =
    (call.reason(body) ?? (typeof body === 'string' && body ? body : res.statusText) ?? '').slice(
      0,
      500,
    ) || `HTTP ${res.status}`;
  if (res.status === 429)
    throw new PublishError('retryable', 'rate_limited', reason, 429, retryAfterMs(res.headers));
  if (res.status >= 500 || res.status === 408 || call.transient?.(res.status, body))
    throw new PublishError('retryable', 'platform_error', reason, res.status);
  throw new PublishError('permanent', 'platform_rejected', reason, res.status);
}

const IMAGE_MAX_BYTES = 5 * 1024 * 1024;

/** Downloads a post's image for platforms that want the bytes (X, LinkedIn). */
export async function fetchImage(
  url: string,
  timeoutMs: number,
): Promise<{ bytes: Buffer; type: string }> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new PublishError('retryable', 'image_unavailable', `${url}: ${describe(err)}`);
  }
  if (!res.ok) {
    throw new PublishError(
      res.status >= 500 || res.status === 429 ? 'retryable' : 'permanent',
      'image_unavailable',
      `${url}: HTTP ${res.status}`,
      res.status,
    );
  }
  const bytes = Buffer.from(await res.arrayBuffer());
  if (bytes.length > IMAGE_MAX_BYTES)
    throw new PublishError('permanent', 'image_unavailable', `${url}: larger than 5 MB`);
  return {
    bytes,
    type: res.headers.get('content-type')?.split(';')[0] ?? 'application/octet-stream',
  };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
