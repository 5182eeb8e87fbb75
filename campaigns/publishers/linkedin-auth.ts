import type { Config } from '../../lib/config';
import type { Credential } from './credentials';
import { bearer, callPlatform } from './http';
import { linkedinReason } from './linkedin';
import { oauthReason, refreshGrant } from './oauth';
import { Inspection, PlatformAuth, splitScopes, TokenSet } from './platform-auth';
import { PublishError } from './publish-error';

/** Organization roles that may post as the page (w_organization_social). */
const POSTING_ROLES = new Set(['ADMINISTRATOR', 'CONTENT_ADMINISTRATOR']);

/**
 * LinkedIn tokens (3-legged OAuth): an access token lasts 60 days and, for apps allowed programmatic
 * refresh tokens, is renewed by `POST https://www.linkedin.com/oauth/v2/accessToken` (form:
 * grant_type=refresh_token, refresh_token, client_id, client_secret); the refresh token keeps the
 * lifetime it had (365 days from the first authorization)
 * (https://learn.microsoft.com/en-us/linkedin/shared/authentication/programmatic-refresh-tokens).
 * `POST /oauth/v2/introspectToken` (client_id, client_secret, token) answers active, status,
 * expires_at and scope (https://learn.microsoft.com/en-us/linkedin/shared/authentication/token-introspection);
 * the organizations the token's member may post for come from `GET /rest/organizationAcls?q=roleAssignee`
 * (r_organization_admin or rw_organization_admin; without them the author is not verified).
 * Scopes: w_organization_social to post, r_organization_social to read the page's posts back.
 */
export class LinkedInAuth implements PlatformAuth {
  readonly channel = 'linkedin' as const;
  readonly requiredScopes = ['w_organization_social', 'r_organization_social'];
  readonly accountField = 'author';
  readonly verifyBeforeUse = false;

  constructor(
    private readonly apiUrl: string,
    private readonly oauthUrl: string,
    private readonly version: string,
    private readonly timeoutMs: number,
  ) {}

  refreshable(c: Credential): boolean {
    return Boolean(c.refreshToken && c.clientId && c.clientSecret);
  }

  refresh(c: Credential, refreshToken: string): Promise<TokenSet> {
    return refreshGrant({
      url: `${this.oauthUrl}/oauth/v2/accessToken`,
      form: {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: c.clientId,
        client_secret: c.clientSecret,
      },
      timeoutMs: this.timeoutMs,
    });
  }

  /** Whether the token is active, until when and with which scopes (needs the client's secret). */
  private async introspect(c: Credential, token: string) {
    if (!c.clientId || !c.clientSecret) return null;
    const answer = await callPlatform({
      url: `${this.oauthUrl}/oauth/v2/introspectToken`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: c.clientId, client_secret: c.clientSecret, token }),
      timeoutMs: this.timeoutMs,
      reason: oauthReason,
    });
    return answer.body as {
      active?: boolean;
      status?: string;
      expires_at?: number;
      scope?: string;
    } | null;
  }

  /** The organizations the token's member may post for; null when LinkedIn does not say. */
  private async organizations(token: string): Promise<string[] | null | { refused: string }> {
    try {
      const answer = await callPlatform({
        url: `${this.apiUrl}/rest/organizationAcls?q=roleAssignee&state=APPROVED`,
        method: 'GET',
        headers: {
          ...bearer(token),
          'LinkedIn-Version': this.version,
          'X-Restli-Protocol-Version': '2.0.0',
        },
        timeoutMs: this.timeoutMs,
        reason: linkedinReason,
      });
      const elements =
        (answer.body as { elements?: { organization?: string; role?: string }[] } | null)
          ?.elements ?? [];
      return elements
        .filter((e) => e.organization && POSTING_ROLES.has(e.role ?? ''))
        .map((e) => e.organization as string);
    } catch (err) {
      if (err instanceof PublishError && err.kind === 'permanent')
        return err.status === 401 ? { refused: err.reason } : null;
      throw err;
    }
  }

  async inspect(c: Credential, token: string): Promise<Inspection> {
    const info = await this.introspect(c, token);
    if (info && info.active === false)
      return {
        valid: false,
        accounts: null,
        scopes: splitScopes(info.scope),
        expiresAtMs: info.expires_at ? info.expires_at * 1000 : null,
        reason: `the token is ${info.status ?? 'not active'}`,
      };
    const organizations = c.author?.startsWith('urn:li:organization:')
      ? await this.organizations(token)
      : null;
    if (organizations && !Array.isArray(organizations))
      return {
        valid: false,
        accounts: null,
        scopes: null,
        expiresAtMs: null,
        reason: organizations.refused,
      };
    return {
      valid: true,
      accounts: organizations,
      scopes: splitScopes(info?.scope),
      expiresAtMs: info?.expires_at ? info.expires_at * 1000 : null,
      reason: null,
    };
  }
}

export const linkedinAuth = {
  channel: 'linkedin' as const,
  create: (config: Config): PlatformAuth =>
    new LinkedInAuth(
      config.CAMPAIGN_LINKEDIN_API_URL,
      config.CAMPAIGN_LINKEDIN_OAUTH_URL,
      config.CAMPAIGN_LINKEDIN_VERSION,
      config.CAMPAIGN_HTTP_TIMEOUT_MS,
    ),
};
