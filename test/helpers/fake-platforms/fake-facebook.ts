import {
  Account,
  FakePlatform,
  Received,
  Rejection,
  Reply,
  traceId,
  withFault,
} from './fake-platform';

/**
 * Facebook Pages through the Graph API as documented, checked on every request:
 * - a version prefix (/v23.0/…), the Page access token of that page in `access_token`
 *   (https://developers.facebook.com/docs/pages-api/getting-started);
 * - POST /{page-id}/feed, form fields `message` and/or `link`, `published`: `{ id: "{page}_{post}" }`;
 *   POST /{page-id}/photos with `url`, `caption`, `published`, `alt_text_custom`: `{ id, post_id }`
 *   (https://developers.facebook.com/docs/graph-api/reference/page/photos);
 * - GET /{page-id}/feed?fields=id,message,created_time&limit≤100&since=<unix>&after=<cursor>:
 *   `{ data, paging: { cursors: { before, after }, next } }`, newest first, `next` only when another
 *   page follows (https://developers.facebook.com/docs/graph-api/reference/page/feed,
 *   https://developers.facebook.com/docs/graph-api/results);
 * - errors `{ error: { message, type, code, error_subcode, fbtrace_id } }`: 190 for a bad or expired
 *   token (subcode 463 expired), 200 for a token of another page, 100 for a bad parameter
 *   (https://developers.facebook.com/docs/graph-api/guides/error-handling); throttling of a Page
 *   token is a Business Use Case limit, code 80001, with X-Business-Use-Case-Usage giving
 *   estimated_time_to_regain_access in minutes (https://developers.facebook.com/docs/graph-api/overview/rate-limiting/);
 *   there is no documented limit on alt text, so none is checked.
 * - GET /debug_token?input_token=…&access_token=… (an app token `{app-id}|{app-secret}`, or a valid
 *   token of the app): `{ data: { app_id, type: "PAGE", profile_id, scopes, expires_at (0: never),
 *   data_access_expires_at, is_valid, issued_at, error? } }`
 *   (https://developers.facebook.com/docs/graph-api/reference/debug_token). Page tokens have no
 *   refresh grant.
 */
export class FakeFacebook extends FakePlatform {
  constructor() {
    super((req, fake) => (fake as FakeFacebook).handle(req));
  }

  static async start(pages: Account[] = []): Promise<FakeFacebook> {
    const fake = new FakeFacebook();
    for (const p of pages) fake.addAccount(p);
    return fake.start();
  }

  private async handle(req: Received): Promise<Reply> {
    if (req.method === 'GET' && /^\/v\d+\.\d+\/debug_token$/.test(req.path))
      return this.debugToken(req);
    const m = /^\/v\d+\.\d+\/([^/]+)\/(feed|photos)$/.exec(req.path);
    if (!m || !['GET', 'POST'].includes(req.method))
      throw graphError(400, `Unknown path components: ${req.path}`, 'OAuthException', 2500);
    const [, pageId, edge] = m;
    const params = req.method === 'POST' ? this.formOf(req) : Object.fromEntries(req.query);
    this.authorize(params.access_token ?? null, pageId);
    if (req.method === 'GET') {
      if (edge !== 'feed')
        throw graphError(400, '(#100) Only the feed is read here', 'OAuthException', 100);
      return this.readFeed(pageId, params, req.path);
    }
    return edge === 'feed' ? this.postFeed(pageId, params) : this.postPhoto(pageId, params);
  }

