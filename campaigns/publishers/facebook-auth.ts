import type { Config } from '../../lib/config';
import { Credential, parseExpiry } from './credentials';
import { graphReason } from './facebook';
import { callPlatform } from './http';
import type { Inspection, PlatformAuth, TokenSet } from './platform-auth';
import { PublishError } from './publish-error';

interface DebugToken {
  data?: {
    is_valid?: boolean;
    type?: string;
    profile_id?: string;
    scopes?: string[];
    expires_at?: number;
    data_access_expires_at?: number;
    error?: { message?: string; code?: number; subcode?: number };
  };
}

/**
 * Facebook Page tokens. There is no refresh grant: a long-lived Page token, obtained from a
 * long-lived user token, does not expire by time (`expires_at` 0), but it ends when the person who
 * granted it loses the page role, changes password or removes the app, and data access lapses after
 * 90 days without use (`data_access_expires_at`). So its expiry is checked, not refreshed:
 * `GET /debug_token?input_token=…&access_token=…` (an app token `{app-id}|{app-secret}` when the
 * entry has appId and appSecret, else the token itself; both from the same app) answers is_valid,
 * type PAGE, profile_id (the page), scopes and expires_at
 * (https://developers.facebook.com/docs/graph-api/reference/debug_token,
 * https://developers.facebook.com/docs/facebook-login/guides/access-tokens/debugging); an entry's
 * `expiresAt`, when given, is checked too. Scopes: pages_manage_posts to post, pages_read_engagement
 * to read the page's feed back.
 */
export class FacebookAuth implements PlatformAuth {
  readonly channel = 'facebook' as const;
  readonly requiredScopes = ['pages_manage_posts', 'pages_read_engagement'];
  readonly accountField = 'pageId';
  readonly verifyBeforeUse = false;

  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
  ) {}

  refreshable(): boolean {
    return false;
  }

  refresh(): Promise<TokenSet> {
    return Promise.reject(
      new PublishError('permanent', 'not_refreshable', 'Facebook Page tokens are not refreshed'),
    );
  }

  async inspect(c: Credential, token: string): Promise<Inspection> {
    const known = parseExpiry(c.expiresAt);
    const query = new URLSearchParams({
      input_token: token,
      access_token: c.appId && c.appSecret ? `${c.appId}|${c.appSecret}` : token,
    });
    let data: DebugToken['data'];
    try {
      const answer = await callPlatform({
        url: `${this.baseUrl}/debug_token?${query}`,
        method: 'GET',
        timeoutMs: this.timeoutMs,
        reason: graphReason,
      });
      data = (answer.body as DebugToken | null)?.data;
    } catch (err) {
      // The token inspecting itself was refused: it is the one that is expired or invalid.
      if (err instanceof PublishError && err.kind === 'permanent' && !(c.appId && c.appSecret))
        return {
          valid: false,
          accounts: null,
          scopes: null,
          expiresAtMs: known,
          reason: err.reason,
        };
      throw err;
    }
    const seconds = data?.expires_at ?? 0;
    return {
      valid: data?.is_valid === true,
      accounts: data?.profile_id ? [data.profile_id] : null,
      scopes: data?.scopes ?? null,
      expiresAtMs: seconds > 0 ? seconds * 1000 : known,
      reason: data?.error?.message ?? null,
    };
  }
}

export const facebookAuth = {
  channel: 'facebook' as const,
  create: (config: Config): PlatformAuth =>
    new FacebookAuth(config.CAMPAIGN_FACEBOOK_API_URL, config.CAMPAIGN_HTTP_TIMEOUT_MS),
};
