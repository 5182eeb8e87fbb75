import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseBody } from '../platform-server';

/** One request as the fake platform received it. */
export interface Received {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json: unknown;
  form: Record<string, string> | null;
  at: number;
}

/** A post the platform stored: what duplicate and missing counts are computed on. */
export interface StoredPost {
  id: string;
  /** The account (X user id, Facebook page id, LinkedIn author URN) it was posted as. */
  account: string;
  /** The text as the platform shows it (X: links wrapped in t.co; LinkedIn: little text format). */
  text: string;
  /** The text as it was sent. */
  sentText: string;
  createdAt: number;
  media: { id: string; alt: string | null }[];
  /** For a quote, repost or reshare: the original's id. */
  refersTo: string | null;
  kind: 'post' | 'repost';
}

/**
 * What a scripted request does instead of the normal answer. Posts are stored before the fault for
 * `accept-then-timeout` (never answered, or answered after `answerAfterMs`) and `accept-then-reset`
 * (the connection is cut); `rate-limit` and `server-error` store nothing.
 */
export type Fault =
  | { kind: 'accept-then-timeout'; answerAfterMs?: number }
  | { kind: 'accept-then-reset' }
  | { kind: 'rate-limit'; resetAfterSec: number }
  | { kind: 'server-error'; status?: number };

/** What a script sees: which operation, as which account, with which text, and how many times before. */
export interface Attempt {
  operation: 'create' | 'read';
  account: string;
  text: string | null;
  /** How many earlier create requests carried the same account and text (0 on the first). */
  seen: number;
}

export type Script = (attempt: Attempt) => Fault | null;

/** A platform's answer; `hold` keeps the connection open without answering. */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Thrown by a platform's handler: the platform's own error answer. */
export class Rejection extends Error {
  constructor(readonly reply: Reply) {
    super(`HTTP ${reply.status}`);
  }
}

export interface Account {
  /** The platform's id of the account (X user id, page id, author URN). */
  id: string;
  token: string;
  /** Epoch ms after which the token is refused as expired. */
  expiresAt?: number;
  /** A refresh token that renews `token` (X with offline.access, LinkedIn programmatic refresh). */
  refreshToken?: string;
  /** The OAuth client the refresh token was issued to (default: any registered client). */
  clientId?: string;
  /** Scopes granted to the token; undefined grants everything. */
  scopes?: string[];
}

/** A token the platform issued: whose it is, until when, with which scopes. */
export interface Issued {
  account: string;
  expiresAt?: number;
  scopes?: string[];
  issuedAt: number;
}

/** What a refresh grant answers, or why it refuses. */
export type Redeemed =
  | { accessToken: string; refreshToken: string; expiresInSec: number; scopes?: string[] }
  | 'invalid'
  | 'expired';

/** The shared machinery of the fake platforms: HTTP, recording, accounts and tokens, scripts. */
export class FakePlatform {
  readonly received: Received[] = [];
  readonly posts: StoredPost[] = [];
  /** Delay before a stored post shows in the account's feed (platforms are eventually consistent). */
  feedDelayMs = 0;
  /** How long the platform takes to answer each request (a kill then lands while calls are in flight). */
  latencyMs = 0;
  /** Create requests refused as a repeat of a stored post (X's duplicate rule): each is a second try. */
  refusedRepeats = 0;
  /** Access tokens by value; several may open one account (the one a refresh replaced stays valid until it expires). */
  readonly tokens = new Map<string, Issued>();
  /** Refresh tokens by value; a rotated one is deleted when used. */
  readonly refreshTokens = new Map<string, Issued & { clientId?: string }>();
  /** Registered OAuth clients (client id → secret, null for a public client). */
  readonly clients = new Map<string, string | null>();
  /** Whether a refresh answers a new refresh token and refuses the one used (X: yes; LinkedIn: no). */
  rotateRefreshTokens = true;
  /** Lifetime of an access token issued by a refresh. */
  accessTtlMs = 2 * 3_600_000;
  /** Refresh grants answered (successful ones), and refresh tokens presented again after rotation. */
  refreshCount = 0;
  reusedRefreshTokens = 0;
  private readonly spent = new Set<string>();
  private tokenSeq = 0;
  private readonly seen = new Map<string, number>();
  private scripts: Script[] = [];
  private server: http.Server | null = null;
  private held = new Set<http.ServerResponse>();
  private seq = 0;
  /** Each account's posts in creation order; each post's place there; posts by the text sent. */
  private readonly byAccount = new Map<string, StoredPost[]>();
  private readonly at = new Map<string, number>();
  private readonly bySentText = new Map<string, StoredPost[]>();
  url = '';

