import twitter from 'twitter-text';
import {
  Account,
  bearerToken,
  FakePlatform,
  imageType,
  Received,
  Rejection,
  Reply,
  StoredPost,
  withFault,
} from './fake-platform';

/**
 * X API v2 as its documentation describes it, checked on every request:
 * - POST /2/tweets, JSON `{ text, media: { media_ids }, quote_tweet_id }`, 201 `{ data: { id, text } }`
 *   (https://docs.x.com/x-api/posts/manage-tweets/quickstart); text of at most 280 weighted characters
 *   counted by the official twitter-text library (every link 23); the same text twice in a row is
 *   refused with 403 "duplicate content".
 * - POST /2/media/upload, multipart `media` + `media_category` (tweet_image…), `{ data: { id, media_key } }`;
 *   POST /2/media/metadata `{ id, metadata: { alt_text: { text } } }`, alt text ≤ 1000 characters
 *   (https://docs.x.com/x-api/media/create-media-metadata, https://docs.x.com/x-api/media/image-or-subtitle-media-upload).
 * - POST /2/users/:id/retweets `{ tweet_id }`, only as the token's own user.
 * - GET /2/users/:id/tweets with max_results 5–100, start_time in seconds (no milliseconds),
 *   tweet.fields, pagination_token; `{ data, meta: { result_count, newest_id, oldest_id,
 *   next_token (when another page follows), previous_token } }`, the 3,200 most recent posts at most
 *   (https://docs.x.com/x-api/posts/timelines/quickstart/reverse-chron-quickstart,
 *   https://docs.x.com/x-api/fundamentals/pagination).
 * - OAuth 2.0 user tokens (Authorization: Bearer); errors are problem documents `{ title, detail,
 *   type, status }`; 429 carries x-rate-limit-limit, -remaining and -reset (epoch seconds)
 *   (https://docs.x.com/fundamentals/rate-limits). An expired or unknown token answers 401.
 * - POST /2/oauth2/token, form grant_type=refresh_token, refresh_token, client_id (public client) or
 *   HTTP Basic client_id:client_secret (confidential client): `{ token_type, expires_in: 7200,
 *   access_token, scope, refresh_token }`; the refresh token rotates, and the one used answers 400
 *   `{ error: "invalid_request", error_description: "Value passed for the token was invalid." }`
 *   (https://docs.x.com/fundamentals/authentication/oauth-2-0/authorization-code).
 * - GET /2/users/me (tweet.read, users.read): `{ data: { id, name, username } }`; posting needs
 *   tweet.write (403 otherwise).
 */
export class FakeX extends FakePlatform {
  private readonly media = new Map<string, { owner: string; alt: string | null }>();

  constructor() {
    super((req, fake) => (fake as FakeX).handle(req));
  }

  static async start(accounts: Account[] = []): Promise<FakeX> {
    const fake = new FakeX();
    for (const a of accounts) fake.addAccount(a);
    return fake.start();
  }

  /** Creates as the platform would show in a feed: links wrapped in t.co, 23 characters each. */
  static shown(text: string): string {
    let out = '';
    let last = 0;
    for (const { url, indices } of twitter.extractUrlsWithIndices(text)) {
      out += text.slice(last, indices[0]) + `https://t.co/${tco(url)}`;
      last = indices[1];
    }
    return (out + text.slice(last))
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;');
  }

  private async handle(req: Received): Promise<Reply> {
    if (req.method === 'POST' && req.path === '/2/oauth2/token') return this.token(req);
    const user = this.user(req);
    if (req.method === 'GET' && req.path === '/2/users/me') return this.me(user);
    if (req.method === 'POST' && req.path === '/2/tweets') return this.createTweet(req, user);
    if (req.method === 'POST' && req.path === '/2/media/upload') return this.upload(req, user);
    if (req.method === 'POST' && req.path === '/2/media/metadata') return this.metadata(req, user);
    const retweet = /^\/2\/users\/([^/]+)\/retweets$/.exec(req.path);
    if (req.method === 'POST' && retweet) return this.retweet(req, user, retweet[1]);
    const timeline = /^\/2\/users\/([^/]+)\/tweets$/.exec(req.path);
    if (req.method === 'GET' && timeline) return this.timeline(req, user, timeline[1]);
    throw problem(
      404,
      'Not Found Error',
      `Could not find ${req.method} ${req.path}`,
      'resource-not-found',
    );
  }

