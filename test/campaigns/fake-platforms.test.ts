import { ACCOUNTS, Fakes, startFakes } from '../helpers/fake-platforms';

/**
 * The fake platforms are only worth their tests if they refuse what the real ones refuse: each
 * row sends one request that breaks the documented contract, and expects the platform's own error.
 */
let fakes: Fakes;
beforeEach(async () => {
  fakes = await startFakes();
});
afterEach(() => fakes.close());

const json = (token: string | null, body: unknown, extra: Record<string, string> = {}) => ({
  method: 'POST',
  headers: {
    'content-type': 'application/json',
    ...(token ? { authorization: `Bearer ${token}` } : {}),
    ...extra,
  },
  body: JSON.stringify(body),
});

async function send(base: () => string, path: string, init: RequestInit = {}) {
  const res = await fetch(base() + path, init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

const X = ACCOUNTS.x.en;
const LI = ACCOUNTS.linkedin;
const liHeaders = { 'linkedin-version': '202611', 'x-restli-protocol-version': '2.0.0' };
const liPost = (o: Record<string, unknown> = {}) => ({
  author: LI.id,
  commentary: 'Renew online',
  visibility: 'PUBLIC',
  distribution: {
    feedDistribution: 'MAIN_FEED',
    targetEntities: [],
    thirdPartyDistributionChannels: [],
  },
  lifecycleState: 'PUBLISHED',
  ...o,
});

describe('the fake X refuses what X refuses', () => {
  const x = () => fakes.x.url;
  it.each([
    ['no token', '/2/tweets', json(null, { text: 'a' }), 401, { title: 'Unauthorized' }],
    ['an unknown token', '/2/tweets', json('nope', { text: 'a' }), 401, { title: 'Unauthorized' }],
    [
      'a form body',
      '/2/tweets',
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${X.token}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'text=a',
      },
      400,
      { title: 'Invalid Request' },
    ],
    [
      'an unknown field',
      '/2/tweets',
      json(X.token, { text: 'a', status: 'a' }),
      400,
      { title: 'Invalid Request' },
    ],
    [
      '281 weighted characters',
      '/2/tweets',
      json(X.token, { text: '語'.repeat(141) }),
      400,
      { errors: [{ message: expect.stringMatching(/too long/) }] },
    ],
    [
      'media it never uploaded',
      '/2/tweets',
      json(X.token, { text: 'a', media: { media_ids: ['1'] } }),
      400,
      { errors: [{ message: 'Your media IDs are invalid.' }] },
    ],
    [
      'alt text on unknown media',
      '/2/media/metadata',
      json(X.token, { id: '1', metadata: { alt_text: { text: 'a' } } }),
      400,
      { title: 'Invalid Request' },
    ],
    [
      'a repost as another user',
      `/2/users/${ACCOUNTS.x.fr.id}/retweets`,
      json(X.token, { tweet_id: '1' }),
      403,
      { title: 'Forbidden' },
    ],
    [
      'an unknown path',
      '/1.1/statuses/update.json',
      json(X.token, { status: 'a' }),
      404,
      { title: 'Not Found Error' },
    ],
  ])('%s', async (_what, path, init, status, body) => {
    const r = await send(x, path, init as RequestInit);
    expect(r.status).toBe(status);
    expect(r.body).toMatchObject(body);
    expect(fakes.x.posts).toHaveLength(0);
  });

  it.each([
    ['max_results below 5', 'max_results=4'],
    ['start_time with milliseconds', 'start_time=2026-12-04T10:00:00.123Z'],
  ])('a timeline read with %s', async (_what, query) => {
    const r = await send(x, `/2/users/${X.id}/tweets?${query}`, {
      headers: { authorization: `Bearer ${X.token}` },
    });
    expect(r.status).toBe(400);
  });

  it('counts a link as 23 characters, as X does, and shows it wrapped in t.co', async () => {
    const text = `${'a'.repeat(256)} https://www.canada.ca/${'x'.repeat(200)}`;
    const r = await send(x, '/2/tweets', json(X.token, { text }));
    expect(r.status).toBe(201);
    expect(r.body.data.text).toMatch(/ https:\/\/t\.co\/\w{10}$/);
  });

  it('refuses alt text longer than 1,000 characters', async () => {
    const form = new FormData();
    form.append('media', new Blob([Buffer.from('89504e470d0a1a0a00', 'hex')]), 'a.png');
    form.append('media_category', 'tweet_image');
    const up = await send(x, '/2/media/upload', {
      method: 'POST',
      headers: { authorization: `Bearer ${X.token}` },
      body: form,
    });
    expect(up.status).toBe(200);
    const alt = (text: string) =>
      send(
        x,
        '/2/media/metadata',
        json(X.token, { id: up.body.data.id, metadata: { alt_text: { text } } }),
      );
    expect((await alt('a'.repeat(1001))).status).toBe(400);
    expect((await alt('a'.repeat(1000))).status).toBe(200);
  });
});

describe('the fake Facebook refuses what the Graph API refuses', () => {
  const fb = () => `${fakes.facebook.url}/v23.0`;
  const form = (fields: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  const page = ACCOUNTS.facebook.en;
  it.each([
    ['no token', `/${page.id}/feed`, form({ message: 'a' }), 400, 2500],
    [
      'an unknown token',
      `/${page.id}/feed`,
      form({ message: 'a', access_token: 'nope' }),
      400,
      190,
    ],
    [
      'the token of another page',
      `/${page.id}/feed`,
      form({ message: 'a', access_token: ACCOUNTS.facebook.fr.token }),
      403,
      200,
    ],
    ['neither message nor link', `/${page.id}/feed`, form({ access_token: page.token }), 400, 100],
    [
      'an unknown parameter',
      `/${page.id}/feed`,
      form({ message: 'a', caption: 'b', access_token: page.token }),
      400,
      100,
    ],
    [
      'a photo without url',
      `/${page.id}/photos`,
      form({ caption: 'a', access_token: page.token }),
      400,
      324,
    ],
    [
      'JSON instead of a form',
      `/${page.id}/feed`,
      json(null, { message: 'a', access_token: page.token }),
      400,
      100,
    ],
  ])('%s', async (_what, path, init, status, code) => {
    const r = await send(fb, path, init as RequestInit);
    expect(r.status).toBe(status);
    expect(r.body.error).toMatchObject({
      code,
      type: 'OAuthException',
      fbtrace_id: expect.any(String),
    });
    expect(fakes.facebook.posts).toHaveLength(0);
  });

  it('refuses a feed read of more than 100 posts', async () => {
    const r = await send(fb, `/${page.id}/feed?limit=101&access_token=${page.token}`);
    expect(r.status).toBe(400);
  });
});

describe('the fake LinkedIn refuses what the Posts API refuses', () => {
  const li = () => fakes.linkedin.url;
  it.each([
    [
      'no LinkedIn-Version',
      json(LI.token, liPost(), { 'x-restli-protocol-version': '2.0.0' }),
      400,
      'VERSION_MISSING',
    ],
    [
      'a sunset version',
      json(LI.token, liPost(), { ...liHeaders, 'linkedin-version': '202401' }),
      426,
      'NONEXISTENT_VERSION',
    ],
    [
      'no X-Restli-Protocol-Version',
      json(LI.token, liPost(), { 'linkedin-version': '202611' }),
      400,
      'ILLEGAL_ARGUMENT',
    ],
    ['an unknown token', json('nope', liPost(), liHeaders), 401, 'INVALID_ACCESS_TOKEN'],
    [
      'another author than the token’s',
      json(LI.token, liPost({ author: 'urn:li:organization:7' }), liHeaders),
      403,
      'ACCESS_DENIED',
    ],
  ])('%s', async (_what, init, status, code) => {
    const r = await send(li, '/rest/posts', init as RequestInit);
    expect(r).toMatchObject({ status, body: { status, code } });
    expect(fakes.linkedin.posts).toHaveLength(0);
  });

  it.each([
    ['unescaped parentheses', liPost({ commentary: 'Renew (online)' }), '/commentary'],
    ['3,001 characters', liPost({ commentary: 'a'.repeat(3001) }), '/commentary'],
    ['no visibility', liPost({ visibility: undefined }), '/visibility'],
    ['no distribution', liPost({ distribution: undefined }), '/distribution'],
    [
      'an image never initialized',
      liPost({ content: { media: { id: 'urn:li:image:1', altText: 'a' } } }),
      '/content/media/id',
    ],
    ['an unknown field', liPost({ text: 'a' }), '/text'],
  ])('422 on %s', async (_what, post, field) => {
    const r = await send(li, '/rest/posts', json(LI.token, post, liHeaders));
    expect(r.status).toBe(422);
    expect(r.body.message).toMatch(new RegExp(`^ERROR :: ${field}`));
  });

  it('takes an image only after its bytes were PUT, as its owner', async () => {
    const init = await send(
      li,
      '/rest/images?action=initializeUpload',
      json(LI.token, { initializeUploadRequest: { owner: LI.id } }, liHeaders),
    );
    const { uploadUrl, image } = init.body.value;
    const post = () =>
      send(
        li,
        '/rest/posts',
        json(LI.token, liPost({ content: { media: { id: image, altText: 'a' } } }), liHeaders),
      );
    expect((await post()).status).toBe(400);
    const put = (bytes: Buffer, token: string) =>
      fetch(uploadUrl, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}` },
        body: bytes,
      });
    expect((await put(Buffer.from('not an image'), LI.token)).status).toBe(400);
    expect((await put(Buffer.from('89504e470d0a1a0a00', 'hex'), 'nope')).status).toBe(401);
    expect((await put(Buffer.from('89504e470d0a1a0a00', 'hex'), LI.token)).status).toBe(201);
    const done = await post();
    expect(done.status).toBe(201);
    expect(done.headers.get('x-restli-id')).toMatch(/^urn:li:share:\d+$/);
  });
});

describe('scripted faults and what the fakes count', () => {
  it('stores an accepted post it never answers for, and counts a second copy as a duplicate', async () => {
    fakes.linkedin.script(({ seen }) => (seen === 0 ? { kind: 'accept-then-timeout' } : null));
    const first = await fetch(`${fakes.linkedin.url}/rest/posts`, {
      ...json(LI.token, liPost(), liHeaders),
      signal: AbortSignal.timeout(200),
    }).catch((e: Error) => e.name);
    expect(first).toBe('TimeoutError');
    expect(fakes.linkedin.posts).toHaveLength(1);
    expect(fakes.linkedin.duplicates()).toBe(0);
    expect(
      (await send(() => fakes.linkedin.url, '/rest/posts', json(LI.token, liPost(), liHeaders)))
        .status,
    ).toBe(201);
    expect(fakes.linkedin.duplicates()).toBe(1);
  });

  it('counts a repeat that X refused as a duplicate sent', async () => {
    for (let i = 0; i < 2; i++)
      await send(() => fakes.x.url, '/2/tweets', json(X.token, { text: 'Same' }));
    expect(fakes.x.posts).toHaveLength(1);
    expect(fakes.x.duplicates()).toBe(1);
  });

  it('answers 429 with x-rate-limit-reset, and refuses a token after it expires', async () => {
    fakes.x.script(({ seen }) => (seen === 0 ? { kind: 'rate-limit', resetAfterSec: 5 } : null));
    const limited = await send(() => fakes.x.url, '/2/tweets', json(X.token, { text: 'a' }));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('x-rate-limit-reset'))).toBeGreaterThan(Date.now() / 1000);
    fakes.x.expireToken(X.token, Date.now());
    expect((await send(() => fakes.x.url, '/2/tweets', json(X.token, { text: 'a' }))).status).toBe(
      401,
    );
    expect(fakes.x.posts).toHaveLength(0);
  });
});