  constructor(private readonly route: (req: Received, fake: FakePlatform) => Promise<Reply>) {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => this.onRequest(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  close(): Promise<void> {
    for (const res of this.held) res.destroy();
    return new Promise((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }

  addAccount(account: Account): this {
    this.tokens.set(account.token, {
      account: account.id,
      expiresAt: account.expiresAt,
      scopes: account.scopes,
      issuedAt: Date.now(),
    });
    if (account.refreshToken)
      this.refreshTokens.set(account.refreshToken, {
        account: account.id,
        scopes: account.scopes,
        clientId: account.clientId,
        issuedAt: Date.now(),
      });
    return this;
  }

  /** Registers an OAuth client: a public one (secret null) or a confidential one. */
  addClient(id: string, secret: string | null = null): this {
    this.clients.set(id, secret);
    return this;
  }

  /** Makes a token expire at `at` (epoch ms): requests after it are refused as the platform does. */
  expireToken(token: string, at: number): void {
    const issued = this.tokens.get(token);
    if (issued) issued.expiresAt = at;
  }

  /** The account a token belongs to, or why it is refused. */
  tokenAccount(
    token: string | null,
  ): { id: string; token: string; scopes?: string[] } | 'missing' | 'invalid' | 'expired' {
    if (!token) return 'missing';
    const issued = this.tokens.get(token);
    if (!issued) return 'invalid';
    if (issued.expiresAt !== undefined && Date.now() >= issued.expiresAt) return 'expired';
    return { id: issued.account, token, scopes: issued.scopes };
  }

  /** Whether a token's scopes include `scope` (a token without listed scopes has them all). */
  static grants(account: { scopes?: string[] }, scope: string): boolean {
    return !account.scopes || account.scopes.includes(scope);
  }

  /**
   * The refresh grant: a new access token for the refresh token's account; with rotation, a new
   * refresh token too, and the one used is refused from then on.
   */
  redeem(refreshToken: string, clientId: string | null): Redeemed {
    const grant = this.refreshTokens.get(refreshToken);
    if (!grant) {
      if (this.spent.has(refreshToken)) this.reusedRefreshTokens += 1;
      return 'invalid';
    }
    if (grant.clientId && clientId !== grant.clientId) return 'invalid';
    if (grant.expiresAt !== undefined && Date.now() >= grant.expiresAt) return 'expired';
    this.tokenSeq += 1;
    const accessToken = `${grant.account}-access-${this.tokenSeq}-${traceId()}`;
    this.tokens.set(accessToken, {
      account: grant.account,
      expiresAt: Date.now() + this.accessTtlMs,
      scopes: grant.scopes,
      issuedAt: Date.now(),
    });
    let next = refreshToken;
    if (this.rotateRefreshTokens) {
      next = `${grant.account}-refresh-${this.tokenSeq}-${traceId()}`;
      this.refreshTokens.delete(refreshToken);
      this.spent.add(refreshToken);
      this.refreshTokens.set(next, { ...grant, issuedAt: Date.now() });
    }
    this.refreshCount += 1;
    return {
      accessToken,
      refreshToken: next,
      expiresInSec: Math.round(this.accessTtlMs / 1000),
      scopes: grant.scopes,
    };
  }

  /** The client of a token request: HTTP Basic (confidential) or client_id in the form (public). */
  clientOf(req: Received): { id: string; secret: string | null } | null {
    const basic = /^Basic (\S+)$/.exec(String(req.headers.authorization ?? ''));
    if (basic) {
      const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
      return { id, secret: secret ?? null };
    }
    const id = req.form?.client_id;
    return id ? { id, secret: req.form?.client_secret ?? null } : null;
  }

  /** Adds a script; the first script that returns a fault for a request decides it. */
  script(script: Script): this {
    this.scripts.push(script);
    return this;
  }

  clearScripts(): void {
    this.scripts = [];
  }

  /** The fault scripted for this attempt, if any; counts create attempts per account and text. */
  faultFor(operation: Attempt['operation'], account: string, text: string | null): Fault | null {
    const key = `${account}\u0000${text ?? ''}`;
    const seen = this.seen.get(key) ?? 0;
    if (operation === 'create') this.seen.set(key, seen + 1);
    for (const s of this.scripts) {
      const fault = s({ operation, account, text, seen });
      if (fault) return fault;
    }
    return null;
  }

  nextId(): string {
    this.seq += 1;
    return String(1_800_000_000_000_000_000n + BigInt(this.seq) * 4096n);
  }

  store(post: Omit<StoredPost, 'id' | 'createdAt'> & { id?: string }): StoredPost {
    const stored = { ...post, id: post.id ?? this.nextId(), createdAt: Date.now() };
    this.posts.push(stored);
    const mine = this.byAccount.get(stored.account) ?? [];
    if (!mine.length) this.byAccount.set(stored.account, mine);
    this.at.set(stored.id, mine.length);
    mine.push(stored);
    const same = this.bySentText.get(stored.sentText);
    if (same) same.push(stored);
    else this.bySentText.set(stored.sentText, [stored]);
    return stored;
  }

  /** An account's posts in creation order, oldest first (append-only: never copy it to read it). */
  postsOf(account: string): readonly StoredPost[] {
    return this.byAccount.get(account) ?? [];
  }

  /** Where a post sits in its account's posts (`postsOf`), or -1 for an id the platform never gave. */
  indexOf(id: string): number {
    return this.at.get(id) ?? -1;
  }

  /**
   * The part of an account's posts a feed read may give, as indexes `[from, to)` of `postsOf`:
   * shown already (`feedDelayMs`), created from `sinceMs` and up to `untilMs` (both inclusive).
   * Posts are kept in creation order, so this is two binary searches, not a pass over every post;
   * a test that dates a post back must keep its account's posts in order.
   */
  window(account: string, sinceMs = -Infinity, untilMs = Infinity): { from: number; to: number } {
    const mine = this.postsOf(account);
    const shownUntil = Math.min(Date.now() - this.feedDelayMs, untilMs);
    return { from: countBefore(mine, sinceMs, false), to: countBefore(mine, shownUntil, true) };
  }

  /** An account's posts that show in its feed now, newest first. */
  feed(account: string): StoredPost[] {
    const { from, to } = this.window(account);
    return this.postsOf(account).slice(from, to).reverse();
  }

  /**
   * Second posts of the same thing: posts stored more than once for the same account, text and
   * original (each extra copy counts one), plus repeats the platform refused (they were sent twice).
   */
  duplicates(): number {
    const counts = new Map<string, number>();
    for (const p of this.posts) {
      const key = `${p.kind}\u0000${p.account}\u0000${p.sentText}\u0000${p.refersTo ?? ''}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [...counts.values()].reduce((n, c) => n + c - 1, this.refusedRepeats);
  }

  /** Posts of `account` whose sent text is `text`. */
  postsWith(text: string, account?: string): StoredPost[] {
    return (this.bySentText.get(text) ?? []).filter((p) => !account || p.account === account);
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const { text, json, form } = parseBody(req.headers, body);
      const url = new URL(req.url ?? '/', 'http://fake');
      const received: Received = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        text,
        json,
        form,
        at: Date.now(),
      };
      this.received.push(received);
      const delay = new Promise((resolve) => setTimeout(resolve, this.latencyMs));
      delay
        .then(() => this.route(received, this))
        .then(
          (reply) => this.answer(res, reply),
          (err) => {
            if (err instanceof Rejection) return this.answer(res, err.reply);
            if (err instanceof Held) return this.hold(res, err.answerAfterMs, err.reply);
            if (err instanceof Reset) return void res.socket?.destroy();
            this.answer(res, { status: 500, body: { message: String(err) } });
          },
        );
    });
  }

  private answer(res: http.ServerResponse, reply: Reply): void {
    if (res.destroyed || res.writableEnded) return;
    const isJson = reply.body !== undefined && !Buffer.isBuffer(reply.body);
    res.writeHead(reply.status, {
      ...(isJson ? { 'content-type': 'application/json' } : {}),
      ...reply.headers,
    });
    res.end(
      reply.body === undefined
        ? ''
        : Buffer.isBuffer(reply.body)
          ? reply.body
          : JSON.stringify(reply.body),
    );
  }

  private hold(res: http.ServerResponse, answerAfterMs: number | undefined, reply: Reply): void {
    this.held.add(res);
    res.on('close', () => this.held.delete(res));
    if (answerAfterMs !== undefined)
      setTimeout(() => this.answer(res, reply), answerAfterMs).unref();
  }
}

/** How many of `posts` (in creation order) were created before `ms`, or at it too with `inclusive`. */
function countBefore(posts: readonly StoredPost[], ms: number, inclusive: boolean): number {
  let lo = 0;
  let hi = posts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const before = inclusive ? posts[mid].createdAt <= ms : posts[mid].createdAt < ms;
    if (before) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Thrown by a handler after storing a post: the answer is held back (accept-then-timeout). */
export class Held extends Error {
  constructor(
    readonly reply: Reply,
    readonly answerAfterMs?: number,
  ) {
    super('held');
  }
}

/** Thrown by a handler after storing a post: the connection is cut (accept-then-reset). */
export class Reset extends Error {}

/**
 * Applies a create fault around storing: `store` runs for the accept-then-… faults and no fault;
 * rate limits and server errors are answered by `rejectionOf` without storing.
 */
export function withFault(
  fault: Fault | null,
  store: () => Reply,
  rejectionOf: (fault: Extract<Fault, { kind: 'rate-limit' | 'server-error' }>) => Reply,
): Reply {
  if (fault?.kind === 'rate-limit' || fault?.kind === 'server-error')
    throw new Rejection(rejectionOf(fault));
  const reply = store();
  if (fault?.kind === 'accept-then-timeout') throw new Held(reply, fault.answerAfterMs);
  if (fault?.kind === 'accept-then-reset') throw new Reset();
  return reply;
}

/** A bearer token from the Authorization header, or null. */
export function bearerToken(req: Received): string | null {
  const m = /^Bearer (\S+)$/.exec(String(req.headers.authorization ?? ''));
  return m ? m[1] : null;
}

/** A trace id as platforms put in their errors. */
export const traceId = () => crypto.randomBytes(8).toString('base64url');

/** Image types the platforms take, recognised by their first bytes, not by what the client says. */
export function imageType(bytes: Buffer): string | null {
  if (bytes.subarray(0, 8).equals(Buffer.from('89504e470d0a1a0a', 'hex'))) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 4).toString('latin1') === 'GIF8') return 'image/gif';
  if (
    bytes.subarray(0, 4).toString('latin1') === 'RIFF' &&
    bytes.subarray(8, 12).toString('latin1') === 'WEBP'
  )
    return 'image/webp';
  return null;
}
