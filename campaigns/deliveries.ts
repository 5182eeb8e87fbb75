import type { Db } from '../lib/db';
import type { Language } from '../knowledge/schema';
import { statement } from './sql';

/**
 * The idempotency record of one delivery (one post, one occurrence, one language). It is written as
 * `started` before the platform is called, so a worker killed in the middle leaves a trace: the next
 * attempt then knows the outcome is in doubt instead of posting a second time. A call that timed
 * out, was reset or got a 5xx leaves it `uncertain`: the next attempt reads the feed first.
 */
export type DeliveryState = 'started' | 'succeeded' | 'retryable' | 'failed' | 'uncertain';

export type Claim =
  | { kind: 'claimed'; attempt: number }
  | { kind: 'done'; externalId: string; url: string | null }
  /** `since`: the first attempt's start; `doubtSince`: when the outcome became unknown. */
  | { kind: 'in-doubt'; since: string; doubtSince: string };

export interface DeliveryRow {
  key: string;
  post_id: string;
  occurrence: string;
  language: Language;
  state: DeliveryState;
  attempt: number;
  external_id: string | null;
  external_url: string | null;
  reason: string | null;
  started_at: string | null;
  finished_at: string | null;
  first_started_at: string | null;
  uncertain_at: string | null;
}

/** The key of a delivery: the same post, occurrence and language always give the same key. */
export function deliveryKey(postId: string, occurrence: string, language: Language): string {
  return `${postId}:${occurrence}:${language}`;
}

export class DeliveryLog {
  private readonly claimTx;

  constructor(private readonly db: Db) {
    this.claimTx = db.transaction(
      (key: string, postId: string, occurrence: string, language: Language, now: string): Claim => {
        const row = this.get(key);
        if (!row) {
          statement(
            this.db,
            `INSERT INTO campaign_deliveries (key, post_id, occurrence, language, state, attempt, started_at, first_started_at) VALUES (?, ?, ?, ?, 'started', 1, ?, ?)`,
          ).run(key, postId, occurrence, language, now, now);
          return { kind: 'claimed', attempt: 1 };
        }
        if (row.state === 'succeeded')
          return { kind: 'done', externalId: row.external_id ?? '', url: row.external_url };
        if (row.state === 'started' || row.state === 'uncertain')
          return {
            kind: 'in-doubt',
            since: row.first_started_at ?? row.started_at ?? now,
            doubtSince:
              (row.state === 'uncertain' ? row.uncertain_at : row.started_at) ??
              row.started_at ??
              now,
          };
        // retryable, or failed for good by an earlier try: a new job exists only because someone rescheduled it.
        return this.restart(key, now);
      },
    );
  }

  get(key: string): DeliveryRow | undefined {
    return statement(this.db, 'SELECT * FROM campaign_deliveries WHERE key = ?').get(key) as
      DeliveryRow | undefined;
  }

  forPost(postId: string): DeliveryRow[] {
    return statement(
      this.db,
      'SELECT * FROM campaign_deliveries WHERE post_id = ? ORDER BY started_at, language',
    ).all(postId) as DeliveryRow[];
  }

  /** Claims a delivery for this attempt, in one transaction; says why not when it cannot. */
  claim(key: string, postId: string, occurrence: string, language: Language, now: string): Claim {
    return this.claimTx(key, postId, occurrence, language, now);
  }

  /** Claims again a delivery that is `retryable`, or in doubt and not found in the feed (or safe to resend). */
  takeOver(key: string, now: string): Claim {
    return this.restart(key, now);
  }

  private restart(key: string, now: string): Claim {
    statement(
      this.db,
      `UPDATE campaign_deliveries SET state = 'started', attempt = attempt + 1, started_at = ?, uncertain_at = NULL, reason = NULL WHERE key = ?`,
    ).run(now, key);
    return { kind: 'claimed', attempt: this.get(key)?.attempt ?? 1 };
  }

  succeed(key: string, result: { externalId: string; url?: string | null }, now: string): void {
    statement(
      this.db,
      `UPDATE campaign_deliveries SET state = 'succeeded', external_id = ?, external_url = ?, reason = NULL, finished_at = ? WHERE key = ?`,
    ).run(result.externalId, result.url ?? null, now, key);
  }

  /** The platform said no for now (5xx, 429, network): the next attempt may call again. */
  release(key: string, reason: string, now: string): void {
    statement(
      this.db,
      `UPDATE campaign_deliveries SET state = 'retryable', reason = ?, finished_at = ? WHERE key = ?`,
    ).run(reason, now, key);
  }

  /** The call may have created the post (timeout, reset, 5xx): the next attempt reads the feed first. */
  markUncertain(key: string, reason: string, now: string): void {
    statement(
      this.db,
      `UPDATE campaign_deliveries SET state = 'uncertain', reason = ?, uncertain_at = COALESCE(uncertain_at, ?), finished_at = ? WHERE key = ?`,
    ).run(reason, now, now, key);
  }

  /** Notes why the feed could not settle a delivery in doubt; it stays in doubt. */
  stillInDoubt(key: string, reason: string, now: string): void {
    statement(
      this.db,
      `UPDATE campaign_deliveries SET state = 'uncertain', reason = ?, uncertain_at = COALESCE(uncertain_at, started_at, ?), finished_at = ? WHERE key = ?`,
    ).run(reason, now, now, key);
  }

  fail(key: string, reason: string, now: string): void {
    statement(
      this.db,
      `UPDATE campaign_deliveries SET state = 'failed', reason = ?, finished_at = ? WHERE key = ?`,
    ).run(reason, now, key);
  }

  /** Occurrences of a post that went out in every language, oldest first (recurring posts). */
  occurrencesDone(postId: string, languages: number): string[] {
    return (
      statement(
        this.db,
        `SELECT occurrence FROM campaign_deliveries WHERE post_id = ? AND state = 'succeeded' GROUP BY occurrence HAVING COUNT(*) = ? ORDER BY occurrence`,
      ).all(postId, languages) as { occurrence: string }[]
    ).map((r) => r.occurrence);
  }
}