  private user(req: Received): Account {
    const account = this.tokenAccount(bearerToken(req));
    if (typeof account === 'string') throw problem(401, 'Unauthorized', 'Unauthorized', null);
    return account;
  }

  /**
   * The refresh grant: form grant_type=refresh_token, refresh_token, and client_id (public client)
   * or HTTP Basic client_id:client_secret (confidential client). Answers a new access token (two
   * hours) and a new refresh token; the refresh token used is refused from then on.
   */
  private token(req: Received): Reply {
    if (!req.form)
      return oauthError(
        400,
        'invalid_request',
        'Content-Type must be application/x-www-form-urlencoded',
      );
    const client = this.clientOf(req);
    const known = client ? this.clients.get(client.id) : undefined;
    if (!client || known === undefined || (known !== null && known !== client.secret))
      return oauthError(401, 'unauthorized_client', 'Missing valid authorization header');
    if (known !== null && !String(req.headers.authorization ?? '').startsWith('Basic '))
      return oauthError(401, 'unauthorized_client', 'Missing valid authorization header');
    if (req.form.grant_type !== 'refresh_token')
      return oauthError(400, 'unsupported_grant_type', 'Grant type is not supported.');
    if (!req.form.refresh_token)
      return oauthError(400, 'invalid_request', 'Missing required parameter [refresh_token].');
    const r = this.redeem(req.form.refresh_token, client.id);
    if (typeof r === 'string')
      return oauthError(400, 'invalid_request', 'Value passed for the token was invalid.');
    return {
      status: 200,
      body: {
        token_type: 'bearer',
        expires_in: r.expiresInSec,
        access_token: r.accessToken,
        scope: (r.scopes ?? ['tweet.read', 'tweet.write', 'users.read', 'offline.access']).join(
          ' ',
        ),
        refresh_token: r.refreshToken,
      },
    };
  }

  /** GET /2/users/me: the token's own user (needs tweet.read and users.read). */
  private me(user: Account): Reply {
    if (!FakePlatform.grants(user, 'users.read') || !FakePlatform.grants(user, 'tweet.read'))
      throw problem(403, 'Forbidden', 'You are not permitted to perform this action.', null);
    return {
      status: 200,
      body: { data: { id: user.id, name: `Account ${user.id}`, username: `account${user.id}` } },
    };
  }

  private jsonBody(req: Received): Record<string, unknown> {
    if (!String(req.headers['content-type']).startsWith('application/json'))
      throw invalid('Content-Type must be application/json');
    if (!req.json || typeof req.json !== 'object' || Array.isArray(req.json))
      throw invalid('The request body is not a JSON object');
    return req.json as Record<string, unknown>;
  }

  private createTweet(req: Received, user: Account): Reply {
    if (!FakePlatform.grants(user, 'tweet.write'))
      throw problem(403, 'Forbidden', 'You are not permitted to perform this action.', null);
    const body = this.jsonBody(req);
    const unknown = Object.keys(body).filter(
      (k) => !['text', 'media', 'quote_tweet_id', 'reply', 'reply_settings', 'poll'].includes(k),
    );
    if (unknown.length)
      throw invalid(
        `The query parameter [${unknown[0]}] is not one of [text, media, quote_tweet_id, reply, reply_settings, poll]`,
      );
    const text = typeof body.text === 'string' ? body.text : '';
    const mediaIds = (body.media as { media_ids?: unknown } | undefined)?.media_ids;
    if (
      mediaIds !== undefined &&
      (!Array.isArray(mediaIds) || mediaIds.length < 1 || mediaIds.length > 4)
    )
      throw invalid('media.media_ids must hold 1 to 4 media ids');
    for (const id of (mediaIds as string[] | undefined) ?? [])
      if (this.media.get(String(id))?.owner !== user.id)
        throw invalid('Your media IDs are invalid.');
    if (!text && !mediaIds) throw invalid('text or media is required');
    const parsed = twitter.parseTweet(text);
    if (text && !parsed.valid)
      throw invalid(
        `Your Tweet text is too long (${parsed.weightedLength} weighted characters; 280 at most).`,
      );
    const quote = body.quote_tweet_id;
    if (quote !== undefined && (typeof quote !== 'string' || !/^\d+$/.test(quote)))
      throw invalid('quote_tweet_id must be a post id');
    const fault = this.faultFor('create', user.id, text);
    return withFault(
      fault,
      () => {
        const mine = this.postsOf(user.id);
        let n = mine.length - 1;
        while (n >= 0 && mine[n].kind !== 'post') n -= 1;
        const last = mine[n];
        if (text && last?.sentText === text) {
          this.refusedRepeats += 1;
          throw problem(
            403,
            'Forbidden',
            'You are not allowed to create a Tweet with duplicate content.',
            null,
          );
        }
        const post = this.store({
          account: user.id,
          text: FakeX.shown(text),
          sentText: text,
          media: ((mediaIds as string[] | undefined) ?? []).map((id) => ({
            id,
            alt: this.media.get(id)?.alt ?? null,
          })),
          refersTo: (quote as string | undefined) ?? null,
          kind: 'post',
        });
        return {
          status: 201,
          body: { data: { id: post.id, text: post.text, edit_history_tweet_ids: [post.id] } },
        };
      },
      (f) =>
        f.kind === 'rate-limit' ? rateLimited(f.resetAfterSec) : serverError(f.status ?? 503),
    );
  }

