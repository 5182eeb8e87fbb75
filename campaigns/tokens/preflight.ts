import type { Language } from '../../knowledge/schema';
import { LANGUAGES } from '../../knowledge/schema';
import type { Logger } from '../../lib/logger';
import type { AlertSink } from '../alerts';
import type { Account, Channel, PostRecord } from '../model';
import type { CredentialEntry } from '../publishers/credentials';
import type { PlatformAuth } from '../publishers/platform-auth';
import { PublishError } from '../publishers/publish-error';
import { nextOccurrences } from '../scheduler';
import { formatInZone } from '../time';
import type { CredentialsSource } from './credentials-source';
import type { CredentialIssue, ProblemStore, StoredIssue } from './problem-store';
import type { TokenManager } from './token-manager';

export interface PreflightDeps {
  source: CredentialsSource;
  tokens: TokenManager;
  auth: ReadonlyMap<Channel, PlatformAuth>;
  problems: ProblemStore;
  alerts: AlertSink;
  /** Posts still to publish (the store's active posts): those due within the horizon are checked. */
  posts: () => PostRecord[] | Promise<PostRecord[]>;
  horizonMs: number;
  logger: Logger;
  now?: () => number;
}

/** What a post due soon needs: an entry, by the time of its first post. */
interface Need {
  account: Account;
  channel: Channel;
  language: Language;
  dueMs: number;
  post: PostRecord;
}

/** Problems every run finds again or not (the others need the platform to be asked). */
const STATIC_CODES = new Set([
  'credentials_missing',
  'token_expired',
  'token_expires',
  'token_refresh_failed',
]);
const FILE_ENTRY = 'CAMPAIGN_CREDENTIALS_FILE';

/** When a post is next due: its time, or a recurring post's next occurrence. */
function dueOf(p: PostRecord, now: number): number | null {
  if (p.publishAtMs === null) return null;
  if (!p.repeat) return p.publishAtMs;
  return nextOccurrences(p, Math.min(now, p.publishAtMs), 1)[0] ?? null;
}

/**
 * The pre-flight: before posts are due (CAMPAIGN_PREFLIGHT_MINUTES), and when a campaign is
 * scheduled, the credentials their channels need are checked: present, not expired (or refreshable),
 * opening the entry's account, with the scopes publishing needs; the file itself read, and its
 * entries usable. Each problem is recorded (shown on the campaigns it stops) and alerted once; a
 * problem no longer found is cleared. Tokens due for a refresh are refreshed on the way.
 */
export class Preflight {
  private readonly now: () => number;

  constructor(private readonly deps: PreflightDeps) {
    this.now = deps.now ?? Date.now;
  }

  private needs(posts: readonly PostRecord[], now: number, untilMs: number | null) {
    const needs = new Map<string, Need>();
    const missing: CredentialIssue[] = [];
    for (const post of posts) {
      if (!this.deps.auth.has(post.channel)) continue;
      const dueMs = dueOf(post, now);
      if (dueMs === null || (untilMs !== null && dueMs > untilMs)) continue;
      for (const language of LANGUAGES) {
        const entry = this.deps.source.entryOf(post.account, post.channel, language);
        const name = entry ?? `${post.account}.${post.channel}.${language}`;
        const known = needs.get(name);
        if (!known || dueMs < known.dueMs)
          needs.set(name, { account: post.account, channel: post.channel, language, dueMs, post });
      }
    }
    for (const [name, need] of needs) {
      if (this.deps.source.entryOf(need.account, need.channel, need.language)) continue;
      missing.push({
        entry: name,
        code: 'credentials_missing',
        account: need.account,
        channel: need.channel,
        language: need.language,
        detail: 'no entry in the credentials file',
        firstDueAt: formatInZone(need.dueMs),
      });
    }
    return { needs, missing };
  }

  /** The file's own problems: unreadable (the last good one is in use), entries left out. */
  private fileIssues(): CredentialIssue[] {
    const out: CredentialIssue[] = [];
    const error = this.deps.source.fileError();
    const base = { account: null, channel: null, language: null, firstDueAt: null };
    if (error)
      out.push({ ...base, entry: FILE_ENTRY, code: 'credentials_file_invalid', detail: error });
    for (const p of this.deps.source.snapshot().problems)
      out.push({ ...base, entry: p.entry, code: `entry_${p.code}`, detail: p.detail });
    return out;
  }

  /**
   * The periodic check: posts due within the horizon; `inspectAll` asks the platforms about every
   * entry (at start); `record: false` only answers what it found (the command line's check).
   */
  async run(opts: { inspectAll?: boolean; record?: boolean } = {}): Promise<CredentialIssue[]> {
    const now = this.now();
    const posts = await this.deps.posts();
    const { needs, missing } = this.needs(posts, now, now + this.deps.horizonMs);
    const issues = [...this.fileIssues(), ...missing];
    const entries = this.deps.source.snapshot().entries();
    const inspected = new Set<string>();
    for (const e of entries) {
      const need = needs.get(e.name) ?? null;
      const r = await this.checkEntry(e, need, Boolean(need) || Boolean(opts.inspectAll));
      issues.push(...r.issues);
      if (r.inspected) inspected.add(e.name);
    }
    if (opts.record === false) return issues;
    const names = new Set(entries.map((e) => e.name));
    await this.record(
      issues,
      (row) => !names.has(row.entry) || STATIC_CODES.has(row.code) || inspected.has(row.entry),
      needs,
    );
    return issues;
  }

