import { Credentials } from '../../campaigns/publishers/credentials';
import { FacebookPublisher } from '../../campaigns/publishers/facebook';
import { retryAfterMs } from '../../campaigns/publishers/http';
import { escapeLittleText, LinkedInPublisher } from '../../campaigns/publishers/linkedin';
import { Delivery, PublishError } from '../../campaigns/publishers/publisher';
import { verifyWebhook, WebhookPublisher } from '../../campaigns/publishers/webhook';
import { XPublisher } from '../../campaigns/publishers/x';
import { rejection } from '../helpers/campaigns';
import { PlatformServer, startPlatform } from '../helpers/platform-server';
import { freePort } from '../helpers/ports';

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);

const credentials = Credentials.from({
  'service-canada': {
    x: {
      en: { accessToken: 'x-en-token', userId: '111' },
      fr: { accessToken: 'x-fr-token', userId: '222' },
    },
    facebook: {
      en: { pageId: '1000', accessToken: 'fb-en' },
      fr: { pageId: '2000', accessToken: 'fb-fr' },
    },
    linkedin: { accessToken: 'li-token', author: 'urn:li:organization:42' },
  },
});

const delivery = (o: Partial<Delivery> = {}): Delivery => ({
  key: 'post-1:once:en',
  campaignId: 'c-1',
  postId: 'post-1',
  channel: 'x',
  account: 'service-canada',
  language: 'en',
  text: 'Renew your passport online: https://www.canada.ca/passport',
  image: null,
  shareOf: null,
  scheduledAt: '2026-12-01T09:00:00.000-05:00',
  ...o,
});

const thrown = (p: Promise<unknown>) => rejection<PublishError>(p);

let platform: PlatformServer;
let images: PlatformServer;
beforeAll(async () => {
  platform = await startPlatform(() => ({ status: 500 }));
  images = await startPlatform((req) =>
    req.path === '/passport.png'
      ? { status: 200, headers: { 'content-type': 'image/png' }, body: PNG }
      : { status: 404 },
  );
});
afterAll(async () => {
  await platform.close();
  await images.close();
});
beforeEach(() => {
  platform.requests.length = 0;
});

describe('X (API v2)', () => {
  const x = () => new XPublisher(platform.url, credentials, 2000);

  it('posts with POST /2/tweets and the account-language token', async () => {
    platform.handle(() => ({
      status: 201,
      body: { data: { id: '1790000000000000001', text: 'ok' } },
    }));
    const r = await x().publish(delivery({ language: 'fr', text: 'Bonjour' }));
    expect(r).toEqual({
      externalId: '1790000000000000001',
      url: 'https://x.com/i/web/status/1790000000000000001',
    });
    expect(platform.requests[0]).toMatchObject({
      method: 'POST',
      path: '/2/tweets',
      json: { text: 'Bonjour' },
    });
    expect(platform.requests[0].headers.authorization).toBe('Bearer x-fr-token');
  });

  it('uploads an image, sets its alt text, then attaches it', async () => {
    platform.handle((req) => {
      if (req.path === '/2/media/upload')
        return { status: 200, body: { data: { id: '555', media_key: '3_555' } } };
      if (req.path === '/2/media/metadata')
        return { status: 200, body: { data: { associated_metadata: true } } };
      return { status: 201, body: { data: { id: '777' } } };
    });
    await x().publish(
      delivery({ image: { url: `${images.url}/passport.png`, alt: 'A Canadian passport' } }),
    );
    expect(platform.requests.map((r) => r.path)).toEqual([
      '/2/media/upload',
      '/2/media/metadata',
      '/2/tweets',
    ]);
    expect(platform.requests[0].headers['content-type']).toMatch(/^multipart\/form-data/);
    expect(platform.requests[0].body.includes(PNG)).toBe(true);
    expect(platform.requests[0].text).toMatch(/name="media_category"\r\n\r\ntweet_image/);
    expect(platform.requests[1].json).toEqual({
      id: '555',
      metadata: { alt_text: { text: 'A Canadian passport' } },
    });
    expect(platform.requests[2].json).toEqual({
      text: delivery().text,
      media: { media_ids: ['555'] },
    });
  });

  it('reposts the original for a partner share without a comment, and quotes it with one', async () => {
    platform.handle((req) =>
      req.path.endsWith('/retweets')
        ? { status: 200, body: { data: { retweeted: true } } }
        : { status: 201, body: { data: { id: '9' } } },
    );
    const shareOf = { externalId: '123', url: 'https://x.com/i/web/status/123' };
    await x().publish(delivery({ text: null, shareOf }));
    expect(platform.requests[0]).toMatchObject({
      path: '/2/users/111/retweets',
      json: { tweet_id: '123' },
    });
    await x().publish(delivery({ text: 'Read this', shareOf }));
    expect(platform.requests[1].json).toEqual({ text: 'Read this', quote_tweet_id: '123' });
  });

  it('fails at once on 401 and 403 with the platform reason', async () => {
    platform.handle(() => ({
      status: 403,
      body: {
        title: 'Forbidden',
        detail: 'You are not allowed to create a Tweet with duplicate content.',
        status: 403,
      },
    }));
    const e = await thrown(x().publish(delivery()));
    expect(e).toMatchObject({
      kind: 'permanent',
      status: 403,
      reason: 'You are not allowed to create a Tweet with duplicate content.',
    });
    platform.handle(() => ({
      status: 401,
      body: { title: 'Unauthorized', detail: 'Unauthorized', status: 401 },
    }));
    expect(await thrown(x().publish(delivery()))).toMatchObject({ kind: 'permanent', status: 401 });
  });

  it('retries on 5xx, and on 429 waits until x-rate-limit-reset', async () => {
    platform.handle(() => ({ status: 503, body: { title: 'Service Unavailable' } }));
    expect(await thrown(x().publish(delivery()))).toMatchObject({ kind: 'retryable', status: 503 });
    const reset = Math.floor(Date.now() / 1000) + 30;
    platform.handle(() => ({
      status: 429,
      headers: { 'x-rate-limit-reset': String(reset) },
      body: { title: 'Too Many Requests' },
    }));
    const e = await thrown(x().publish(delivery()));
    expect(e).toMatchObject({ kind: 'retryable', code: 'rate_limited', status: 429 });
    expect(e.retryAfterMs).toBeGreaterThan(28_000);
    expect(e.retryAfterMs).toBeLessThanOrEqual(30_000);
  });

  it('treats an unreachable platform as a network error to retry', async () => {
    const e = await thrown(
      new XPublisher(`http://127.0.0.1:${await freePort()}`, credentials, 1000).publish(delivery()),
    );
    expect(e).toMatchObject({ kind: 'retryable', code: 'network' });
  });

  it('fails at once, without a call, when the account has no credentials', async () => {
    const e = await thrown(x().publish(delivery({ account: 'serviceontario' })));
    expect(e).toMatchObject({
      kind: 'permanent',
      code: 'not_configured',
      reason: 'serviceontario.x.en.accessToken',
    });
    expect(platform.requests).toHaveLength(0);
  });
});