  private async upload(req: Received, user: Account): Promise<Reply> {
    if (!String(req.headers['content-type']).startsWith('multipart/form-data'))
      throw invalid('media upload must be multipart/form-data');
    const form = await new Request('http://fake/', {
      method: 'POST',
      headers: { 'content-type': String(req.headers['content-type']) },
      body: req.body,
    }).formData();
    const media = form.get('media');
    const category = form.get('media_category');
    if (!(media instanceof Blob))
      throw invalid('media is required (raw bytes in a multipart part)');
    if (
      category !== null &&
      !['tweet_image', 'tweet_gif', 'tweet_video'].includes(String(category))
    )
      throw invalid(
        `media_category ${String(category)} is not one of tweet_image, tweet_gif, tweet_video…`,
      );
    const bytes = Buffer.from(await media.arrayBuffer());
    if (!imageType(bytes)) throw invalid('media type unrecognized.');
    if (bytes.length > 5 * 1024 * 1024) throw invalid('File size exceeds 5242880 bytes.');
    const id = this.nextId();
    this.media.set(id, { owner: user.id, alt: null });
    return {
      status: 200,
      body: { data: { id, media_key: `3_${id}`, size: bytes.length, expires_after_secs: 86400 } },
    };
  }

  private metadata(req: Received, user: Account): Reply {
    const body = this.jsonBody(req);
    const media = this.media.get(String(body.id));
    if (!media || media.owner !== user.id)
      throw invalid('id does not name media uploaded by this user');
    const alt = (body.metadata as { alt_text?: { text?: unknown } } | undefined)?.alt_text?.text;
    if (typeof alt !== 'string' || alt.length < 1)
      throw invalid('metadata.alt_text.text is required');
    if ([...alt].length > 1000)
      throw invalid('metadata.alt_text.text must be 1000 characters or fewer');
    media.alt = alt;
    return {
      status: 200,
      body: { data: { id: body.id, associated_metadata: { alt_text: { text: alt } } } },
    };
  }

  private retweet(req: Received, user: Account, id: string): Reply {
    if (id !== user.id)
      throw problem(403, 'Forbidden', 'You are not permitted to perform this action.', null);
    const tweetId = this.jsonBody(req).tweet_id;
    if (typeof tweetId !== 'string' || !/^\d+$/.test(tweetId))
      throw invalid('tweet_id must be a post id');
    const fault = this.faultFor('create', user.id, `RT ${tweetId}`);
    return withFault(
      fault,
      () => {
        if (!this.postsOf(user.id).some((p) => p.kind === 'repost' && p.refersTo === tweetId))
          this.store({
            account: user.id,
            text: '',
            sentText: `RT ${tweetId}`,
            media: [],
            refersTo: tweetId,
            kind: 'repost',
          });
        return { status: 200, body: { data: { retweeted: true } } };
      },
      (f) =>
        f.kind === 'rate-limit' ? rateLimited(f.resetAfterSec) : serverError(f.status ?? 503),
    );
  }