  /** At approval: every post of the campaign, however far ahead; problems are added, none cleared. */
  async checkPosts(posts: readonly PostRecord[]): Promise<CredentialIssue[]> {
    const now = this.now();
    const { needs, missing } = this.needs(posts, now, null);
    const issues = [...missing];
    for (const e of this.deps.source.snapshot().entries()) {
      const need = needs.get(e.name);
      if (need) issues.push(...(await this.checkEntry(e, need, true)).issues);
    }
    await this.record(issues, () => false, needs);
    return issues;
  }

  private async record(
    issues: CredentialIssue[],
    resolvable: (row: StoredIssue) => boolean,
    needs: ReadonlyMap<string, Need>,
  ) {
    const at = new Date(this.now()).toISOString();
    const { added, resolved } = await this.deps.problems.record(issues, resolvable, at);
    for (const r of resolved)
      this.deps.logger.info('credentials problem resolved', { entry: r.entry, code: r.code });
    for (const p of added) {
      const first = needs.get(p.entry)?.post;
      await this.deps.alerts.send({
        code: p.code,
        campaignId: first?.campaignId ?? null,
        postId: first?.id ?? null,
        channel: p.channel ?? '',
        account: p.account ?? '',
        language: p.language,
        reason: `${p.entry}: ${p.detail}`,
        status: null,
        at,
        entry: p.entry,
        firstDueAt: p.firstDueAt,
      });
      await this.deps.problems.markAlerted(p, at);
    }
  }

  private async checkEntry(
    e: CredentialEntry,
    need: Need | null,
    fetch: boolean,
  ): Promise<{ issues: CredentialIssue[]; inspected: boolean }> {
    const auth = this.deps.auth.get(e.channel);
    if (!auth) return { issues: [], inspected: false };
    const ref = { entry: e.name, channel: e.channel, credential: e.credential };
    const dueMs = need?.dueMs ?? null;
    const out = new Map<string, CredentialIssue>();
    const issue = (code: string, detail: string) =>
      out.has(code) ||
      out.set(code, {
        entry: e.name,
        code,
        account: e.account,
        channel: e.channel,
        language: e.language,
        detail,
        firstDueAt: dueMs === null ? null : formatInZone(dueMs),
      });
    const lacking = ['accessToken', auth.accountField].filter((k) => !e.credential[k]);
    if (lacking.length) {
      issue('credentials_missing', `missing ${lacking.join(', ')}`);
      return { issues: [...out.values()], inspected: false };
    }
    try {
      // Refreshes a token due for it, whether or not a post needs it soon: tokens stay alive.
      await this.deps.tokens.accessToken(ref);
    } catch (err) {
      if (!(err instanceof PublishError) || err.kind === 'retryable')
        this.deps.logger.warn('pre-flight: token not checked', {
          entry: e.name,
          err: (err as Error).message,
        });
    }
    let status;
    try {
      status = await this.deps.tokens.status(ref);
    } catch (err) {
      this.deps.logger.warn('pre-flight: token store unavailable', {
        entry: e.name,
        err: (err as Error).message,
      });
      return { issues: [], inspected: false };
    }
    const at = (ms: number) => formatInZone(ms);
    const why = status.needsKey
      ? 'it has a refresh token, but CAMPAIGN_TOKEN_KEY is not set'
      : status.failure
        ? 'its refresh token was refused'
        : 'no refresh token and client id to renew it';
    if (status.failure) issue('token_refresh_failed', status.failure);
    const expiry = (expiresAtMs: number | null) => {
      if (expiresAtMs === null || status.refreshable) return;
      if (expiresAtMs <= this.now())
        issue('token_expired', `expired at ${at(expiresAtMs)}; ${why}`);
      else if (dueMs !== null && expiresAtMs <= dueMs)
        issue('token_expires', `expires at ${at(expiresAtMs)}, before ${at(dueMs)}; ${why}`);
    };
    expiry(status.expiresAtMs);
    if (status.refreshable && status.refreshExpiresAtMs !== null && dueMs !== null)
      if (status.refreshExpiresAtMs <= dueMs)
        issue('token_expires', `the refresh token ends at ${at(status.refreshExpiresAtMs)}`);
    let inspection = null;
    try {
      inspection = await this.deps.tokens.inspect(ref, fetch);
    } catch (err) {
      this.deps.logger.warn('pre-flight: the platform was not asked', {
        entry: e.name,
        err: (err as Error).message,
      });
    }
    const scopes = inspection?.scopes ?? status.scopes;
    if (inspection && !inspection.valid && !out.has('token_expired'))
      issue('token_invalid', inspection.reason ?? 'the platform refuses the token');
    if (inspection?.valid) {
      const expected = e.credential[auth.accountField];
      if (inspection.accounts && !inspection.accounts.includes(expected))
        issue(
          'wrong_account',
          `the token opens ${inspection.accounts.join(', ') || 'no account'}, not ${auth.accountField} ${expected}`,
        );
      else if (auth.verifyBeforeUse && inspection.accounts === null)
        issue('account_unverified', inspection.reason ?? 'the platform did not say');
      expiry(inspection.expiresAtMs);
    }
    const without = scopes ? auth.requiredScopes.filter((s) => !scopes.includes(s)) : [];
    if (without.length) issue('missing_scope', `without ${without.join(', ')}`);
    return { issues: [...out.values()], inspected: inspection !== null };
  }
}
