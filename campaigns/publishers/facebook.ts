import type { Language } from '../../knowledge/schema';
import type { Account } from '../model';
import type { CredentialLookup } from './credentials';
import { callPlatform } from './http';
import { FEED_PAGE, FeedPage, feedStartMs, lookBack } from './matching';
import { Delivery, Publisher, PublishError, PublishResult } from './publisher';
import type { PublisherContext } from './publisher';
import { credentialFor, TokenAccess, useToken } from './token-access';

/** A page of GET /{page-id}/feed; `paging.next` is there only when another page follows. */
interface GraphFeed {
  data?: { id: string; message?: string; created_time?: string }[];
  paging?: { cursors?: { before?: string; after?: string }; next?: string };
}

interface GraphError {
  error?: { message?: string; code?: number; is_transient?: boolean; error_user_msg?: string };
}

// Graph API throttling comes as 4xx with these codes (4, 17, 32, 613, 341: platform limits; 80001:
// the Business Use Case limit of Page tokens), temporary trouble with 1, 2 or is_transient: both
// are retried, the rest fail at once
// (https://developers.facebook.com/docs/graph-api/guides/error-handling).
const THROTTLED_CODES = new Set([4, 17, 32, 341, 613, 80001]);
const TEMPORARY_CODES = new Set([1, 2, 368]);
/** What a credential of this platform must hold. */
const FIELDS = ['pageId', 'accessToken'] as const;

export const graphReason = (body: unknown) =>
  (body as GraphError | null)?.error?.error_user_msg ?? (body as GraphError | null)?.error?.message;
const transient = (_status: number, body: unknown) => {
  const e = (body as GraphError | null)?.error;
  if (e?.code !== undefined && THROTTLED_CODES.has(e.code)) return 'throttled';
  if (e?.is_transient || (e?.code !== undefined && TEMPORARY_CODES.has(e.code))) return 'temporary';
  return null;
};

/**
 * Facebook Pages through the Graph API with a Page access token per account and language:
 * POST /{page-id}/feed (message, and a link to the original for a partner's share) or
 * POST /{page-id}/photos (image by URL, caption, alt_text_custom). An outcome in doubt is looked for
 * in GET /{page-id}/feed (since the first attempt, page by page with the `after` cursor).
 */
export class FacebookPublisher implements Publisher {
  readonly channel = 'facebook' as const;
  readonly idempotent = false;

  constructor(
    private readonly baseUrl: string,
    private readonly credentials: CredentialLookup,
    private readonly timeoutMs: number,
    private readonly tokens: TokenAccess | null = null,
  ) {}

  missingConfiguration(account: Account, language: Language): string[] {
    return this.credentials.missing(account, 'facebook', language, FIELDS);
  }

  private credential(d: Delivery) {
    return credentialFor(this.credentials, 'facebook', d, FIELDS);
  }

  async recover(d: Delivery, since: string): Promise<PublishResult | null> {
    // A share without a comment is a bare link: the feed does not give it back to match on.
    if (d.text === null)
      throw new PublishError(
        'permanent',
        'outcome_unknown',
        'a Facebook share without text cannot be found in the page feed; check the page',
      );
    const cred = this.credential(d);
    const readPage = async (cursor: string | null): Promise<FeedPage> => {
      const answer = await useToken(this.tokens, cred.ref, (token) => {
        const query = new URLSearchParams({
          fields: 'id,message,created_time',
          limit: String(FEED_PAGE),
          since: String(Math.floor(feedStartMs(since) / 1000)),
          access_token: token,
        });
        if (cursor) query.set('after', cursor);
        return callPlatform({
          url: `${this.baseUrl}/${encodeURIComponent(cred.pageId)}/feed?${query}`,
          method: 'GET',
          timeoutMs: this.timeoutMs,
          reason: graphReason,
          transient,
        });
      });
      const body = answer.body as GraphFeed | null;
      return {
        posts: (body?.data ?? []).map((p) => ({
          id: p.id,
          text: p.message ?? '',
          // Graph times are `2026-12-04T22:10:00+0000`.
          createdAtMs:
            Date.parse((p.created_time ?? '').replace(/([+-]\d\d)(\d\d)$/, '$1:$2')) || 0,
        })),
        // Only `next` says there is another page: a short (even empty) page may not be the last.
        next: body?.paging?.next ? (body.paging.cursors?.after ?? null) : null,
      };
    };
    const found = await lookBack('facebook', readPage, { text: d.text, refersTo: null, since });
    return found ? { externalId: found.id, url: `https://www.facebook.com/${found.id}` } : null;
  }

  async publish(d: Delivery): Promise<PublishResult> {
    const cred = this.credential(d);
    return useToken(this.tokens, cred.ref, (token) => this.publishWith(d, cred.pageId, token));
  }

  private async publishWith(d: Delivery, pageId: string, token: string): Promise<PublishResult> {
    const form = new URLSearchParams({ access_token: token });
    let edge = 'feed';
    if (d.text) form.set(d.image ? 'caption' : 'message', d.text);
    if (d.image) {
      edge = 'photos';
      form.set('url', d.image.url);
      form.set('alt_text_custom', d.image.alt);
      form.set('published', 'true');
    } else if (d.shareOf) {
      form.set('link', d.shareOf.url ?? `https://www.facebook.com/${d.shareOf.externalId}`);
    }
    const answer = await callPlatform({
      url: `${this.baseUrl}/${encodeURIComponent(pageId)}/${edge}`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form,
      timeoutMs: this.timeoutMs,
      reason: graphReason,
      transient,
      creates: true,
    });
    const b = answer.body as { id?: string; post_id?: string } | null;
    const id = b?.post_id ?? b?.id;
    if (!id)
      throw new PublishError(
        'permanent',
        'platform_error',
        `POST /${edge} answered without an id`,
        answer.status,
      );
    return { externalId: id, url: `https://www.facebook.com/${id}` };
  }
}

export const facebook = {
  channel: 'facebook' as const,
  create: (ctx: PublisherContext): Publisher =>
    new FacebookPublisher(
      ctx.config.CAMPAIGN_FACEBOOK_API_URL,
      ctx.credentials,
      ctx.config.CAMPAIGN_HTTP_TIMEOUT_MS,
      ctx.tokens ?? null,
    ),
};
