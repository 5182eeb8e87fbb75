import type { Language } from '../../knowledge/schema';
import type { Account } from '../model';
import type { CredentialLookup } from './credentials';
import { bearer, callPlatform, fetchImage } from './http';
import { FEED_PAGE, FeedPage, lookBack, MAX_LINKEDIN_FEED_PAGES } from './matching';
import { Delivery, Publisher, PublishError, PublishResult } from './publisher';
import type { PublisherContext } from './publisher';
import { credentialFor, TokenAccess, useToken } from './token-access';

interface LinkedInPost {
  id: string;
  commentary?: string;
  createdAt?: number;
  publishedAt?: number;
  lifecycleState?: string;
  reshareContext?: { parent?: string };
}

/** What a credential of this platform must hold. */
const FIELDS = ['accessToken', 'author'] as const;

export const linkedinReason = (body: unknown): string | undefined =>
  (body as { message?: string } | null)?.message;

/** LinkedIn's "little text format" gives these characters a meaning in `commentary`; plain text escapes them. */
export function escapeLittleText(text: string): string {
  return text.replace(/[\\|{}@[\]()<>#*_~]/g, (c) => `\\${c}`);
}

/**
 * LinkedIn Posts API (REST, versioned) with an organization access token and author URN per account:
 * POST /rest/posts (commentary, an image, or a reshare of the original for a partner's share), the
 * image uploaded first through POST /rest/images?action=initializeUpload and a PUT of its bytes. The
 * new post's URN comes back in the x-restli-id header. An outcome in doubt is looked for with
 * GET /rest/posts?author=…&q=author&sortBy=CREATED (the author's newest posts first, page by page with
 * start and count, back to the first attempt).
 */
export class LinkedInPublisher implements Publisher {
  readonly channel = 'linkedin' as const;
  readonly idempotent = false;

  constructor(
    private readonly baseUrl: string,
    private readonly version: string,
    private readonly credentials: CredentialLookup,
    private readonly timeoutMs: number,
    private readonly tokens: TokenAccess | null = null,
  ) {}

  missingConfiguration(account: Account, language: Language): string[] {
    return this.credentials.missing(account, 'linkedin', language, FIELDS);
  }

  private headers(token: string): Record<string, string> {
    return {
      ...bearer(token),
      'Content-Type': 'application/json',
      'LinkedIn-Version': this.version,
      'X-Restli-Protocol-Version': '2.0.0',
    };
  }

  private async uploadImage(
    image: { url: string },
    author: string,
    token: string,
  ): Promise<string> {
    const init = await callPlatform({
      url: `${this.baseUrl}/rest/images?action=initializeUpload`,
      headers: this.headers(token),
      body: JSON.stringify({ initializeUploadRequest: { owner: author } }),
      timeoutMs: this.timeoutMs,
      reason: linkedinReason,
    });
    const value = (init.body as { value?: { uploadUrl?: string; image?: string } } | null)?.value;
    if (!value?.uploadUrl || !value.image)
      throw new PublishError(
        'retryable',
        'platform_error',
        'image upload was not initialized',
        init.status,
      );
    const { bytes, type } = await fetchImage(image.url, this.timeoutMs);
    await callPlatform({
      url: value.uploadUrl,
      method: 'PUT',
      headers: { ...bearer(token), 'Content-Type': type },
      body: bytes,
      timeoutMs: this.timeoutMs,
      reason: linkedinReason,
    });
    return value.image;
  }

  private credential(d: Delivery) {
    return credentialFor(this.credentials, 'linkedin', d, FIELDS);
  }

  async recover(d: Delivery, since: string): Promise<PublishResult | null> {
    const cred = this.credential(d);
    const readPage = async (cursor: string | null): Promise<FeedPage> => {
      const start = Number(cursor ?? 0);
      const query = `author=${encodeURIComponent(cred.author)}&q=author&start=${start}&count=${FEED_PAGE}&sortBy=CREATED`;
      const answer = await useToken(this.tokens, cred.ref, (token) =>
        callPlatform({
          url: `${this.baseUrl}/rest/posts?${query}`,
          method: 'GET',
          headers: { ...this.headers(token), 'X-RestLi-Method': 'FINDER' },
          timeoutMs: this.timeoutMs,
          reason: linkedinReason,
        }),
      );
      const body = answer.body as {
        elements?: LinkedInPost[];
        paging?: { total?: number };
      } | null;
      const elements = body?.elements ?? [];
      const end = start + elements.length;
      // A page shorter than asked for is the last; so is one that reaches the total, when given.
      const last = elements.length < FEED_PAGE || end >= (body?.paging?.total ?? Infinity);
      return {
        posts: elements
          .filter((p) => p.lifecycleState === undefined || p.lifecycleState === 'PUBLISHED')
          .map((p) => ({
            id: p.id,
            text: p.commentary ?? '',
            createdAtMs: p.createdAt ?? p.publishedAt ?? 0,
            refersTo: p.reshareContext?.parent ?? null,
          })),
        next: last ? null : String(end),
      };
    };
    const found = await lookBack(
      'linkedin',
      readPage,
      {
        // LinkedIn gives the commentary back as it was sent, in the little text format.
        text: d.text === null ? null : escapeLittleText(d.text),
        refersTo: d.shareOf?.externalId ?? null,
        since,
      },
      MAX_LINKEDIN_FEED_PAGES,
    );
    return found
      ? { externalId: found.id, url: `https://www.linkedin.com/feed/update/${found.id}` }
      : null;
  }

  async publish(d: Delivery): Promise<PublishResult> {
    const cred = this.credential(d);
    return useToken(this.tokens, cred.ref, (token) => this.publishWith(d, cred.author, token));
  }

  private async publishWith(d: Delivery, author: string, token: string): Promise<PublishResult> {
    const post: Record<string, unknown> = {
      author,
      commentary: d.text === null ? '' : escapeLittleText(d.text),
      visibility: 'PUBLIC',
      distribution: {
        feedDistribution: 'MAIN_FEED',
        targetEntities: [],
        thirdPartyDistributionChannels: [],
      },
      lifecycleState: 'PUBLISHED',
      isReshareDisabledByAuthor: false,
    };
    if (d.image)
      post.content = {
        media: {
          id: await this.uploadImage(d.image, author, token),
          altText: d.image.alt,
        },
      };
    if (d.shareOf) post.reshareContext = { parent: d.shareOf.externalId };
    const answer = await callPlatform({
      url: `${this.baseUrl}/rest/posts`,
      headers: this.headers(token),
      body: JSON.stringify(post),
      timeoutMs: this.timeoutMs,
      reason: linkedinReason,
      creates: true,
    });
    const id = answer.headers.get('x-restli-id') ?? answer.headers.get('x-linkedin-id');
    if (!id)
      throw new PublishError(
        'permanent',
        'platform_error',
        'POST /rest/posts answered without x-restli-id',
        answer.status,
      );
    return { externalId: id, url: `https://www.linkedin.com/feed/update/${id}` };
  }
}

export const linkedin = {
  channel: 'linkedin' as const,
  create: (ctx: PublisherContext): Publisher =>
    new LinkedInPublisher(
      ctx.config.CAMPAIGN_LINKEDIN_API_URL,
      ctx.config.CAMPAIGN_LINKEDIN_VERSION,
      ctx.credentials,
      ctx.config.CAMPAIGN_HTTP_TIMEOUT_MS,
      ctx.tokens ?? null,
    ),
};
