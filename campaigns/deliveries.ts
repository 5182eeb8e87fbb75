import type { Selectable } from 'kysely';
import type { Language } from '../knowledge/schema';
import type { Engine } from '../lib/database';
import { type CampaignDb, writeLock } from './store';
import type { CampaignTables, DeliveryState } from './tables';

/**
 * The idempotency record of one delivery (one post, one occurrence, one language). It is written as
 * `started` before the platform is called, so a worker killed in the middle leaves a trace: the next
 * attempt then knows the outcome is in doubt instead of posting a second time. A call that timed
 * out, was reset or got a 5xx leaves it `uncertain`: the next attempt reads the feed first.
 */
export type { DeliveryState };

export type Claim =
  | { kind: 'claimed'; attempt: number }
  | { kind: 'done'; externalId: string; url: string | null }
  /**
   * `since`: the first attempt's start; `doubtSince`: when the outcome became unknown; `attempt`:
   * the attempt in doubt (a take-over is a compare-and-swap on it).
   */
  | { kind: 'in-doubt'; since: string; doubtSince: string; attempt: number }
  /** Another worker took the delivery over since it was seen in doubt. */
  | { kind: 'taken' }
  /** The post moved to another version (edited, rescheduled, resumed, renewed) since the job read it. */
  | { kind: 'stale' };

/** A claim made while holding the post's row at the job's version: never stale. */
export type AttemptClaim = Exclude<Claim, { kind: 'stale' }>;

export type DeliveryRow = Selectable<CampaignTables['campaign_deliveries']>;

/** The key of a delivery: the same post, occurrence and language always give the same key. */
export function deliveryKey(postId: string, occurrence: string, language: Language): string {
  return `${postId}:${occurrence}:${language}`;
}

export class DeliveryLog {
  constructor(
    private readonly db: CampaignDb,
    private readonly engine: Engine,
  ) {}

  async get(key: string): Promise<DeliveryRow | undefined> {
    return this.db
      .selectFrom('campaign_deliveries')
      .selectAll()
      .where('key', '=', key)
      .executeTakeFirst();
  }

  async forPost(postId: string): Promise<DeliveryRow[]> {
    return this.db
      .selectFrom('campaign_deliveries')
      .selectAll()
      .where('post_id', '=', postId)
      .orderBy('started_at')
      .orderBy('language')
      .execute();
  }

  /**
   * Claims a delivery for this attempt, in one transaction that first locks the post's row
   * (`FOR UPDATE` on PostgreSQL; the file's write lock on SQLite), so two workers on two machines
   * claiming the same post are served one after the other: the second sees the first's claim.
   * With `version`, only while the post is still at that version (a job the post has moved on
   * from sends nothing). Says why not when it cannot.
   */
  async claim(
    key: string,
    postId: string,
    occurrence: string,
    language: Language,
    now: string,
    version?: number,
  ): Promise<Claim> {
    return this.db.transaction().execute(async (trx) => {
      const log = new DeliveryLog(trx, this.engine);
      const post = await log.lockPost(postId);
      if (version !== undefined && post?.version !== version) return { kind: 'stale' };
      const [claim] = await log.claimLocked(postId, [{ key, occurrence, language }], now);
      return claim;
    });
  }

  /**
   * Claims several deliveries of one post (its languages) at once, in the caller's transaction,
   * which already holds the post's row (a row lock on PostgreSQL, the file's write lock on SQLite):
   * one read of their rows and one insert of the new ones. The claims, in the order asked.
   */
  async claimLocked(
    postId: string,
    wanted: readonly { key: string; occurrence: string; language: Language }[],
    now: string,
  ): Promise<AttemptClaim[]> {
    if (!wanted.length) return [];
    // The new rows in one statement; the rows it leaves alone (an earlier try's) are read after it.
    const inserted = await this.db
      .insertInto('campaign_deliveries')
      .values(
        wanted.map((w) => ({
          key: w.key,
          post_id: postId,
          occurrence: w.occurrence,
          language: w.language,
          state: 'started',
          attempt: 1,
          started_at: now,
          first_started_at: now,
        })),
      )
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .execute();
    const fresh = new Set(inserted.map((r) => r.key));
    const others = wanted.filter((w) => !fresh.has(w.key)).map((w) => w.key);
    const rows = others.length
      ? await this.db
          .selectFrom('campaign_deliveries')
          .selectAll()
          .where('key', 'in', others)
          .execute()
      : [];
    const existing = new Map(rows.map((r) => [r.key, r]));
    const claims: AttemptClaim[] = [];
    for (const { key } of wanted) {
      const row = existing.get(key);
      claims.push(row ? await this.claimExisting(row, now) : { kind: 'claimed', attempt: 1 });
    }
    return claims;
  }

  /** What a delivery that already has a row gives a new attempt. */
  private async claimExisting(row: DeliveryRow, now: string): Promise<AttemptClaim> {
    if (row.state === 'succeeded')
      return { kind: 'done', externalId: row.external_id ?? '', url: row.external_url };
    if (row.state === 'started' || row.state === 'uncertain')
      return {
        kind: 'in-doubt',
        since: row.first_started_at ?? row.started_at ?? now,
        doubtSince:
          (row.state === 'uncertain' ? row.uncertain_at : row.started_at) ?? row.started_at ?? now,
        attempt: row.attempt,
      };
    // retryable, or failed for good by an earlier try: a new job exists only because someone rescheduled it.
    return this.restart(row.key, ['retryable', 'failed'], row.attempt, now);
  }

