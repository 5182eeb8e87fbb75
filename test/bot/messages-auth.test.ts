import crypto from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { startTestApp, TestApp } from '../helpers/app';
import { message, send } from '../helpers/bot';

/**
 * With a MicrosoftAppId the bot accepts only Bot Framework JWTs. The Bot Framework's OpenID metadata
 * and signing keys are served here by a local server on 127.0.0.1 that speaks the same protocol.
 */
const APP_ID = '5f1d2c3b-0000-4000-8000-00000000b07a';
const ISSUER = 'https://api.botframework.com';
const SERVICE_URL = 'https://smba.trafficmanager.net/amer/';

const signing = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const stranger = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const KID = 'local-test-key';

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
function jwt(claims: Record<string, unknown>, key = signing.privateKey, kid = KID): string {
  const now = Math.floor(Date.now() / 1000);
  const head = b64({ alg: 'RS256', typ: 'JWT', kid });
  const body = b64({
    iss: ISSUER,
    aud: APP_ID,
    serviceurl: SERVICE_URL,
    nbf: now - 60,
    exp: now + 3600,
    ...claims,
  });
  const sig = crypto.sign('RSA-SHA256', Buffer.from(`${head}.${body}`), key).toString('base64url');
  return `${head}.${body}.${sig}`;
}

let keys: http.Server;
let app: TestApp;
beforeAll(async () => {
  const jwk = signing.publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  keys = http.createServer((req, res) => {
    const base = `http://127.0.0.1:${(keys.address() as AddressInfo).port}`;
    const body =
      req.url === '/openid'
        ? { issuer: ISSUER, jwks_uri: `${base}/keys` }
        : {
            keys: [
              {
                kty: 'RSA',
                use: 'sig',
                kid: KID,
                n: jwk.n,
                e: jwk.e,
                endorsements: ['webchat', 'msteams'],
              },
            ],
          };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((r) => keys.listen(0, '127.0.0.1', r));
  const metadata = `http://127.0.0.1:${(keys.address() as AddressInfo).port}/openid`;
  app = await startTestApp(
    {
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'not-used-with-expect-replies',
      MicrosoftAppType: 'MultiTenant',
    },
    {
      redis: false,
      bot: {
        auth: {
          ToBotFromChannelOpenIdMetadataUrl: metadata,
          ToBotFromEmulatorOpenIdMetadataUrl: metadata,
          ToBotFromChannelTokenIssuer: ISSUER,
          ToChannelFromBotOAuthScope: 'https://api.botframework.com',
          ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
          ValidateAuthority: true,
        },
      },
    },
  );
});
afterAll(async () => {
  await app.close();
  keys.close();
});

const ask = (authorization?: string) =>
  send(
    app.baseUrl,
    message('auth-1', 'renew my passport', { serviceUrl: SERVICE_URL }),
    authorization ? { authorization } : {},
  );

describe('POST /api/messages with a MicrosoftAppId', () => {
  it('answers a request signed by the Bot Framework for this app', async () => {
    const turn = await ask(`Bearer ${jwt({})}`);
    expect(turn.status).toBe(200);
    expect(turn.text).toMatch(/Canadian passport/);
  });

  it.each([
    ['no Authorization header', undefined],
    ['a token that is not a JWT', 'Bearer not-a-token'],
    ['another scheme', `Basic ${jwt({})}`],
    ['a token for another bot', `Bearer ${jwt({ aud: 'someone-else' })}`],
    ['a token from another issuer', `Bearer ${jwt({ iss: 'https://evil.example' })}`],
    ['a token signed with another key', `Bearer ${jwt({}, stranger.privateKey)}`],
    [
      'a token signed with an unknown key id',
      `Bearer ${jwt({}, stranger.privateKey, 'unknown-kid')}`,
    ],
    [
      'an expired token',
      `Bearer ${jwt({ exp: Math.floor(Date.now() / 1000) - 3600, nbf: Math.floor(Date.now() / 1000) - 7200 })}`,
    ],
    [
      'a token for another serviceUrl',
      `Bearer ${jwt({ serviceurl: 'https://elsewhere.example/' })}`,
    ],
  ])('answers 401 in JSON to %s', async (_what, authorization) => {
    const turn = await ask(authorization);
    expect(turn.status).toBe(401);
    expect(turn.body.error.code).toBe('unauthorized');
    expect(turn.body.error.message).toMatch(/signed by the Bot Framework/);
  });
});
