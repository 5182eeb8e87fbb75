import http from 'node:http';
import { exportJWK, generateKeyPair, KeyLike, SignJWT } from 'jose';
import { getJson, startTestApp, TestApp } from '../helpers/app';

const ISSUER_SC = 'https://login.example.test/tenant-sc/v2.0';
const ISSUER_SO = 'https://login.example.test/tenant-so/v2.0';
const AUDIENCE = 'api://ontario-services-assistant';

let jwks: http.Server;
let key: KeyLike;
let otherKey: KeyLike;
let app: TestApp;
let jwksHits = 0;

beforeAll(async () => {
  const signing = await generateKeyPair('RS256');
  key = signing.privateKey;
  otherKey = (await generateKeyPair('RS256')).privateKey;
  const jwk = await exportJWK(signing.publicKey);
  jwks = http.createServer((req, res) => {
    jwksHits++;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ keys: [{ ...jwk, kid: 'k1', alg: 'RS256', use: 'sig' }] }));
  });
  await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', () => r()));
  const port = (jwks.address() as { port: number }).port;
  app = await startTestApp(
    {
      OIDC_JWKS_URL: `http://127.0.0.1:${port}/keys`,
      OIDC_ISSUERS: `${ISSUER_SC},${ISSUER_SO}`,
      OIDC_AUDIENCE: AUDIENCE,
      OIDC_ORG_MAP: 'tenant-sc=service-canada,tenant-so=serviceontario',
    },
    { redis: false },
  );
});
afterAll(async () => {
  await app.close();
  jwks.close();
});

function token(
  claims: Record<string, unknown>,
  opts: { issuer?: string; audience?: string; expires?: string | number; signWith?: KeyLike } = {},
) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(opts.issuer ?? ISSUER_SC)
    .setAudience(opts.audience ?? AUDIENCE)
    .setSubject('user-123')
    .setIssuedAt()
    .setExpirationTime(opts.expires ?? '10m')
    .sign(opts.signWith ?? key);
}

const me = async (bearer: string) =>
  getJson(`${app.baseUrl}/api/me`, { headers: { Authorization: `Bearer ${bearer}` } });

describe('OpenID Connect staff tokens (Microsoft Entra ID style)', () => {
  it('accepts a token signed by the identity provider, with role and organization from its claims', async () => {
    const { status, body } = await me(
      await token(
        { roles: ['office'], tid: 'tenant-so', name: 'A. Tremblay' },
        { issuer: ISSUER_SO },
      ),
    );
    expect(status).toBe(200);
    expect(body).toEqual({ role: 'office', org: 'serviceontario', label: 'A. Tremblay' });
    expect(jwksHits).toBeGreaterThan(0);
  });

  it('refuses a wrong audience, an unknown issuer, another key and an expired token', async () => {
    expect(
      (await me(await token({ roles: ['admin'], tid: 'tenant-sc' }, { audience: 'api://other' })))
        .status,
    ).toBe(401);
    expect(
      (
        await me(
          await token(
            { roles: ['admin'], tid: 'tenant-sc' },
            { issuer: 'https://evil.example/v2.0' },
          ),
        )
      ).status,
    ).toBe(401);
    expect(
      (await me(await token({ roles: ['admin'], tid: 'tenant-sc' }, { signWith: otherKey })))
        .status,
    ).toBe(401);
    const expired = await me(
      await token(
        { roles: ['admin'], tid: 'tenant-sc' },
        { expires: Math.floor(Date.now() / 1000) - 60 },
      ),
    );
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('token_expired');
  });

  it('refuses a token without a known role or organization', async () => {
    expect((await me(await token({ roles: ['reader'], tid: 'tenant-sc' }))).status).toBe(401);
    expect((await me(await token({ roles: ['comms'], tid: 'tenant-elsewhere' }))).status).toBe(401);
  });

  it('lets a Service Canada user approve nothing for ServiceOntario: the role check applies to OIDC tokens too', async () => {
    const agent = await token({ roles: ['agent'], tid: 'tenant-sc' });
    const r = await getJson(`${app.baseUrl}/api/insights`, {
      headers: { Authorization: `Bearer ${agent}` },
    });
    expect(r.status).toBe(403);
  });

  it('still accepts the project’s own tokens', async () => {
    const own = (await app.tokens.issue({ role: 'agent', org: 'service-canada' })).token;
    expect((await me(own)).body).toMatchObject({ role: 'agent', org: 'service-canada' });
  });
});
