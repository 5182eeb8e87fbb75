import { callPlatform } from './http';
import { splitScopes, TokenSet } from './platform-auth';
import { PublishError } from './publish-error';

interface TokenAnswer {
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
  refresh_token_expires_in?: number;
  scope?: string;
}

/** OAuth 2.0 errors (RFC 6749 §5.2): `{ error, error_description }`. */
export const oauthReason = (body: unknown): string | undefined => {
  const b = body as { error?: string; error_description?: string } | null;
  if (!b || typeof b !== 'object') return undefined;
  return [b.error, b.error_description].filter(Boolean).join(': ') || undefined;
};

/**
 * The refresh grant (RFC 6749 §6): a form POST of grant_type=refresh_token to the token endpoint.
 * 400/401 (invalid_grant, invalid_request, a client not allowed) are permanent; 5xx and network
 * errors retryable. The refresh token sent is never put in an error.
 */
export async function refreshGrant(call: {
  url: string;
  form: Record<string, string>;
  headers?: Record<string, string>;
  timeoutMs: number;
}): Promise<TokenSet> {
  const now = Date.now();
  const answer = await callPlatform({
    url: call.url,
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
      ...call.headers,
    },
    body: new URLSearchParams(call.form),
    timeoutMs: call.timeoutMs,
    reason: oauthReason,
  });
  const b = answer.body as TokenAnswer | null;
  if (!b?.access_token)
    throw new PublishError(
      'retryable',
      'platform_error',
      'the token endpoint answered without an access_token',
      answer.status,
    );
  return {
    accessToken: b.access_token,
    refreshToken: b.refresh_token ?? null,
    expiresAtMs: typeof b.expires_in === 'number' ? now + b.expires_in * 1000 : null,
    refreshExpiresAtMs:
      typeof b.refresh_token_expires_in === 'number'
        ? now + b.refresh_token_expires_in * 1000
        : null,
    scopes: splitScopes(b.scope),
  };
}
