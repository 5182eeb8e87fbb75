import type { Config } from '../../lib/config';
import type { Credential } from './credentials';
import { bearer, callPlatform } from './http';
import { refreshGrant } from './oauth';
import type { Inspection, PlatformAuth, TokenSet } from './platform-auth';
import { PublishError } from './publish-error';
import { xReason } from './x';

/**
 * X OAuth 2.0 user tokens (https://docs.x.com/fundamentals/authentication/oauth-2-0/authorization-code):
 * an access token lasts two hours; with the `offline.access` scope a refresh token comes with it,
 * exchanged by `POST /2/oauth2/token` (form: grant_type=refresh_token, refresh_token, client_id; a
 * confidential client authenticates with HTTP Basic client_id:client_secret instead,
 * https://docs.x.com/fundamentals/authentication/oauth-2-0/user-access-token). Each refresh answers a
 * new refresh token, and the one used is no longer accepted. The account a token opens is read with
 * `GET /2/users/me` (tweet.read, users.read). Scopes: tweet.write to post, tweet.read and users.read to
 * read the account and its timeline back, offline.access to be refreshed.
 */
export class XAuth implements PlatformAuth {
  readonly channel = 'x' as const;
  readonly requiredScopes = ['tweet.read', 'tweet.write', 'users.read', 'offline.access'];
  readonly accountField = 'userId';
  readonly verifyBeforeUse = true;

  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
  ) {}

  refreshable(c: Credential): boolean {
    return Boolean(c.refreshToken && c.clientId);
  }

  refresh(c: Credential, refreshToken: string): Promise<TokenSet> {
    const confidential = Boolean(c.clientSecret);
    return refreshGrant({
      url: `${this.baseUrl}/2/oauth2/token`,
      form: {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        ...(confidential ? {} : { client_id: c.clientId }),
      },
      headers: confidential
        ? {
            Authorization: `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret}`).toString('base64')}`,
          }
        : {},
      timeoutMs: this.timeoutMs,
    });
  }

  async inspect(_c: Credential, token: string): Promise<Inspection> {
    try {
      const answer = await callPlatform({
        url: `${this.baseUrl}/2/users/me`,
        method: 'GET',
        headers: bearer(token),
        timeoutMs: this.timeoutMs,
        reason: xReason,
      });
      const id = (answer.body as { data?: { id?: string } } | null)?.data?.id;
      return {
        valid: true,
        accounts: id ? [id] : null,
        scopes: null,
        expiresAtMs: null,
        reason: null,
      };
    } catch (err) {
      if (!(err instanceof PublishError) || err.kind !== 'permanent') throw err;
      if (err.status === 401)
        return {
          valid: false,
          accounts: null,
          scopes: null,
          expiresAtMs: null,
          reason: err.reason,
        };
      // 403: the token may not read its own account (no users.read or tweet.read).
      return {
        valid: true,
        accounts: null,
        scopes: null,
        expiresAtMs: null,
        reason: `GET /2/users/me refused (${err.status}): ${err.reason}`,
      };
    }
  }
}

export const xAuth = {
  channel: 'x' as const,
  create: (config: Config): PlatformAuth =>
    new XAuth(config.CAMPAIGN_X_API_URL, config.CAMPAIGN_HTTP_TIMEOUT_MS),
};