describe('Facebook Pages (Graph API)', () => {
  const fb = () => new FacebookPublisher(`${platform.url}/v23.0`, credentials, 2000);

  it('posts to /{page-id}/feed with the page token', async () => {
    platform.handle(() => ({ status: 200, body: { id: '1000_42' } }));
    const r = await fb().publish(delivery({ channel: 'facebook' }));
    expect(r.externalId).toBe('1000_42');
    expect(platform.requests[0]).toMatchObject({
      path: '/v23.0/1000/feed',
      form: { message: delivery().text, access_token: 'fb-en' },
    });
  });

  it('posts an image to /{page-id}/photos with its alt text', async () => {
    platform.handle(() => ({ status: 200, body: { id: '9', post_id: '2000_9' } }));
    const r = await fb().publish(
      delivery({
        channel: 'facebook',
        language: 'fr',
        image: { url: 'https://example.ca/a.png', alt: 'Un passeport' },
      }),
    );
    expect(r.externalId).toBe('2000_9');
    expect(platform.requests[0]).toMatchObject({
      path: '/v23.0/2000/photos',
      form: {
        url: 'https://example.ca/a.png',
        alt_text_custom: 'Un passeport',
        caption: delivery().text,
      },
    });
  });

  it('shares the original as a link', async () => {
    platform.handle(() => ({ status: 200, body: { id: '1000_43' } }));
    await fb().publish(
      delivery({
        channel: 'facebook',
        text: null,
        shareOf: { externalId: '2000_9', url: 'https://www.facebook.com/2000_9' },
      }),
    );
    expect(platform.requests[0].form).toMatchObject({ link: 'https://www.facebook.com/2000_9' });
    expect(platform.requests[0].form).not.toHaveProperty('message');
  });

  it('fails at once on an invalid token, and retries throttling that comes as a 400', async () => {
    platform.handle(() => ({
      status: 400,
      body: {
        error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190 },
      },
    }));
    expect(await thrown(fb().publish(delivery({ channel: 'facebook' })))).toMatchObject({
      kind: 'permanent',
      status: 400,
      reason: 'Invalid OAuth access token.',
    });
    platform.handle(() => ({
      status: 400,
      body: { error: { message: '(#32) Page request limit reached', code: 32 } },
    }));
    expect(await thrown(fb().publish(delivery({ channel: 'facebook' })))).toMatchObject({
      kind: 'retryable',
    });
  });
});

