import { ACCOUNTS, CLIENTS, Fakes, startFakes } from '../helpers/fake-platforms';

let fakes: Fakes;
beforeEach(async () => {
  fakes = await startFakes();
});
afterEach(() => fakes.close());

const form = (url: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, any> }));

const get = (url: string, headers: Record<string, string> = {}) =>
  fetch(url, { headers }).then(async (r) => ({
    status: r.status,
    body: (await r.json()) as Record<string, any>,
  }));

describe('the fake X token endpoint (POST /2/oauth2/token)', () => {
  const refresh = (token: string, client: Record<string, string> = { client_id: CLIENTS.x.id }) =>
    form(`${fakes.x.url}/2/oauth2/token`, {
      grant_type: 'refresh_token',
      refresh_token: token,
      ...client,
    });

  beforeEach(() => {
    fakes.x.addAccount({ id: '333', token: 'x-old', refreshToken: 'x-refresh-1' });
  });

  it('answers a new two-hour access token and a new refresh token, and refuses the one used', async () => {
    const first = await refresh('x-refresh-1');
    expect(first).toMatchObject({
      status: 200,
      body: { token_type: 'bearer', expires_in: 7200, access_token: expect.any(String) },
    });
    expect(first.body.refresh_token).not.toBe('x-refresh-1');
    expect(first.body.scope.split(' ')).toEqual(
      expect.arrayContaining(['tweet.write', 'users.read', 'offline.access']),
    );
    expect(await refresh('x-refresh-1')).toEqual({
      status: 400,
      body: {
        error: 'invalid_request',
        error_description: 'Value passed for the token was invalid.',
      },
    });
    expect(fakes.x.reusedRefreshTokens).toBe(1);
    expect((await refresh(first.body.refresh_token)).status).toBe(200);
    const me = await get(`${fakes.x.url}/2/users/me`, {
      authorization: `Bearer ${first.body.access_token}`,
    });
    expect(me).toMatchObject({ status: 200, body: { data: { id: '333' } } });
  });

  it('refuses an unknown client, and a confidential client without HTTP Basic', async () => {
    expect((await refresh('x-refresh-1', { client_id: 'someone' })).body).toEqual({
      error: 'unauthorized_client',
      error_description: 'Missing valid authorization header',
    });
    fakes.x.addClient('private-app', 's3cret');
    expect((await refresh('x-refresh-1', { client_id: 'private-app' })).status).toBe(401);
    const basic = `Basic ${Buffer.from('private-app:s3cret').toString('base64')}`;
    const ok = await form(
      `${fakes.x.url}/2/oauth2/token`,
      { grant_type: 'refresh_token', refresh_token: 'x-refresh-1' },
      { authorization: basic },
    );
    expect(ok.status).toBe(200);
  });

  it('refuses an expired access token with its 401 problem document', async () => {
    fakes.x.expireToken('x-old', Date.now() - 1);
    const me = await get(`${fakes.x.url}/2/users/me`, { authorization: 'Bearer x-old' });
    expect(me).toEqual({
      status: 401,
      body: { title: 'Unauthorized', detail: 'Unauthorized', type: 'about:blank', status: 401 },
    });
  });

  it('refuses to post without tweet.write, and to read the account without users.read', async () => {
    fakes.x.addAccount({ id: '444', token: 'x-read-only', scopes: ['tweet.read'] });
    const auth = { authorization: 'Bearer x-read-only' };
    expect((await get(`${fakes.x.url}/2/users/me`, auth)).status).toBe(403);
    const posted = await fetch(`${fakes.x.url}/2/tweets`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Hello' }),
    });
    expect(posted.status).toBe(403);
  });
});

