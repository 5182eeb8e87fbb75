import { Credentials } from '../../campaigns/publishers/credentials';
import { FacebookPublisher } from '../../campaigns/publishers/facebook';
import { escapeLittleText, LinkedInPublisher } from '../../campaigns/publishers/linkedin';
import { Delivery, PublishError } from '../../campaigns/publishers/publisher';
import { XPublisher } from '../../campaigns/publishers/x';
import { rejection, testDelivery } from '../helpers/campaigns';
import { ACCOUNTS, CREDENTIALS, Fakes, startFakes } from '../helpers/fake-platforms';
import { PlatformServer, startPlatform } from '../helpers/platform-server';
import { freePort } from '../helpers/ports';

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);

const credentials = Credentials.from(CREDENTIALS);

const delivery = testDelivery;

const thrown = (p: Promise<unknown>) => rejection<PublishError>(p);

let fakes: Fakes;
let images: PlatformServer;
beforeAll(async () => {
  images = await startPlatform((req) =>
    req.path === '/passport.png'
      ? { status: 200, headers: { 'content-type': 'image/png' }, body: PNG }
      : { status: 404 },
  );
});
afterAll(() => images.close());
beforeEach(async () => {
  fakes = await startFakes();
});
afterEach(() => fakes.close());

describe('X (API v2)', () => {
  const x = (creds = credentials, timeoutMs = 2000) =>
    new XPublisher(fakes.x.url, creds, timeoutMs);

  it('posts with POST /2/tweets as the account of the language, and X stores it once', async () => {
    const r = await x().publish(delivery({ language: 'fr', text: 'Bonjour' }));
    expect(fakes.x.posts).toHaveLength(1);
    expect(fakes.x.posts[0]).toMatchObject({ account: ACCOUNTS.x.fr.id, sentText: 'Bonjour' });
    expect(r).toEqual({
      externalId: fakes.x.posts[0].id,
      url: `https://x.com/i/web/status/${fakes.x.posts[0].id}`,
    });
  });

  it('uploads an image as multipart, sets its alt text, then attaches it', async () => {
    await x().publish(
      delivery({ image: { url: `${images.url}/passport.png`, alt: 'A Canadian passport' } }),
    );
    expect(fakes.x.received.map((r) => r.path)).toEqual([
      '/2/media/upload',
      '/2/media/metadata',
      '/2/tweets',
    ]);
    expect(fakes.x.posts[0].media).toEqual([
      { id: expect.any(String), alt: 'A Canadian passport' },
    ]);
  });

  it('counts every link as 23 characters: a text with a long link fits, 281 weighted does not', async () => {
    const link = `https://www.canada.ca/${'a'.repeat(150)}`;
    await x().publish(delivery({ text: `${'b'.repeat(256)} ${link}` }));
    expect(fakes.x.posts).toHaveLength(1);
    const e = await thrown(x().publish(delivery({ text: 'é'.repeat(281) })));
    expect(e).toMatchObject({ kind: 'permanent', status: 400 });
    expect(e.reason).toMatch(/too long/);
    expect(fakes.x.posts).toHaveLength(1);
  });

  it('reposts the original for a partner share without a comment, and quotes it with one', async () => {
    const original = await x().publish(delivery());
    const shareOf = { externalId: original.externalId, url: original.url ?? null };
    await x().publish(delivery({ language: 'fr', text: null, shareOf }));
    await x().publish(delivery({ language: 'fr', text: 'Lisez ceci', shareOf }));
    expect(fakes.x.posts.map((p) => [p.account, p.kind, p.refersTo])).toEqual([
      [ACCOUNTS.x.en.id, 'post', null],
      [ACCOUNTS.x.fr.id, 'repost', original.externalId],
      [ACCOUNTS.x.fr.id, 'post', original.externalId],
    ]);
  });

  it('fails at once on a token X does not know, and on duplicate content, with X’s reason', async () => {
    const wrong = Credentials.from({
      'service-canada': { x: { accessToken: 'not-a-token', userId: ACCOUNTS.x.en.id } },
    });
    expect(await thrown(x(wrong).publish(delivery()))).toMatchObject({
      kind: 'permanent',
      status: 401,
      reason: 'Unauthorized',
    });
    await x().publish(delivery());
    expect(await thrown(x().publish(delivery()))).toMatchObject({
      kind: 'permanent',
      status: 403,
      reason: 'You are not allowed to create a Tweet with duplicate content.',
    });
  });

  it('fails with 401 once the token has expired', async () => {
    fakes.x.expireToken(ACCOUNTS.x.en.token, Date.now() - 1);
    expect(await thrown(x().publish(delivery()))).toMatchObject({ kind: 'permanent', status: 401 });
    expect(fakes.x.posts).toHaveLength(0);
  });

  it('retries a 5xx as an outcome in doubt, and a 429 after x-rate-limit-reset', async () => {
    fakes.x.script(({ seen }) => (seen === 0 ? { kind: 'server-error', status: 503 } : null));
    expect(await thrown(x().publish(delivery()))).toMatchObject({
      kind: 'retryable',
      status: 503,
      ambiguous: true,
    });
    fakes.x.clearScripts();
    fakes.x.script(() => ({ kind: 'rate-limit', resetAfterSec: 30 }));
    const e = await thrown(x().publish(delivery({ text: 'Other' })));
    expect(e).toMatchObject({
      kind: 'retryable',
      code: 'rate_limited',
      status: 429,
      ambiguous: false,
    });
    expect(e.retryAfterMs).toBeGreaterThan(28_000);
    expect(e.retryAfterMs).toBeLessThanOrEqual(31_000);
  });

  it('a post X accepted but never answered for is in doubt, then found in the timeline', async () => {
    fakes.x.script(() => ({ kind: 'accept-then-timeout' }));
    const since = new Date().toISOString();
    const e = await thrown(x(credentials, 300).publish(delivery()));
    expect(e).toMatchObject({
      kind: 'retryable',
      code: 'network',
      reason: 'timeout',
      ambiguous: true,
    });
    expect(fakes.x.posts).toHaveLength(1);
    expect(await x().recover(delivery(), since)).toEqual({
      externalId: fakes.x.posts[0].id,
      url: `https://x.com/i/web/status/${fakes.x.posts[0].id}`,
    });
    const read = fakes.x.received.at(-1)!;
    expect(read.path).toBe(`/2/users/${ACCOUNTS.x.en.id}/tweets`);
    expect(read.query.get('start_time')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('finds nothing when the post is not in the timeline, or is older than the first attempt', async () => {
    await x().publish(delivery());
    expect(
      await x().recover(delivery({ text: 'Never sent' }), new Date().toISOString()),
    ).toBeNull();
    const later = new Date(Date.now() + 60_000).toISOString();
    expect(await x().recover(delivery(), later)).toBeNull();
  });

  it('cannot read the timeline during an outage: the reading fails, nothing is guessed', async () => {
    fakes.x.script(({ operation }) =>
      operation === 'read' ? { kind: 'server-error', status: 503 } : null,
    );
    expect(await thrown(x().recover(delivery(), new Date().toISOString()))).toMatchObject({
      kind: 'retryable',
      status: 503,
    });
  });

  it('treats an unreachable platform as a network error that sent nothing', async () => {
    const e = await thrown(
      new XPublisher(`http://127.0.0.1:${await freePort()}`, credentials, 1000).publish(delivery()),
    );
    expect(e).toMatchObject({ kind: 'retryable', code: 'network', ambiguous: false });
  });

  it('fails at once, without a call, when the account has no credentials', async () => {
    const e = await thrown(x().publish(delivery({ account: 'serviceontario' })));
    expect(e).toMatchObject({
      kind: 'permanent',
      code: 'not_configured',
      reason: 'serviceontario.x.en.accessToken, serviceontario.x.en.userId',
    });
    expect(fakes.x.received).toHaveLength(0);
  });
});

describe('Facebook Pages (Graph API)', () => {
  const fb = (creds = credentials, timeoutMs = 2000) =>
    new FacebookPublisher(`${fakes.facebook.url}/v23.0`, creds, timeoutMs);
  const fbDelivery = (o: Partial<Delivery> = {}) => delivery({ channel: 'facebook', ...o });

  it('posts to /{page-id}/feed with the page token, and the page stores it', async () => {
    const r = await fb().publish(fbDelivery());
    expect(fakes.facebook.posts[0]).toMatchObject({
      account: ACCOUNTS.facebook.en.id,
      sentText: delivery().text,
    });
    expect(r.externalId).toBe(fakes.facebook.posts[0].id);
  });

  it('posts an image to /{page-id}/photos with its alt text and caption', async () => {
    const r = await fb().publish(
      fbDelivery({
        language: 'fr',
        image: { url: 'https://example.ca/a.png', alt: 'Un passeport' },
      }),
    );
    expect(fakes.facebook.received[0].path).toBe(`/v23.0/${ACCOUNTS.facebook.fr.id}/photos`);
    expect(fakes.facebook.posts[0]).toMatchObject({
      account: ACCOUNTS.facebook.fr.id,
      media: [{ alt: 'Un passeport' }],
    });
    expect(r.externalId).toBe(fakes.facebook.posts[0].id);
  });

  it('shares the original as a link', async () => {
    await fb().publish(
      fbDelivery({
        text: null,
        shareOf: { externalId: '2000_9', url: 'https://www.facebook.com/2000_9' },
      }),
    );
    expect(fakes.facebook.posts[0]).toMatchObject({ refersTo: 'https://www.facebook.com/2000_9' });
  });

  it('fails at once on an expired token and on a token of another page', async () => {
    fakes.facebook.expireToken(ACCOUNTS.facebook.en.token, Date.now() - 1);
    expect(await thrown(fb().publish(fbDelivery()))).toMatchObject({
      kind: 'permanent',
      status: 400,
      reason: 'Error validating access token: Session has expired.',
    });
    const crossed = Credentials.from({
      'service-canada': {
        facebook: { pageId: ACCOUNTS.facebook.en.id, accessToken: ACCOUNTS.facebook.fr.token },
      },
    });
    expect(await thrown(fb(crossed).publish(fbDelivery()))).toMatchObject({
      kind: 'permanent',
      status: 403,
    });
    expect(fakes.facebook.posts).toHaveLength(0);
  });

  it('retries Page throttling (400, code 80001) after the time it says, in minutes', async () => {
    fakes.facebook.script(() => ({ kind: 'rate-limit', resetAfterSec: 120 }));
    const e = await thrown(fb().publish(fbDelivery()));
    expect(e).toMatchObject({
      kind: 'retryable',
      code: 'rate_limited',
      status: 400,
      retryAfterMs: 120_000,
    });
  });

  it('finds a post whose connection was cut after the page stored it', async () => {
    fakes.facebook.script(() => ({ kind: 'accept-then-reset' }));
    const since = new Date().toISOString();
    expect(await thrown(fb().publish(fbDelivery()))).toMatchObject({
      kind: 'retryable',
      ambiguous: true,
    });
    fakes.facebook.clearScripts();
    expect(await fb().recover(fbDelivery(), since)).toEqual({
      externalId: fakes.facebook.posts[0].id,
      url: `https://www.facebook.com/${fakes.facebook.posts[0].id}`,
    });
    expect(await fb().recover(fbDelivery({ text: 'Autre chose' }), since)).toBeNull();
  });

  it('says a share without text cannot be found in the feed, instead of guessing', async () => {
    const e = await thrown(
      fb().recover(
        fbDelivery({ text: null, shareOf: { externalId: '1', url: null } }),
        new Date().toISOString(),
      ),
    );
    expect(e).toMatchObject({ kind: 'permanent', code: 'outcome_unknown' });
  });
});

describe('LinkedIn (REST posts)', () => {
  const li = (version = '202611', creds = credentials) =>
    new LinkedInPublisher(fakes.linkedin.url, version, creds, 2000);
  const liDelivery = (o: Partial<Delivery> = {}) => delivery({ channel: 'linkedin', ...o });

  it('posts to /rest/posts with the versioned headers and escaped commentary; the URN comes from x-restli-id', async () => {
    const r = await li().publish(liDelivery({ text: 'Renew (online) #ServiceCanada' }));
    const stored = fakes.linkedin.posts[0];
    expect(stored).toMatchObject({
      account: ACCOUNTS.linkedin.id,
      text: 'Renew \\(online\\) \\#ServiceCanada',
    });
    expect(r).toEqual({
      externalId: stored.id,
      url: `https://www.linkedin.com/feed/update/${stored.id}`,
    });
  });

  it('uploads an image first (initializeUpload, then PUT) and reshares an original', async () => {
    await li().publish(
      liDelivery({
        image: { url: `${images.url}/passport.png`, alt: 'A passport' },
        shareOf: { externalId: 'urn:li:share:1', url: null },
      }),
    );
    expect(fakes.linkedin.received.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /rest/images',
      expect.stringMatching(/^PUT \/upload\/images\/\d+$/),
      'POST /rest/posts',
    ]);
    expect(fakes.linkedin.posts[0]).toMatchObject({
      media: [{ id: expect.stringMatching(/^urn:li:image:/), alt: 'A passport' }],
      refersTo: 'urn:li:share:1',
    });
  });

  it('is refused with 426 on a sunset LinkedIn-Version', async () => {
    expect(await thrown(li('202506').publish(liDelivery()))).toMatchObject({
      kind: 'permanent',
      status: 426,
      reason: 'Requested version 202506 is not active',
    });
  });

  it('is refused with 422 and LinkedIn’s reason on alt text longer than 4,086 characters', async () => {
    const e = await thrown(
      li().publish(
        liDelivery({ image: { url: `${images.url}/passport.png`, alt: 'a'.repeat(4087) } }),
      ),
    );
    expect(e).toMatchObject({ kind: 'permanent', status: 422 });
    expect(e.reason).toMatch(/altText/);
    expect(fakes.linkedin.posts).toHaveLength(0);
  });

  it('retries a 429 with the backoff (LinkedIn sends no reset time)', async () => {
    fakes.linkedin.script(() => ({ kind: 'rate-limit', resetAfterSec: 1 }));
    expect(await thrown(li().publish(liDelivery()))).toMatchObject({
      kind: 'retryable',
      code: 'rate_limited',
      retryAfterMs: null,
    });
  });

  it('finds a post accepted without an answer with the author finder', async () => {
    fakes.linkedin.script(() => ({ kind: 'accept-then-timeout' }));
    const since = new Date().toISOString();
    const slow = new LinkedInPublisher(fakes.linkedin.url, '202611', credentials, 300);
    expect(await thrown(slow.publish(liDelivery({ text: 'Renew (online)' })))).toMatchObject({
      ambiguous: true,
    });
    const found = await li().recover(liDelivery({ text: 'Renew (online)' }), since);
    expect(found?.externalId).toBe(fakes.linkedin.posts[0].id);
    const read = fakes.linkedin.received.at(-1)!;
    expect(read.query.get('q')).toBe('author');
    expect(read.query.get('author')).toBe(ACCOUNTS.linkedin.id);
  });

  it('escapes every reserved character of the little text format', () => {
    expect(escapeLittleText('a|b{c}d@e[f]g(h)i<j>k#l*m_n~o\\p')).toBe(
      'a\\|b\\{c\\}d\\@e\\[f\\]g\\(h\\)i\\<j\\>k\\#l\\*m\\_n\\~o\\\\p',
    );
  });
});
