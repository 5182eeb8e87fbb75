import {
  Account,
  bearerToken,
  FakePlatform,
  imageType,
  Received,
  Rejection,
  Reply,
  withFault,
} from './fake-platform';

/** Versions are supported for a year after their month (https://learn.microsoft.com/en-us/linkedin/marketing/versioning). */
export function activeVersion(version: string, now = new Date()): boolean {
  const m = /^(\d{4})(\d{2})(\.\d{2})?$/.exec(version);
  if (!m) return false;
  const months = Number(m[1]) * 12 + Number(m[2]) - 1;
  const current = now.getUTCFullYear() * 12 + now.getUTCMonth();
  return months <= current && months > current - 12;
}

const RESERVED = /(?<!\\)(?:\\\\)*[|{}@[\]()<>#*_~]/;
const URN = /^urn:li:(organization|person):\d+$/;

/**
 * LinkedIn's versioned Posts API as documented, checked on every request:
 * - every /rest call carries `LinkedIn-Version: YYYYMM` of an active version (426 otherwise) and
 *   `X-Restli-Protocol-Version: 2.0.0`, and a bearer token (401 INVALID_ACCESS_TOKEN /
 *   EXPIRED_ACCESS_TOKEN) of the author (403 ACCESS_DENIED)
 *   (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api,
 *   https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/error-handling);
 * - POST /rest/posts `{ author, commentary, visibility, distribution, lifecycleState, content:
 *   { media: { id, altText ≤ 4086 } }, reshareContext: { parent } }`: 201 with the URN in x-restli-id;
 *   commentary ≤ 3,000 characters in the little text format, reserved characters escaped;
 * - images: POST /rest/images?action=initializeUpload `{ initializeUploadRequest: { owner } }` →
 *   `{ value: { uploadUrl, image } }`, then PUT of the bytes to uploadUrl with the token
 *   (https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/images-api);
 * - GET /rest/posts?author={urn}&q=author&start&count≤100&sortBy=LAST_MODIFIED|CREATED: `{ elements,
 *   paging: { start, count, links (prev, next), total } }`, newest first
 *   (https://learn.microsoft.com/en-us/linkedin/shared/api-guide/concepts/pagination);
 * - errors `{ status, serviceErrorCode, code, message }`; 422 `ERROR :: /field :: reason`. A 429
 *   carries no reset header: LinkedIn documents none (its limits reset daily at midnight UTC).
 * - OAuth (www.linkedin.com): POST /oauth/v2/accessToken with grant_type=refresh_token,
 *   refresh_token, client_id, client_secret → `{ access_token, expires_in, refresh_token,
 *   refresh_token_expires_in, scope }`, the refresh token unchanged
 *   (https://learn.microsoft.com/en-us/linkedin/shared/authentication/programmatic-refresh-tokens);
 *   POST /oauth/v2/introspectToken → `{ active, status, expires_at, scope }`
 *   (https://learn.microsoft.com/en-us/linkedin/shared/authentication/token-introspection); errors
 *   `{ error, error_description }`.
 * - GET /rest/organizationAcls?q=roleAssignee (r_organization_admin or rw_organization_admin):
 *   `{ elements: [{ organization, role, roleAssignee, state }] }`.
 */
export class FakeLinkedIn extends FakePlatform {
  private readonly images = new Map<string, { owner: string; uploaded: boolean }>();
  /** Which LinkedIn-Version values are served; a sunset one answers 426. */
  isActiveVersion: (version: string) => boolean = (v) => activeVersion(v);

  constructor() {
    super((req, fake) => (fake as FakeLinkedIn).handle(req));
    this.rotateRefreshTokens = false;
    this.accessTtlMs = 60 * 86_400_000;
  }

  static async start(authors: Account[] = []): Promise<FakeLinkedIn> {
    const fake = new FakeLinkedIn();
    for (const a of authors) fake.addAccount(a);
    return fake.start();
  }

  private async handle(req: Received): Promise<Reply> {
    if (req.method === 'POST' && req.path === '/oauth/v2/accessToken') return this.token(req);
    if (req.method === 'POST' && req.path === '/oauth/v2/introspectToken')
      return this.introspect(req);
    const upload = /^\/upload\/images\/(\d+)$/.exec(req.path);
    if (upload && req.method === 'PUT') return this.uploadBytes(req, upload[1]);
    if (!req.path.startsWith('/rest/'))
      throw liError(404, 'RESOURCE_NOT_FOUND', `No virtual resource found`);
    this.checkHeaders(req);
    const author = this.author(req);
    if (req.path === '/rest/organizationAcls' && req.method === 'GET')
      return this.organizationAcls(req, author);
    if (req.path === '/rest/posts' && req.method === 'POST') return this.createPost(req, author);
    if (req.path === '/rest/posts' && req.method === 'GET') return this.findByAuthor(req, author);
    if (
      req.path === '/rest/images' &&
      req.method === 'POST' &&
      req.query.get('action') === 'initializeUpload'
    )
      return this.initializeUpload(req, author);
    throw liError(
      404,
      'RESOURCE_NOT_FOUND',
      `No virtual resource found for ${req.method} ${req.path}`,
    );
  }

  /** The client of a token request, checked against the registered ones (client_secret required). */
  private client(req: Received): Reply | string {
    if (!req.form)
      return oauth(
        400,
        'invalid_request',
        'Content-Type must be application/x-www-form-urlencoded',
      );
    const client = this.clientOf(req);
    if (!client || !client.secret || this.clients.get(client.id) !== client.secret)
      return oauth(401, 'invalid_client', 'Client authentication failed');
    return client.id;
  }

  /**
   * POST /oauth/v2/accessToken with grant_type=refresh_token, refresh_token, client_id,
   * client_secret: a new access token (60 days); the refresh token keeps its value and the lifetime
   * it had (programmatic refresh tokens do not rotate).
   */
  private token(req: Received): Reply {
    const client = this.client(req);
    if (typeof client !== 'string') return client;
    if (req.form?.grant_type !== 'refresh_token')
      return oauth(400, 'unsupported_grant_type', 'grant_type is not supported');
    const r = this.redeem(req.form.refresh_token ?? '', client);
    if (typeof r === 'string')
      return oauth(
        400,
        'invalid_request',
        'The provided authorization grant or refresh token is invalid, expired or revoked',
      );
    const grant = this.refreshTokens.get(r.refreshToken);
    return {
      status: 200,
      body: {
        access_token: r.accessToken,
        expires_in: r.expiresInSec,
        refresh_token: r.refreshToken,
        refresh_token_expires_in: grant?.expiresAt
          ? Math.round((grant.expiresAt - Date.now()) / 1000)
          : 31_536_000,
        scope: (r.scopes ?? ['w_organization_social', 'r_organization_social']).join(','),
      },
    };
  }

  /** POST /oauth/v2/introspectToken (client_id, client_secret, token): `{ active, status, expires_at, scope }`. */
  private introspect(req: Received): Reply {
    const client = this.client(req);
    if (typeof client !== 'string') return client;
    const issued = this.tokens.get(req.form?.token ?? '');
    if (!issued) return { status: 200, body: { active: false } };
    const expired = issued.expiresAt !== undefined && Date.now() >= issued.expiresAt;
    return {
      status: 200,
      body: {
        active: !expired,
        client_id: client,
        authorized_at: Math.floor(issued.issuedAt / 1000),
        created_at: Math.floor(issued.issuedAt / 1000),
        status: expired ? 'expired' : 'active',
        expires_at: Math.floor((issued.expiresAt ?? issued.issuedAt + 60 * 86_400_000) / 1000),
        scope: (issued.scopes ?? ['w_organization_social', 'r_organization_social']).join(','),
        auth_type: '3L',
      },
    };
  }

  /** GET /rest/organizationAcls?q=roleAssignee: the organizations the token's member administers. */
  private organizationAcls(req: Received, account: Account): Reply {
    if (req.query.get('q') !== 'roleAssignee')
      throw liError(400, 'ILLEGAL_ARGUMENT', 'q=roleAssignee is required');
    if (
      !FakePlatform.grants(account, 'r_organization_admin') &&
      !FakePlatform.grants(account, 'rw_organization_admin')
    )
      throw liError(
        403,
        'ACCESS_DENIED',
        'Not enough permissions to access: organizationAcls.FINDER-roleAssignee',
        100,
      );
    return {
      status: 200,
      body: {
        elements: [
          {
            organization: account.id,
            role: 'ADMINISTRATOR',
            roleAssignee: 'urn:li:person:abc123',
            state: 'APPROVED',
          },
        ],
        paging: { start: 0, count: 10, links: [] },
      },
    };
  }

  private checkHeaders(req: Received): void {
    const version = req.headers['linkedin-version'];
    if (typeof version !== 'string' || !version)
      throw liError(
        400,
        'VERSION_MISSING',
        'A version must be present. Please specify a version by adding the LinkedIn-Version header.',
      );
    if (!this.isActiveVersion(version))
      throw liError(426, 'NONEXISTENT_VERSION', `Requested version ${version} is not active`);
    if (req.headers['x-restli-protocol-version'] !== '2.0.0')
      throw liError(400, 'ILLEGAL_ARGUMENT', 'X-Restli-Protocol-Version 2.0.0 is required');
  }

  private author(req: Received): Account {
    const account = this.tokenAccount(bearerToken(req));
    if (account === 'expired')
      throw liError(
        401,
        'EXPIRED_ACCESS_TOKEN',
        'The token used in the request has expired',
        65601,
      );
    if (typeof account === 'string')
      throw liError(401, 'INVALID_ACCESS_TOKEN', 'Invalid access token', 65600);
    return account;
  }

  private json(req: Received): Record<string, unknown> {
    if (!String(req.headers['content-type']).startsWith('application/json'))
      throw liError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json');
    if (!req.json || typeof req.json !== 'object' || Array.isArray(req.json))
      throw liError(400, 'ILLEGAL_ARGUMENT', 'The body is not a JSON object');
    return req.json as Record<string, unknown>;
  }

  private createPost(req: Received, account: Account): Reply {
    const post = this.json(req);
    const field = (path: string, reason: string) =>
      liError(422, undefined, `ERROR :: ${path} :: ${reason}`);
    const allowed = [
      'author',
      'commentary',
      'visibility',
      'distribution',
      'lifecycleState',
      'content',
      'reshareContext',
      'isReshareDisabledByAuthor',
      'container',
    ];
    for (const k of Object.keys(post))
      if (!allowed.includes(k)) throw field(`/${k}`, 'unrecognized field found but not allowed');
    if (typeof post.author !== 'string' || !URN.test(post.author))
      throw field('/author', 'is not a valid person or organization URN');
    if (post.author !== account.id)
      throw liError(
        403,
        'ACCESS_DENIED',
        'Not enough permissions to access: partnerApiPostsExternal.CREATE',
        100,
      );
    const commentary = post.commentary;
    if (typeof commentary !== 'string')
      throw field('/commentary', 'field is required but not found and has no default value');
    if ([...commentary].length > 3000)
      throw field('/commentary', 'length is greater than the maximum of 3000');
    if (RESERVED.test(commentary))
      throw field(
        '/commentary',
        'has a reserved character of the little text format that is not escaped',
      );
    if (!['PUBLIC', 'CONNECTIONS', 'LOGGED_IN'].includes(post.visibility as string))
      throw field('/visibility', 'is not one of PUBLIC, CONNECTIONS, LOGGED_IN');
    const d = post.distribution as Record<string, unknown> | undefined;
    if (!d || !['MAIN_FEED', 'NONE'].includes(d.feedDistribution as string))
      throw field('/distribution/feedDistribution', 'is required: MAIN_FEED or NONE');
    if (post.lifecycleState !== 'PUBLISHED' && post.lifecycleState !== 'DRAFT')
      throw field('/lifecycleState', 'is not one of PUBLISHED, DRAFT');
    const media = (post.content as { media?: { id?: unknown; altText?: unknown } } | undefined)
      ?.media;
    if (post.content !== undefined && !media)
      throw field('/content', 'only media content is taken here');
    if (media) {
      const image = this.images.get(String(media.id).replace('urn:li:image:', ''));
      if (!String(media.id).startsWith('urn:li:image:') || !image || image.owner !== account.id)
        throw field('/content/media/id', 'is not an image of this owner');
      if (!image.uploaded)
        throw liError(400, 'ILLEGAL_ARGUMENT', `Image ${String(media.id)} has not been uploaded`);
      if (
        media.altText !== undefined &&
        (typeof media.altText !== 'string' || [...media.altText].length > 4086)
      )
        throw field('/content/media/altText', 'length is greater than the maximum of 4086');
    }
    const parent = (post.reshareContext as { parent?: unknown } | undefined)?.parent;
    if (
      post.reshareContext !== undefined &&
      (typeof parent !== 'string' || !/^urn:li:(share|ugcPost):\d+$/.test(parent))
    )
      throw field('/reshareContext/parent', 'is not a share or ugcPost URN');
    const fault = this.faultFor('create', account.id, commentary);
    return withFault(
      fault,
      () => {
        const stored = this.store({
          id: `urn:li:share:${this.nextId()}`,
          account: account.id,
          text: commentary,
          sentText: commentary,
          media: media
            ? [{ id: String(media.id), alt: (media.altText as string | undefined) ?? null }]
            : [],
          refersTo: (parent as string | undefined) ?? null,
          kind: 'post',
        });
        return { status: 201, headers: { 'x-restli-id': stored.id, 'x-linkedin-id': stored.id } };
      },
      (f) =>
        f.kind === 'rate-limit'
          ? tooMany()
          : liError(f.status ?? 500, undefined, 'Internal Server Error').reply,
    );
  }

  private findByAuthor(req: Received, account: Account): Reply {
    if (req.query.get('q') !== 'author')
      throw liError(400, 'ILLEGAL_ARGUMENT', 'q=author is required');
    const author = req.query.get('author');
    if (!author || !URN.test(author))
      throw liError(400, 'ILLEGAL_ARGUMENT', 'author must be a person or organization URN');
    if (author !== account.id)
      throw liError(
        403,
        'ACCESS_DENIED',
        'Not enough permissions to access: partnerApiPostsExternal.FINDER-author',
        100,
      );
    const count = Number(req.query.get('count') ?? 10);
    if (!Number.isInteger(count) || count < 1 || count > 100)
      throw liError(400, 'ILLEGAL_ARGUMENT', 'count must be between 1 and 100');
    const sortBy = req.query.get('sortBy') ?? 'LAST_MODIFIED';
    if (!['LAST_MODIFIED', 'CREATED'].includes(sortBy))
      throw liError(400, 'ILLEGAL_ARGUMENT', 'sortBy must be LAST_MODIFIED or CREATED');
    const fault = this.faultFor('read', author, null);
    if (fault?.kind === 'rate-limit') throw new Rejection(tooMany());
    if (fault?.kind === 'server-error')
      throw liError(fault.status ?? 500, undefined, 'Internal Server Error');
    const start = Number(req.query.get('start') ?? 0);
    if (!Number.isInteger(start) || start < 0)
      throw liError(400, 'ILLEGAL_ARGUMENT', 'start must be a non-negative integer');
    const mine = this.postsOf(author);
    const { from, to } = this.window(author);
    const total = to - from;
    const posts = mine
      .slice(Math.max(from, to - start - count), Math.max(from, to - start))
      .reverse();
    const link = (rel: string, at: number) => ({
      type: 'application/json',
      rel,
      href: `/rest/posts?author=${encodeURIComponent(author)}&count=${count}&q=author&sortBy=${sortBy}&start=${at}`,
    });
    return {
      status: 200,
      body: {
        elements: posts.map((p) => ({
          id: p.id,
          author: p.account,
          commentary: p.text,
          visibility: 'PUBLIC',
          lifecycleState: 'PUBLISHED',
          createdAt: p.createdAt,
          publishedAt: p.createdAt,
          lastModifiedAt: p.createdAt,
          distribution: {
            feedDistribution: 'MAIN_FEED',
            targetEntities: [],
            thirdPartyDistributionChannels: [],
          },
          ...(p.media.length
            ? { content: { media: { id: p.media[0].id, altText: p.media[0].alt } } }
            : {}),
          ...(p.refersTo ? { reshareContext: { parent: p.refersTo, root: p.refersTo } } : {}),
        })),
        paging: {
          start,
          count,
          links: [
            ...(start > 0 ? [link('prev', Math.max(0, start - count))] : []),
            ...(start + count < total ? [link('next', start + count)] : []),
          ],
          total,
        },
      },
    };
  }

  private initializeUpload(req: Received, account: Account): Reply {
    const owner = (this.json(req).initializeUploadRequest as { owner?: unknown } | undefined)
      ?.owner;
    if (typeof owner !== 'string' || !URN.test(owner))
      throw liError(422, undefined, 'ERROR :: /initializeUploadRequest/owner :: is required');
    if (owner !== account.id)
      throw liError(
        403,
        'ACCESS_DENIED',
        'Not enough permissions to access: images.ACTION-initializeUpload',
        100,
      );
    const id = this.nextId();
    this.images.set(id, { owner, uploaded: false });
    return {
      status: 200,
      body: {
        value: {
          uploadUrlExpiresAt: Date.now() + 3_600_000,
          uploadUrl: `${this.url}/upload/images/${id}`,
          image: `urn:li:image:${id}`,
        },
      },
    };
  }

  private uploadBytes(req: Received, id: string): Reply {
    const image = this.images.get(id);
    const account = this.tokenAccount(bearerToken(req));
    if (typeof account === 'string')
      throw liError(401, 'INVALID_ACCESS_TOKEN', 'Invalid access token', 65600);
    if (!image || image.owner !== account.id)
      throw liError(403, 'ACCESS_DENIED', 'Not the owner of this upload', 100);
    if (!imageType(req.body))
      throw liError(400, 'ILLEGAL_ARGUMENT', 'The uploaded bytes are not an image');
    image.uploaded = true;
    return { status: 201 };
  }
}

function liError(
  status: number,
  code: string | undefined,
  message: string,
  serviceErrorCode?: number,
): Rejection {
  return new Rejection({
    status,
    body: {
      status,
      message,
      ...(code ? { code } : {}),
      ...(serviceErrorCode ? { serviceErrorCode } : {}),
    },
  });
}

/** OAuth endpoint errors (www.linkedin.com/oauth/v2): `{ error, error_description }`. */
function oauth(status: number, error: string, description: string): Reply {
  return { status, body: { error, error_description: description } };
}

function tooMany(): Reply {
  return {
    status: 429,
    body: {
      status: 429,
      serviceErrorCode: 101,
      code: 'TOO_MANY_REQUESTS',
      message:
        'Resource level throttle APPLICATION DAY limit for calls to this resource is reached.',
    },
  };
}