  private timeline(req: Received, _user: Account, id: string): Reply {
    const max = req.query.get('max_results');
    if (max !== null && (!/^\d+$/.test(max) || Number(max) < 5 || Number(max) > 100))
      throw invalid(`The \`max_results\` query parameter value [${max}] is not between 5 and 100`);
    const start = req.query.get('start_time');
    if (start !== null && !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(start))
      throw invalid(`Invalid start_time [${start}]: YYYY-MM-DDTHH:mm:ssZ, without milliseconds`);
    const fields = (req.query.get('tweet.fields') ?? '').split(',').filter(Boolean);
    const fault = this.faultFor('read', id, null);
    if (fault?.kind === 'rate-limit') throw new Rejection(rateLimited(fault.resetAfterSec));
    if (fault?.kind === 'server-error') throw new Rejection(serverError(fault.status ?? 503));
    const exclude = (req.query.get('exclude') ?? '').split(',');
    const mine = this.postsOf(id);
    const shows = (i: number) => !(exclude.includes('retweets') && mine[i].kind === 'repost');
    // The 3,200 most recent posts shown, however far they are paged; start_time narrows them.
    const shown = this.window(id);
    const bounds = this.window(id, start ? Date.parse(start) : -Infinity);
    const from = Math.max(bounds.from, shown.to - TIMELINE_CAP);
    let i = bounds.to - 1;
    const token = req.query.get('pagination_token');
    if (token !== null) {
      const after = Buffer.from(token, 'base64url').toString();
      const at = after.startsWith('after:') ? this.indexOf(after.slice(6)) : -1;
      if (at < from || at > i || mine[at].id !== after.slice(6) || !shows(at))
        throw invalid(`The \`pagination_token\` query parameter value [${token}] is not valid`);
      i = at - 1;
    }
    const size = Number(max ?? 10);
    const posts: StoredPost[] = [];
    for (; i >= from && posts.length < size; i -= 1) if (shows(i)) posts.push(mine[i]);
    while (i >= from && !shows(i)) i -= 1;
    const more = i >= from;
    if (!posts.length) return { status: 200, body: { meta: { result_count: 0 } } };
    return {
      status: 200,
      body: {
        data: posts.map((p) => ({
          id: p.id,
          text: p.kind === 'repost' ? `RT: ${p.refersTo}` : p.text,
          edit_history_tweet_ids: [p.id],
          ...(fields.includes('created_at')
            ? { created_at: new Date(p.createdAt).toISOString() }
            : {}),
          ...(fields.includes('referenced_tweets') && p.refersTo
            ? {
                referenced_tweets: [
                  { type: p.kind === 'repost' ? 'retweeted' : 'quoted', id: p.refersTo },
                ],
              }
            : {}),
        })),
        meta: {
          result_count: posts.length,
          newest_id: posts[0].id,
          oldest_id: posts.at(-1)!.id,
          ...(more ? { next_token: paginationToken(posts.at(-1)!.id) } : {}),
          ...(token !== null ? { previous_token: paginationToken(posts[0].id) } : {}),
        },
      },
    };
  }
}

/** The timelines give the 3,200 most recent posts of an account, however far they are paged. */
const TIMELINE_CAP = 3200;

/** An opaque cursor: the page goes on after the post it names. */
const paginationToken = (id: string) => Buffer.from(`after:${id}`).toString('base64url');

function tco(url: string): string {
  let h = 0;
  for (const c of url) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h.toString(36).padStart(10, '0').slice(0, 10);
}

function problem(status: number, title: string, detail: string, type: string | null): Rejection {
  return new Rejection({
    status,
    body: {
      title,
      detail,
      type: type ? `https://api.twitter.com/2/problems/${type}` : 'about:blank',
      status,
    },
  });
}

/** The token endpoint's errors (RFC 6749 §5.2), as X answers them. */
function oauthError(status: number, error: string, description: string): Reply {
  return { status, body: { error, error_description: description } };
}

function invalid(message: string): Rejection {
  return new Rejection({
    status: 400,
    body: {
      errors: [{ message }],
      title: 'Invalid Request',
      detail: 'One or more parameters to your request was invalid.',
      type: 'https://api.twitter.com/2/problems/invalid-request',
    },
  });
}

function rateLimited(resetAfterSec: number): Reply {
  return {
    status: 429,
    headers: {
      'x-rate-limit-limit': '100',
      'x-rate-limit-remaining': '0',
      'x-rate-limit-reset': String(Math.ceil(Date.now() / 1000) + resetAfterSec),
    },
    body: {
      title: 'Too Many Requests',
      detail: 'Too Many Requests',
      type: 'about:blank',
      status: 429,
    },
  };
}

function serverError(status: number): Reply {
  return {
    status,
    body: {
      title: 'Service Unavailable',
      detail: 'Service Unavailable',
      type: 'about:blank',
      status,
    },
  };
}
