import { retryAfterMs } from '../../campaigns/publishers/http';
import { Delivery, PublishError } from '../../campaigns/publishers/publisher';
import { WebhookPublisher } from '../../campaigns/publishers/webhook';
import { rejection, testDelivery } from '../helpers/campaigns';
import { PlatformServer, signedWith, startPlatform } from '../helpers/platform-server';

const delivery = (o: Partial<Delivery> = {}) => testDelivery({ channel: 'webhook', ...o });

const thrown = (p: Promise<unknown>) => rejection<PublishError>(p);

let platform: PlatformServer;
beforeAll(async () => {
  platform = await startPlatform(() => ({ status: 500 }));
});
afterAll(() => platform.close());
beforeEach(() => {
  platform.requests.length = 0;
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
    expect(signedWith('s3cret', req)).toBe(true);
    expect(signedWith('other', req)).toBe(false);
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

  it("reads Facebook's estimated_time_to_regain_access (minutes), 0 being no wait given", () => {
    const usage = (minutes: number) =>
      new Headers({
        'x-business-use-case-usage': JSON.stringify({
          '1000': [{ type: 'pages', call_count: 100, estimated_time_to_regain_access: minutes }],
        }),
      });
    expect(retryAfterMs(usage(3))).toBe(180_000);
    expect(retryAfterMs(usage(0))).toBeNull();
    expect(retryAfterMs(new Headers({ 'x-business-use-case-usage': 'not json' }))).toBeNull();
  });
});
