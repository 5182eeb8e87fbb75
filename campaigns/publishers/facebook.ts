import type { Language } from '../../knowledge/schema';
import type { Account } from '../model';
import type { Credentials } from './credentials';
import { callPlatform } from './http';
import { Delivery, Publisher, PublishError, PublishResult } from './publisher';
import type { PublisherContext } from './publisher';

interface GraphError {
  error?: { message?: string; code?: number; is_transient?: boolean; error_user_msg?: string };
}

// Graph API throttling and temporary errors come as 400s with these codes (4, 17, 32, 613: rate
// limits; 1, 2: temporary): they are retried, the rest fail at once.
const TRANSIENT_CODES = new Set([1, 2, 4, 17, 32, 341, 368, 613]);
const reasonOf = (body: unknown) =>
  (body as GraphError | null)?.error?.error_user_msg ?? (body as GraphError | null)?.error?.message;
const transient = (_status: number, body: unknown) => {
  const e = (body as GraphError | null)?.error;
  return Boolean(e?.is_transient) || (e?.code !== undefined && TRANSIENT_CODES.has(e.code));
};

/**
 * Facebook Pages through the Graph API with a Page access token per account and language:
 * POST /{page-id}/feed (message, and a link to the original for a partner's share) or
 * POST /{page-id}/photos (image by URL, caption, alt_text_custom).
 */
export class FacebookPublisher implements Publisher {
  readonly channel = 'facebook' as const;
  readonly idempotent = false;

  constructor(
    private readonly baseUrl: string,
    private readonly credentials: Credentials,
    private readonly timeoutMs: number,
  ) {}

  missingConfiguration(account: Account, language: Language): string[] {
    return this.credentials.missing(account, 'facebook', language, ['pageId', 'accessToken']);
  }

  async publish(d: Delivery): Promise<PublishResult> {
    const cred = this.credentials.get(d.account, 'facebook', d.language);
    if (!cred?.pageId || !cred.accessToken)
      throw new PublishError(
        'permanent',
        'not_configured',
        this.missingConfiguration(d.account, d.language).join(', '),
      );
    const form = new URLSearchParams({ access_token: cred.accessToken });
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
      url: `${this.baseUrl}/${encodeURIComponent(cred.pageId)}/${edge}`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form,
      timeoutMs: this.timeoutMs,
      reason: reasonOf,
      transient,
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
    ),
};