describe('LinkedIn (REST posts)', () => {
  const li = () => new LinkedInPublisher(platform.url, '202506', credentials, 2000);

  it('posts to /rest/posts with the versioned headers, escaped commentary, and reads x-restli-id', async () => {
    platform.handle(() => ({ status: 201, headers: { 'x-restli-id': 'urn:li:share:7000' } }));
    const r = await li().publish(
      delivery({ channel: 'linkedin', text: 'Renew (online) #ServiceCanada' }),
    );
    expect(r).toEqual({
      externalId: 'urn:li:share:7000',
      url: 'https://www.linkedin.com/feed/update/urn:li:share:7000',
    });
    const req = platform.requests[0];
    expect(req.path).toBe('/rest/posts');
    expect(req.headers).toMatchObject({
      'linkedin-version': '202506',
      'x-restli-protocol-version': '2.0.0',
      authorization: 'Bearer li-token',
    });
    expect(req.json).toMatchObject({
      author: 'urn:li:organization:42',
      commentary: 'Renew \\(online\\) \\#ServiceCanada',
      visibility: 'PUBLIC',
      lifecycleState: 'PUBLISHED',
    });
  });

  it('uploads an image first and reshares an original', async () => {
    platform.handle((req) => {
      if (req.path.startsWith('/rest/images'))
        return {
          status: 200,
          body: { value: { uploadUrl: `${platform.url}/upload/1`, image: 'urn:li:image:C1' } },
        };
      if (req.path === '/upload/1') return { status: 201 };
      return { status: 201, headers: { 'x-restli-id': 'urn:li:share:7001' } };
    });
    await li().publish(
      delivery({
        channel: 'linkedin',
        image: { url: `${images.url}/passport.png`, alt: 'A passport' },
        shareOf: { externalId: 'urn:li:share:1', url: null },
      }),
    );
    expect(platform.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /rest/images?action=initializeUpload',
      'PUT /upload/1',
      'POST /rest/posts',
    ]);
    expect(platform.requests[0].json).toEqual({
      initializeUploadRequest: { owner: 'urn:li:organization:42' },
    });
    expect(platform.requests[1].body.equals(PNG)).toBe(true);
    expect(platform.requests[2].json).toMatchObject({
      content: { media: { id: 'urn:li:image:C1', altText: 'A passport' } },
      reshareContext: { parent: 'urn:li:share:1' },
    });
  });

  it('gives the platform reason on a 422', async () => {
    platform.handle(() => ({
      status: 422,
      body: { message: 'ERROR :: /commentary :: is too long', status: 422 },
    }));
    expect(await thrown(li().publish(delivery({ channel: 'linkedin' })))).toMatchObject({
      kind: 'permanent',
      reason: 'ERROR :: /commentary :: is too long',
    });
  });

  it('escapes every reserved character of the little text format', () => {
    expect(escapeLittleText('a|b{c}d@e[f]g(h)i<j>k#l*m_n~o\\p')).toBe(
      'a\\|b\\{c\\}d\\@e\\[f\\]g\\(h\\)i\\<j\\>k\\#l\\*m\\_n\\~o\\\\p',
    );
  });
});

describe('signed webhook', () => {
  it('signs the body with HMAC-SHA256 and sends the idempotency key', async () => {
    platform.handle(() => ({ status: 202, body: { id: 'recv-1' } }));
    const r = await new WebhookPublisher(`${platform.url}/hook`, 's3cret', 2000).publish(
      delivery({ channel: 'webhook' }),
    );
    expect(r.externalId).toBe('recv-1');
    const req = platform.requests[0];
    expect(req.headers['idempotency-key']).toBe('post-1:once:en');
    expect(
      verifyWebhook(
        's3cret',
        String(req.headers['x-campaign-timestamp']),
        req.text,
        String(req.headers['x-campaign-signature']),
      ),
    ).toBe(true);
    expect(
      verifyWebhook(
        'other',
        String(req.headers['x-campaign-timestamp']),
        req.text,
        String(req.headers['x-campaign-signature']),
      ),
    ).toBe(false);
    expect(req.json).toMatchObject({ id: 'post-1:once:en', text: delivery().text, language: 'en' });
  });

  it('fails without a URL or secret', async () => {
    expect(await thrown(new WebhookPublisher('', '', 2000).publish(delivery()))).toMatchObject({
      kind: 'permanent',
      code: 'not_configured',
    });
  });
});

describe('Retry-After', () => {
  it('reads seconds, an HTTP date, and caps the wait', () => {
    const now = Date.parse('2026-06-01T12:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': '7' }), now)).toBe(7000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Mon, 01 Jun 2026 12:00:30 GMT' }), now)).toBe(
      30_000,
    );
    expect(retryAfterMs(new Headers({ 'retry-after': '999999' }), now)).toBe(3_600_000);
    expect(retryAfterMs(new Headers({}), now)).toBeNull();
  });
});