  /**
   * GET /debug_token?input_token=…&access_token=…: what the input token is. The access token is an
   * app token `{app-id}|{app-secret}` of a registered app, or a valid token of the app.
   */
  private debugToken(req: Received): Reply {
    const access = req.query.get('access_token');
    const input = req.query.get('input_token');
    const [appId, appSecret] = (access ?? '').split('|');
    const appToken = appSecret !== undefined && this.clients.get(appId) === appSecret;
    if (!appToken) this.authorize(access, null);
    if (!input)
      throw graphError(400, '(#100) The parameter input_token is required', 'OAuthException', 100);
    const issued = this.tokens.get(input);
    if (!issued)
      return {
        status: 200,
        body: {
          data: {
            error: { code: 190, message: 'Invalid OAuth access token - Cannot parse access token' },
            is_valid: false,
            scopes: [],
          },
        },
      };
    const expired = issued.expiresAt !== undefined && Date.now() >= issued.expiresAt;
    const seconds = (ms: number) => Math.floor(ms / 1000);
    return {
      status: 200,
      body: {
        data: {
          app_id: '4242',
          type: 'PAGE',
          application: 'Campaigns',
          data_access_expires_at: seconds(issued.issuedAt + 90 * 86_400_000),
          expires_at: issued.expiresAt === undefined ? 0 : seconds(issued.expiresAt),
          is_valid: !expired,
          issued_at: seconds(issued.issuedAt),
          profile_id: issued.account,
          scopes: issued.scopes ?? [
            'pages_manage_posts',
            'pages_read_engagement',
            'pages_show_list',
          ],
          user_id: '9001',
          ...(expired
            ? {
                error: {
                  code: 190,
                  message: 'Error validating access token: Session has expired.',
                  subcode: 463,
                },
              }
            : {}),
        },
      },
    };
  }

  private formOf(req: Received): Record<string, string> {
    if (!req.form)
      throw graphError(
        400,
        '(#100) The request body must be application/x-www-form-urlencoded',
        'OAuthException',
        100,
      );
    return req.form;
  }

  private authorize(token: string | null, pageId: string | null): void {
    const account = this.tokenAccount(token);
    if (account === 'missing')
      throw graphError(
        400,
        'An active access token must be used to query information about the current user.',
        'OAuthException',
        2500,
      );
    if (account === 'invalid')
      throw graphError(
        400,
        'Invalid OAuth access token - Cannot parse access token',
        'OAuthException',
        190,
      );
    if (account === 'expired')
      throw graphError(
        400,
        'Error validating access token: Session has expired.',
        'OAuthException',
        190,
        463,
      );
    if (pageId === null) return;
    if (account.id !== pageId || !FakePlatform.grants(account, 'pages_manage_posts'))
      throw graphError(
        403,
        '(#200) If posting to a Page, requires both pages_read_engagement and pages_manage_posts as an admin with sufficient administrative permission',
        'OAuthException',
        200,
      );
  }

  private only(params: Record<string, string>, allowed: string[]): void {
    const extra = Object.keys(params).filter((k) => !allowed.includes(k) && k !== 'access_token');
    if (extra.length)
      throw graphError(
        400,
        `(#100) Param ${extra[0]} is not a valid parameter here`,
        'OAuthException',
        100,
      );
  }

  private create(
    pageId: string,
    text: string,
    refersTo: string | null,
    answer: (id: string) => unknown,
    alt: string | null,
  ): Reply {
    const fault = this.faultFor('create', pageId, text);
    return withFault(
      fault,
      () => {
        const photoId = this.nextId();
        const post = this.store({
          id: `${pageId}_${this.nextId()}`,
          account: pageId,
          text,
          sentText: text,
          media: alt === null ? [] : [{ id: photoId, alt }],
          refersTo,
          kind: 'post',
        });
        return { status: 200, body: answer(post.id) };
      },
      (f) =>
        f.kind === 'rate-limit' ? throttled(pageId, f.resetAfterSec) : serverError(f.status ?? 500),
    );
  }

  private postFeed(pageId: string, p: Record<string, string>): Reply {
    this.only(p, ['message', 'link', 'published']);
    if (!p.message && !p.link)
      throw graphError(400, '(#100) Missing message or attachment', 'OAuthException', 100);
    if (p.link && !/^https?:\/\/\S+$/.test(p.link))
      throw graphError(400, '(#100) link URL is not properly formatted', 'OAuthException', 100);
    return this.create(pageId, p.message ?? '', p.link ?? null, (id) => ({ id }), null);
  }