describe('the fake LinkedIn OAuth endpoints', () => {
  const oauth = (path: string, fields: Record<string, string>) =>
    form(`${fakes.linkedin.url}/oauth/v2/${path}`, {
      client_id: CLIENTS.linkedin.id,
      client_secret: CLIENTS.linkedin.secret,
      ...fields,
    });

  beforeEach(() => {
    fakes.linkedin.addAccount({
      id: 'urn:li:organization:77',
      token: 'li-old',
      refreshToken: 'li-refresh',
    });
  });

  it('renews the access token with the refresh token, which keeps its value', async () => {
    const r = await oauth('accessToken', {
      grant_type: 'refresh_token',
      refresh_token: 'li-refresh',
    });
    expect(r).toMatchObject({
      status: 200,
      body: { expires_in: 5_184_000, refresh_token: 'li-refresh' },
    });
    expect(r.body.refresh_token_expires_in).toBeGreaterThan(0);
    const again = await oauth('accessToken', {
      grant_type: 'refresh_token',
      refresh_token: 'li-refresh',
    });
    expect(again.status).toBe(200);
    expect(again.body.access_token).not.toBe(r.body.access_token);
  });

  it('refuses an unknown refresh token and a wrong client secret with OAuth errors', async () => {
    expect(
      await oauth('accessToken', { grant_type: 'refresh_token', refresh_token: 'nope' }),
    ).toMatchObject({ status: 400, body: { error: 'invalid_request' } });
    const wrong = await form(`${fakes.linkedin.url}/oauth/v2/accessToken`, {
      grant_type: 'refresh_token',
      refresh_token: 'li-refresh',
      client_id: CLIENTS.linkedin.id,
      client_secret: 'guess',
    });
    expect(wrong).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
  });

  it('introspects a token: active with its scopes, then expired', async () => {
    const active = await oauth('introspectToken', { token: 'li-old' });
    expect(active.body).toMatchObject({ active: true, status: 'active', auth_type: '3L' });
    expect(active.body.scope.split(',')).toContain('w_organization_social');
    fakes.linkedin.expireToken('li-old', Date.now() - 1);
    expect((await oauth('introspectToken', { token: 'li-old' })).body).toMatchObject({
      active: false,
      status: 'expired',
    });
  });

  it('lists the organizations a token administers, and refuses an expired token with EXPIRED_ACCESS_TOKEN', async () => {
    const headers = {
      authorization: 'Bearer li-old',
      'linkedin-version': '202611',
      'x-restli-protocol-version': '2.0.0',
    };
    const url = `${fakes.linkedin.url}/rest/organizationAcls?q=roleAssignee&state=APPROVED`;
    expect((await get(url, headers)).body.elements).toEqual([
      expect.objectContaining({ organization: 'urn:li:organization:77', role: 'ADMINISTRATOR' }),
    ]);
    fakes.linkedin.expireToken('li-old', Date.now() - 1);
    expect(await get(url, headers)).toEqual({
      status: 401,
      body: {
        status: 401,
        code: 'EXPIRED_ACCESS_TOKEN',
        message: 'The token used in the request has expired',
        serviceErrorCode: 65601,
      },
    });
  });
});

describe('the fake Graph API debug_token', () => {
  const debug = (input: string, access: string) =>
    get(
      `${fakes.facebook.url}/v23.0/debug_token?${new URLSearchParams({ input_token: input, access_token: access })}`,
    );
  const appToken = `${CLIENTS.facebook.id}|${CLIENTS.facebook.secret}`;

  it('says which page a Page token opens, with its scopes and no expiry', async () => {
    const r = await debug(ACCOUNTS.facebook.fr.token, appToken);
    expect(r.body.data).toMatchObject({
      type: 'PAGE',
      is_valid: true,
      profile_id: ACCOUNTS.facebook.fr.id,
      expires_at: 0,
    });
    expect(r.body.data.scopes).toContain('pages_manage_posts');
  });

  it('reports an expired token as not valid with code 190 subcode 463', async () => {
    fakes.facebook.expireToken(ACCOUNTS.facebook.en.token, Date.now() - 1000);
    const r = await debug(ACCOUNTS.facebook.en.token, appToken);
    expect(r.body.data).toMatchObject({
      is_valid: false,
      error: { code: 190, subcode: 463 },
    });
    // Inspecting itself, an expired token is refused as any call with it is.
    const self = await debug(ACCOUNTS.facebook.en.token, ACCOUNTS.facebook.en.token);
    expect(self).toMatchObject({ status: 400, body: { error: { code: 190, error_subcode: 463 } } });
  });

  it('refuses a wrong app token', async () => {
    const r = await debug(ACCOUNTS.facebook.fr.token, `${CLIENTS.facebook.id}|guess`);
    expect(r).toMatchObject({ status: 400, body: { error: { code: 190 } } });
  });
});
