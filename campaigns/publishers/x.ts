import type { Language } from '../../knowledge/schema';
import type { Account } from '../model';
import type { Credentials } from './credentials';
import { bearer, callPlatform, fetchImage } from './http';
import { Delivery, Publisher, PublishError, PublishResult } from './publisher';
import type { PublisherContext } from './publisher';

const reasonOf = (body: unknown): string | undefined => {
  const b = body as {
    detail?: string;
    title?: string;
    errors?: { message?: string; detail?: string }[];
  } | null;
  if (!b || typeof b !== 'object') return undefined;
  return b.detail ?? b.errors?.[0]?.message ?? b.errors?.[0]?.detail ?? b.title;
};

/**
 * X (Twitter) API v2 with an OAuth 2.0 user-context access token per account and language:
 * POST /2/tweets (text, media, quote), POST /2/media/upload and /2/media/metadata for an image and its
 * alt text, POST /2/users/{id}/retweets for a partner's plain repost. Rate limits answer 429 with
 * x-rate-limit-reset, which the retry honours.
 */
export class XPublisher implements Publisher {
  readonly channel = 'x' as const;
  readonly idempotent = false;

  constructor(
    private readonly baseUrl: string,
    private readonly credentials: Credentials,
    private readonly timeoutMs: number,
  ) {}

  missingConfiguration(account: Account, language: Language): string[] {
    return this.credentials.missing(account, 'x', language, ['accessToken']);
  }

  private json(path: string, token: string, payload: unknown) {
    return callPlatform({
      url: `${this.baseUrl}${path}`,
      headers: { ...bearer(token), 'Content-Type': 'application/json' },
      body: JSON.stringify(payload),
      timeoutMs: this.timeoutMs,
      reason: reasonOf,
    });
  }

  private async uploadImage(image: { url: string; alt: string }, token: string): Promise<string> {
    const { bytes, type } = await fetchImage(image.url, this.timeoutMs);
    const form = new FormData();
    form.append('media', new Blob([bytes], { type }), 'image');
    form.append('media_category', 'tweet_image');
    form.append('media_type', type);
    const uploaded = await callPlatform({
      url: `${this.baseUrl}/2/media/upload`,
      headers: bearer(token),
      body: form,
      timeoutMs: this.timeoutMs,
      reason: reasonOf,
    });
    const id = (uploaded.body as { data?: { id?: string } } | null)?.data?.id;
    if (!id)
      throw new PublishError(
        'retryable',
        'platform_error',
        'media upload answered without a media id',
        uploaded.status,
      );
    await this.json('/2/media/metadata', token, {
      id,
      metadata: { alt_text: { text: image.alt } },
    });
    return id;
  }

  async publish(d: Delivery): Promise<PublishResult> {
    const cred = this.credentials.get(d.account, 'x', d.language);
    if (!cred?.accessToken)
      throw new PublishError(
        'permanent',
        'not_configured',
        this.missingConfiguration(d.account, d.language).join(', '),
      );
    if (d.shareOf && d.text === null) {
      if (!cred.userId)
        throw new PublishError(
          'permanent',
          'not_configured',
          `${d.account}.x.${d.language}.userId`,
        );
      await this.json(`/2/users/${encodeURIComponent(cred.userId)}/retweets`, cred.accessToken, {
        tweet_id: d.shareOf.externalId,
      });
      return { externalId: `repost-${d.shareOf.externalId}`, url: d.shareOf.url };
    }
    const tweet: { text: string; quote_tweet_id?: string; media?: { media_ids: string[] } } = {
      text: d.text ?? '',
    };
    if (d.shareOf) tweet.quote_tweet_id = d.shareOf.externalId;
    if (d.image) tweet.media = { media_ids: [await this.uploadImage(d.image, cred.accessToken)] };
    const answer = await this.json('/2/tweets', cred.accessToken, tweet);
    const id = (answer.body as { data?: { id?: string } } | null)?.data?.id;
    if (!id)
      throw new PublishError(
        'permanent',
        'platform_error',
        'POST /2/tweets answered without a post id',
        answer.status,
      );
    return { externalId: id, url: `https://x.com/i/web/status/${id}` };
  }
}

export const x = {
  channel: 'x' as const,
  create: (ctx: PublisherContext): Publisher =>
    new XPublisher(
      ctx.config.CAMPAIGN_X_API_URL,
      ctx.credentials,
      ctx.config.CAMPAIGN_HTTP_TIMEOUT_MS,
    ),
};