  /**
   * Holds the post's row until the transaction ends (PostgreSQL; SQLite's writer lock holds the
   * file) and reads its version.
   */
  private async lockPost(postId: string): Promise<{ version: number } | undefined> {
    if (this.engine === 'sqlite') await writeLock(this.db);
    let q = this.db.selectFrom('campaign_posts').select('version').where('id', '=', postId);
    if (this.engine === 'postgres') q = q.forUpdate();
    return q.executeTakeFirst();
  }

  /**
   * Claims again a delivery in doubt (not found in the feed, or safe to resend) at the attempt it
   * was seen with: `taken` when another worker took it over first.
   */
  async takeOver(key: string, attempt: number, now: string): Promise<AttemptClaim> {
    return this.restart(key, ['started', 'uncertain'], attempt, now);
  }

  /** The compare-and-swap of a new attempt: only from `states` at `attempt`. */
  private async restart(
    key: string,
    states: readonly DeliveryState[],
    attempt: number,
    now: string,
  ): Promise<AttemptClaim> {
    const r = await this.db
      .updateTable('campaign_deliveries')
      .set({
        state: 'started',
        attempt: attempt + 1,
        started_at: now,
        uncertain_at: null,
        reason: null,
      })
      .where('key', '=', key)
      .where('state', 'in', states)
      .where('attempt', '=', attempt)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0
      ? { kind: 'claimed', attempt: attempt + 1 }
      : { kind: 'taken' };
  }

  private async update(
    key: string,
    set: Partial<Omit<DeliveryRow, 'key' | 'uncertain_at'>>,
    uncertainSince?: 'now' | 'started',
    now?: string,
  ): Promise<void> {
    await this.db
      .updateTable('campaign_deliveries')
      .set((eb) =>
        uncertainSince === undefined
          ? set
          : {
              ...set,
              uncertain_at:
                uncertainSince === 'now'
                  ? eb.fn.coalesce('uncertain_at', eb.val(now ?? null))
                  : eb.fn.coalesce('uncertain_at', 'started_at', eb.val(now ?? null)),
            },
      )
      .where('key', '=', key)
      .execute();
  }

  async succeed(key: string, result: { externalId: string; url?: string | null }, now: string) {
    await this.update(key, {
      state: 'succeeded',
      external_id: result.externalId,
      external_url: result.url ?? null,
      reason: null,
      finished_at: now,
    });
  }

  /** Marks several deliveries succeeded in one statement (a post's languages, in the caller's transaction). */
  async succeedAll(
    done: readonly { key: string; result: { externalId: string; url?: string | null } }[],
    now: string,
  ): Promise<void> {
    if (done.length < 2) {
      for (const d of done) await this.succeed(d.key, d.result, now);
      return;
    }
    await this.db
      .updateTable('campaign_deliveries')
      .set((eb) => {
        const byKey = (value: (d: (typeof done)[number]) => string | null) => {
          const [first, ...rest] = done;
          let c = eb.case().when('key', '=', first.key).then(value(first));
          for (const d of rest) c = c.when('key', '=', d.key).then(value(d));
          return c.end();
        };
        return {
          state: 'succeeded',
          external_id: byKey((d) => d.result.externalId),
          external_url: byKey((d) => d.result.url ?? null),
          reason: null,
          finished_at: now,
        };
      })
      .where(
        'key',
        'in',
        done.map((d) => d.key),
      )
      .execute();
  }

  /** The platform said no for now (5xx, 429, network): the next attempt may call again. */
  async release(key: string, reason: string, now: string): Promise<void> {
    await this.update(key, { state: 'retryable', reason, finished_at: now });
  }

  /** The call may have created the post (timeout, reset, 5xx): the next attempt reads the feed first. */
  async markUncertain(key: string, reason: string, now: string): Promise<void> {
    await this.update(key, { state: 'uncertain', reason, finished_at: now }, 'now', now);
  }

  /** Notes why the feed could not settle a delivery in doubt; it stays in doubt. */
  async stillInDoubt(key: string, reason: string, now: string): Promise<void> {
    await this.update(key, { state: 'uncertain', reason, finished_at: now }, 'started', now);
  }

  async fail(key: string, reason: string, now: string): Promise<void> {
    await this.update(key, { state: 'failed', reason, finished_at: now });
  }

  /** Occurrences of a post that went out in every language, oldest first (recurring posts). */
  async occurrencesDone(postId: string, languages: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('campaign_deliveries')
      .select('occurrence')
      .where('post_id', '=', postId)
      .where('state', '=', 'succeeded')
      .groupBy('occurrence')
      .having((eb) => eb.fn.countAll(), '=', languages)
      .orderBy('occurrence')
      .execute();
    return rows.map((r) => r.occurrence);
  }
}
