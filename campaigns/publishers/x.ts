import type { Language } from '../../knowledge/schema';
import type { Account } from '../model';
import type { CredentialLookup } from './credentials';
import { bearer, callPlatform, fetchImage } from './http';
import { FEED_PAGE, FeedPage, feedStartMs, lookBack } from './matching';
import { Delivery, Publisher, PublishError, PublishResult } from './publisher';
import type { PublisherContext } from './publisher';
import { credentialFor, TokenAccess, useToken } from './token-access';

interface XTweet {
  id: string;
  text?: string;
  created_at?: string;
  referenced_tweets?: { type: string; id: string }[];
}

/** What a credential of this platform must hold. */
const FIELDS = ['accessToken', 'userId'] as const;

export const xReason = (body: unknown): string | undefined => {
  const b = body as {
    detail?: string;
    title?: string;
    errors?: { message?: string; detail?: string }[];
  } | null;
  if (!b || typeof b !== 'object') return undefined;
  // An invalid request's detail is generic ("One or more parameters…"): the first error says which.
  return b.errors?.[0]?.message ?? b.errors?.[0]?.detail ?? b.detail ?? b.title;
};

/**
 * X (Twitter) API v2 with an OAuth 2.0 user-context access token per account and language:
 * POST /2/tweets (text, media, quote), POST /2/media/upload and /2/media/metadata for an image and its
 * alt text, POST /2/users/{id}/retweets for a partner's plain repost. Rate limits answer 429 with
 * x-rate-limit-reset, which the retry honours. An outcome in doubt is looked for in the account's
 * timeline, GET /2/users/{id}/tweets (from the first attempt, page by page with meta.next_token as
 * pagination_token), which needs the account's `userId`.
 */
export class XPublisher implements Publisher {
  readonly channel = 'x' as const;
  readonly idempotent = false;

  constructor(
    private readonly baseUrl: string,
    private readonly credentials: CredentialLookup,
    private readonly timeoutMs: number,
    private readonly tokens: TokenAccess | null = null,
  ) {}

  missingConfiguration(account: Account, language: Language): string[] {
    return this.credentials.missing(account, 'x', language, FIELDS);
  }

  private json(path: string, token: string, payload: unknown, creates = false) {
    return callPlatform({
      url: `${this.baseUrl}${path}`,
      headers: { ...bearer(token), 'Content-Type': 'application/json' },
      body: JSON.stringify(payload),
      timeoutMs: this.timeoutMs,
      reason: xReason,
      creates,
    });
  }

  private credential(d: Delivery) {
    return credentialFor(this.credentials, 'x', d, FIELDS);
  }

  async recover(d: Delivery, since: string): Promise<PublishResult | null> {
    const cred = this.credential(d);
    const repost = d.shareOf !== null && d.text === null;
    // start_time is in whole seconds (the API refuses milliseconds).
    const start = new Date(Math.floor(feedStartMs(since) / 1000) * 1000);
    const readPage = async (cursor: string | null): Promise<FeedPage> => {
      const query = new URLSearchParams({
        max_results: String(FEED_PAGE),
        start_time: start.toISOString().replace(/\.\d{3}Z$/, 'Z'),
        'tweet.fields': 'created_at,referenced_tweets',
      });
      if (cursor) query.set('pagination_token', cursor);
      const answer = await useToken(this.tokens, cred.ref, (token) =>
        callPlatform({
          url: `${this.baseUrl}/2/users/${encodeURIComponent(cred.userId)}/tweets?${query}`,
          method: 'GET',
          headers: bearer(token),
          timeoutMs: this.timeoutMs,
          reason: xReason,
        }),
      );
      const body = answer.body as { data?: XTweet[]; meta?: { next_token?: string } } | null;
      return {
        posts: (body?.data ?? []).map((t) => ({
          id: t.id,
          text: t.text ?? '',
          createdAtMs: Date.parse(t.created_at ?? '') || 0,
          refersTo:
            t.referenced_tweets?.find((r) => r.type === (repost ? 'retweeted' : 'quoted'))?.id ??
            null,
        })),
        next: body?.meta?.next_token ?? null,
      };
    };
    const found = await lookBack('x', readPage, {
      text: d.text,
      refersTo: d.shareOf?.externalId ?? null,
      since,
    });
    if (!found) return null;
    return repost
      ? { externalId: `repost-${d.shareOf!.externalId}`, url: d.shareOf!.url }
      : { externalId: found.id, url: `https://x.com/i/web/status/${found.id}` };
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
      reason: xReason,
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
    const cred = this.credential(d);
    return useToken(this.tokens, cred.ref, (token) => this.publishWith(d, cred.userId, token));
  }

  private async publishWith(d: Delivery, userId: string, token: string): Promise<PublishResult> {
    if (d.shareOf && d.text === null) {
      await this.json(
        `/2/users/${encodeURIComponent(userId)}/retweets`,
        token,
        { tweet_id: d.shareOf.externalId },
        true,
      );
      return { externalId: `repost-${d.shareOf.externalId}`, url: d.shareOf.url };
    }
    const tweet: { text: string; quote_tweet_id?: string; media?: { media_ids: string[] } } = {
      text: d.text ?? '',
    };
    if (d.shareOf) tweet.quote_tweet_id = d.shareOf.externalId;
    if (d.image) tweet.media = { media_ids: [await this.uploadImage(d.image, token)] };
    const answer = await this.json('/2/tweets', token, tweet, true);
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
      ctx.tokens ?? null,
    ),
};
