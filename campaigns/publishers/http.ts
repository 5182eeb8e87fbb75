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
  /**
   * Some platforms answer throttling and temporary trouble with a 400 and a code in the body
   * (Facebook): those are retried, as a rate limit or as a platform error.
   */
  transient?(status: number, body: unknown): 'throttled' | 'temporary' | null;
  /**
   * The call creates the post: a timeout or reset after sending it, or a 5xx, leaves the outcome
   * unknown (the error is `ambiguous`), so the feed is read before it is sent again.
   */
  creates?: boolean;
}

export interface PlatformAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

/**
 * Facebook's usage headers (X-Business-Use-Case-Usage for Page tokens, X-Page-Usage, X-App-Usage)
 * give `estimated_time_to_regain_access` in minutes; the longest one wins, 0 means none given.
 */
function graphRegainMs(headers: Headers): number | null {
  let minutes = 0;
  for (const name of ['x-business-use-case-usage', 'x-page-usage', 'x-app-usage']) {
    const value = headers.get(name);
    if (!value) continue;
    try {
      const parsed = JSON.parse(value) as unknown;
      const entries = Object.values(parsed as Record<string, unknown>).flat();
      for (const e of [parsed, ...entries]) {
        const m = (e as { estimated_time_to_regain_access?: unknown } | null)
          ?.estimated_time_to_regain_access;
        if (typeof m === 'number' && m > minutes) minutes = m;
      }
    } catch {
      // not JSON: no wait given
    }
  }
  return minutes > 0 ? minutes * 60_000 : null;
}

/**
 * How long a rate limit asks us to wait: Retry-After (seconds or a date), else X's
 * x-rate-limit-reset (epoch seconds), else Facebook's estimated_time_to_regain_access (minutes).
 */
export function retryAfterMs(headers: Headers, now = Date.now()): number | null {
  const retryAfter = headers.get('retry-after');
  let ms: number | null = null;
  if (retryAfter && /^\d+(\.\d+)?$/.test(retryAfter.trim())) ms = Number(retryAfter) * 1000;
  else if (retryAfter && !Number.isNaN(Date.parse(retryAfter))) ms = Date.parse(retryAfter) - now;
  else {
    const reset = headers.get('x-rate-limit-reset') ?? headers.get('x-ratelimit-reset');
    if (reset && /^\d+$/.test(reset.trim())) ms = Number(reset) * 1000 - now;
    else ms = graphRegainMs(headers);
  }
  return ms === null ? null : Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

/** Errors raised before the request left: nothing can have been created. */
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function describe(err: unknown): string {
  const e = err as {
    name?: string;
    message?: string;
    cause?: { code?: string; message?: string; cause?: { code?: string } };
  };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timeout';
  return (
    e?.cause?.code ?? e?.cause?.cause?.code ?? e?.cause?.message ?? e?.message ?? 'network error'
  );
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
    const reason = describe(err);
    const ambiguous = Boolean(call.creates) && !NOT_SENT.has(reason);
    throw new PublishError('retryable', 'network', reason, null, null, ambiguous);
  }
  let text = '';
  try {
    text = await res.text();
  } catch (err) {
    // The platform answered and the body was cut: a 2xx means it was created.
    const ambiguous = Boolean(call.creates);
    throw new PublishError('retryable', 'network', describe(err), res.status, null, ambiguous);
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
  const transient = call.transient?.(res.status, body) ?? null;
  if (transient === 'throttled')
    throw new PublishError(
      'retryable',
      'rate_limited',
      reason,
      res.status,
      retryAfterMs(res.headers),
    );
  if (res.status >= 500 || res.status === 408 || transient === 'temporary')
    throw new PublishError(
      'retryable',
      'platform_error',
      reason,
      res.status,
      null,
      Boolean(call.creates),
    );
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