  private postPhoto(pageId: string, p: Record<string, string>): Reply {
    this.only(p, ['url', 'caption', 'published', 'alt_text_custom']);
    if (!p.url || !/^https?:\/\/\S+$/.test(p.url))
      throw graphError(400, '(#324) Requires upload file', 'OAuthException', 324);
    return this.create(
      pageId,
      p.caption ?? '',
      null,
      (postId) => ({ id: postId.split('_')[1], post_id: postId }),
      p.alt_text_custom ?? '',
    );
  }

  private readFeed(pageId: string, p: Record<string, string>, path: string): Reply {
    const limit = p.limit === undefined ? 25 : Number(p.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      throw graphError(
        400,
        '(#100) The parameter limit must be an integer between 1 and 100',
        'OAuthException',
        100,
      );
    if (p.since !== undefined && !/^\d+$/.test(p.since))
      throw graphError(
        400,
        '(#100) The parameter since must be a unix timestamp',
        'OAuthException',
        100,
      );
    const fault = this.faultFor('read', pageId, null);
    if (fault?.kind === 'rate-limit') throw new Rejection(throttled(pageId, fault.resetAfterSec));
    if (fault?.kind === 'server-error') throw new Rejection(serverError(fault.status ?? 500));
    const fields = (p.fields ?? 'id,message,created_time').split(',');
    const mine = this.postsOf(pageId);
    const { from, to } = this.window(pageId, p.since ? Number(p.since) * 1000 : -Infinity);
    let i = to - 1;
    if (p.after !== undefined) {
      const after = Buffer.from(p.after, 'base64').toString();
      const at = this.indexOf(after);
      if (at < from || at > i || mine[at].id !== after)
        throw graphError(
          400,
          '(#100) The parameter after is not a valid cursor',
          'OAuthException',
          100,
        );
      i = at - 1;
    }
    const posts = mine.slice(Math.max(from, i + 1 - limit), i + 1).reverse();
    const cursor = (id: string) => Buffer.from(id).toString('base64');
    const next = new URLSearchParams({ ...p, limit: String(limit) });
    if (posts.length) next.set('after', cursor(posts.at(-1)!.id));
    return {
      status: 200,
      body: {
        data: posts.map((x) => ({
          id: x.id,
          ...(fields.includes('message') && x.text ? { message: x.text } : {}),
          ...(fields.includes('created_time') ? { created_time: graphTime(x.createdAt) } : {}),
        })),
        ...(posts.length
          ? {
              paging: {
                cursors: { before: cursor(posts[0].id), after: cursor(posts.at(-1)!.id) },
                // `next` only when another page follows (the Graph API's end of the list).
                ...(i + 1 - limit > from ? { next: `${this.url}${path}?${next}` } : {}),
              },
            }
          : {}),
      },
    };
  }
}

/** Graph API times: `2026-12-04T22:10:00+0000`. */
const graphTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');

function graphError(
  status: number,
  message: string,
  type: string,
  code: number,
  subcode?: number,
): Rejection {
  return new Rejection({
    status,
    headers: {
      'www-authenticate': `OAuth "Facebook Platform" "${code === 190 ? 'invalid_token' : 'invalid_request'}" "${message}"`,
    },
    body: {
      error: {
        message,
        type,
        code,
        ...(subcode ? { error_subcode: subcode } : {}),
        fbtrace_id: traceId(),
      },
    },
  });
}

function throttled(pageId: string, resetAfterSec: number): Reply {
  return {
    status: 400,
    headers: {
      'x-business-use-case-usage': JSON.stringify({
        [pageId]: [
          {
            type: 'pages',
            call_count: 100,
            total_cputime: 20,
            total_time: 30,
            // Whole minutes: a wait shorter than one reads 0 (no wait given).
            estimated_time_to_regain_access: Math.round(resetAfterSec / 60),
          },
        ],
      }),
    },
    body: {
      error: {
        message: 'There have been too many calls to this Page account. Wait a bit and try again.',
        type: 'OAuthException',
        code: 80001,
        fbtrace_id: traceId(),
      },
    },
  };
}

function serverError(status: number): Reply {
  return {
    status,
    body: {
      error: {
        message: 'An unexpected error has occurred. Please retry your request later.',
        type: 'OAuthException',
        is_transient: true,
        code: 2,
        fbtrace_id: traceId(),
      },
    },
  };
}
