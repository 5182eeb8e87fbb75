import crypto from 'node:crypto';
import { callPlatform } from './http';
import { Delivery, Publisher, PublishError, PublishResult } from './publisher';
import type { PublisherContext } from './publisher';

/**
 * The signature a receiver checks: HMAC-SHA256 with the shared secret over `timestamp.body`, sent as
 * `X-Campaign-Signature: sha256=<hex>` with `X-Campaign-Timestamp` (Unix seconds). Receivers should
 * refuse timestamps more than five minutes old and keep the first delivery per `Idempotency-Key`.
 */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return (
    'sha256=' + crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')
  );
}

/** Verifies a webhook signature in constant time (for receivers written in TypeScript, and the tests). */
export function verifyWebhook(
  secret: string,
  timestamp: string,
  body: string,
  signature: string,
): boolean {
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && crypto.timingSafeEqual(expected, given);
}

const reasonOf = (body: unknown): string | undefined => {
  const b = body as { error?: string | { message?: string }; message?: string } | null;
  if (!b || typeof b !== 'object') return undefined;
  return typeof b.error === 'string' ? b.error : (b.error?.message ?? b.message);
};

/** A generic signed webhook: one JSON POST per delivery to CAMPAIGN_WEBHOOK_URL. */
export class WebhookPublisher implements Publisher {
  readonly channel = 'webhook' as const;
  // The receiver keeps the first delivery per Idempotency-Key, so an interrupted one is sent again.
  readonly idempotent = true;

  constructor(
    private readonly url: string,
    private readonly secret: string,
    private readonly timeoutMs: number,
  ) {}

  async publish(d: Delivery): Promise<PublishResult> {
    if (!this.url || !this.secret)
      throw new PublishError('permanent', 'not_configured', this.missingConfiguration().join(', '));
    const body = JSON.stringify({
      id: d.key,
      campaignId: d.campaignId,
      postId: d.postId,
      account: d.account,
      language: d.language,
      text: d.text,
      image: d.image,
      shareOf: d.shareOf,
      scheduledAt: d.scheduledAt,
      sentAt: new Date().toISOString(),
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const answer = await callPlatform({
      url: this.url,
      headers: {
        'Content-Type': 'application/json',
        'Idempotency-Key': d.key,
        'X-Campaign-Timestamp': timestamp,
        'X-Campaign-Signature': signWebhook(this.secret, timestamp, body),
      },
      body,
      timeoutMs: this.timeoutMs,
      reason: reasonOf,
    });
    const b = answer.body as { id?: unknown; url?: unknown } | null;
    return {
      externalId: b && typeof b === 'object' && typeof b.id === 'string' ? b.id : d.key,
      url: b && typeof b === 'object' && typeof b.url === 'string' ? b.url : null,
    };
  }

  missingConfiguration(): string[] {
    return [!this.url && 'CAMPAIGN_WEBHOOK_URL', !this.secret && 'CAMPAIGN_WEBHOOK_SECRET'].filter(
      (s): s is string => Boolean(s),
    );
  }
}

export const webhook = {
  channel: 'webhook' as const,
  create: (ctx: PublisherContext): Publisher =>
    new WebhookPublisher(
      ctx.config.CAMPAIGN_WEBHOOK_URL,
      ctx.config.CAMPAIGN_WEBHOOK_SECRET,
      ctx.config.CAMPAIGN_HTTP_TIMEOUT_MS,
    ),
};
