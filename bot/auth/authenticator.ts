import { createRemoteJWKSet, errors as joseErrors, jwtVerify, JWTPayload } from 'jose';
import type { Config } from '../../lib/config';
import { Logger } from '../../lib/logger';
import { ORGANIZATIONS, Organization, Role, ROLES, StaffIdentity, TokenStore } from './token-store';

/** What staff endpoints verify a bearer token with. */
export interface StaffVerifier {
  /** The identity of a valid token; `expired` for an expired or revoked one; null when not valid. */
  verify(
    token: string,
  ): Promise<StaffIdentity | 'expired' | null> | StaffIdentity | 'expired' | null;
}

export interface OidcOptions {
  jwksUrl: string;
  issuers: string[];
  audience: string;
  roleClaim: string;
  orgClaim: string;
  /** Claim values (tenant ids, group names…) mapped to organizations. */
  orgMap: Record<string, Organization>;
}

/** The OpenID Connect settings from the config, or null when staff sign in with own tokens only. */
export function oidcOptions(config: Config): OidcOptions | null {
  if (!config.OIDC_JWKS_URL) return null;
  const issuers = config.OIDC_ISSUERS.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (issuers.length === 0 || !config.OIDC_AUDIENCE)
    throw new Error('Invalid configuration: OIDC_JWKS_URL needs OIDC_ISSUERS and OIDC_AUDIENCE');
  return {
    jwksUrl: config.OIDC_JWKS_URL,
    issuers,
    audience: config.OIDC_AUDIENCE,
    roleClaim: config.OIDC_ROLE_CLAIM,
    orgClaim: config.OIDC_ORG_CLAIM,
    orgMap: parseOrgMap(config.OIDC_ORG_MAP),
  };
}

/** Reads `value=org,value=org`. */
export function parseOrgMap(text: string): Record<string, Organization> {
  const map: Record<string, Organization> = {};
  for (const pair of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [value, org] = pair.split('=').map((s) => s.trim());
    if (!value || !(ORGANIZATIONS as readonly string[]).includes(org))
      throw new Error(`OIDC_ORG_MAP: "${pair}" must be value=${ORGANIZATIONS.join('|')}`);
    map[value] = org as Organization;
  }
  return map;
}

/**
 * Staff tokens: the project's own (npm run token, opaque, stored hashed) and, when configured,
 * OpenID Connect access tokens from the organizations' identity provider (Microsoft Entra ID),
 * checked against its JWKS with issuer and audience. The role comes from the token's app roles,
 * the organization from a claim (the tenant id by default) mapped to service-canada or
 * serviceontario. One token, one role: the highest-privilege known role wins.
 */
export class StaffAuthenticator implements StaffVerifier {
  private readonly jwks;

  constructor(
    private readonly tokens: TokenStore,
    private readonly oidc: OidcOptions | null,
    private readonly logger: Logger,
  ) {
    this.jwks = oidc
      ? createRemoteJWKSet(new URL(oidc.jwksUrl), {
          cooldownDuration: 30_000,
          timeoutDuration: 5000,
        })
      : null;
  }

  async verify(token: string): Promise<StaffIdentity | 'expired' | null> {
    if (token.startsWith('gst_') || !this.oidc || !this.jwks) return this.tokens.verify(token);
    if (token.split('.').length !== 3 || token.length > 8192) return null;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.jwks, {
        issuer: this.oidc.issuers,
        audience: this.oidc.audience,
        algorithms: ['RS256', 'RS384', 'RS512', 'ES256', 'PS256'],
      }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) return 'expired';
      if (!(err instanceof joseErrors.JOSEError))
        this.logger.warn('identity provider keys unavailable', { err: (err as Error).message });
      return null;
    }
    const claimed = payload[this.oidc.roleClaim];
    const roles = (
      Array.isArray(claimed) ? claimed : typeof claimed === 'string' ? claimed.split(' ') : []
    ).map(String);
    const role = [...ROLES].reverse().find((r) => roles.includes(r)) as Role | undefined;
    const orgValue = String(payload[this.oidc.orgClaim] ?? '');
    const org =
      this.oidc.orgMap[orgValue] ??
      ((ORGANIZATIONS as readonly string[]).includes(orgValue)
        ? (orgValue as Organization)
        : undefined);
    if (!role || !org) return null;
    return {
      tokenId: `oidc:${String(payload.sub ?? '')}`,
      role,
      org,
      label: typeof payload.name === 'string' ? payload.name : null,
    };
  }
}
