import { UnrecoverableError } from 'bullmq';
import { LANGUAGES, Language } from '../knowledge/schema';
import type { Logger } from '../lib/logger';
import type { AlertSink } from './alerts';
import type { AuditLog } from './audit';
import { deliverOnce } from './deliver';
import { AttemptClaim, deliveryKey, DeliveryLog } from './deliveries';
import { PostError, PostRecord, SYSTEM } from './model';
import type { PublisherRegistry } from './publishers/index';
import { Delivery, Publisher, PublishError, PublishResult } from './publishers/publisher';
import type { CampaignScheduler, PublishJobData } from './scheduler';
import { nextOccurrences } from './scheduler';
import type { CampaignStore } from './store';
import { Blackout, blackoutAt, formatInZone } from './time';

export interface RunnerDeps {
  store: CampaignStore;
  deliveries: DeliveryLog;
  audit: AuditLog;
  publishers: PublisherRegistry;
  scheduler: CampaignScheduler | null;
  blackouts: readonly Blackout[];
  logger: Logger;
  /** Told of every post that fails for good, or whose outcome cannot be decided (default: the log). */
  alerts?: AlertSink;
  /** After a call whose outcome is unknown, how long a post missing from the feed is awaited (ms). */
  feedSettleMs?: number;
}

export interface JobInfo {
  /** Tries already made (BullMQ's attemptsMade). */
  attemptsMade: number;
  maxAttempts: number;
  /** A job scheduler's occurrence (epoch ms). */
  prevMillis?: number;
}

/** A delivery that went out, not yet marked succeeded in the log. */
interface Done {
  key: string;
  result: PublishResult;
}

/** A language's delivery, ready to be claimed and sent. */
interface Prepared {
  publisher: Publisher;
  delivery: Delivery;
}

export type Outcome =
  'published' | 'unknown-post' | 'stale' | 'not-scheduled' | 'paused' | 'finished' | 'blackout';

const postError = (e: PublishError, language: Language | null): PostError => ({
  code: e.code,
  status: e.status,
  reason: e.reason,
  language,
  at: new Date().toISOString(),
});

/**
 * Publishes one due post: both languages, each delivery claimed in the database before the platform is
 * called, so retries, restarts, a second worker or a stale job never publish it twice.
 */
export class PublishRunner {
  constructor(private readonly deps: RunnerDeps) {}

  /**
   * When the job's post (or occurrence) is due, in epoch ms; null when the job is stale. A job that
   * says when (its occurrence, its scheduler's time, or the one-off post's time at the job's version)
   * is taken at its word, without reading the post: `run` reads it once, after the wait, and a job
   * for a version the post moved on from then does nothing.
   */
  async dueAt(data: PublishJobData, prevMillis?: number): Promise<number | null> {
    const said = data.occurrence ?? prevMillis ?? data.dueMs;
    if (said !== undefined) return said;
    const post = await this.deps.store.getPost(data.postId);
    if (!post || post.version !== data.version || post.publishAtMs === null) return null;
    return post.repeat ? (data.occurrence ?? prevMillis ?? post.publishAtMs) : post.publishAtMs;
  }

  async run(data: PublishJobData, job: JobInfo): Promise<Outcome> {
    const { store } = this.deps;
    // The post, its campaign and the emergency stop in one read.
    const state = await store.publishState(data.postId);
    if (!state) {
      this.deps.logger.warn(
        'publish job for an unknown post (another deployment on the same QUEUE_PREFIX?)',
        { postId: data.postId },
      );
      return 'unknown-post';
    }
    const { post, campaign } = state;
    if (post.version !== data.version) return 'stale';
    // A post waiting for a retry when its campaign was cancelled, rejected or paused stops here.
    const settle = async (status: 'cancelled' | 'draft' | 'scheduled') => {
      if (post.status === 'publishing')
        await store.patchPost(
          post.id,
          { status },
          { version: post.version, statuses: ['publishing'] },
        );
    };
    if (campaign.status !== 'scheduled') {
      await settle(campaign.status === 'cancelled' ? 'cancelled' : 'draft');
      return 'not-scheduled';
    }
    if (campaign.paused || state.pausedAll) {
      await settle('scheduled');
      return 'paused';
    }
    if (post.status !== 'scheduled' && post.status !== 'publishing') return 'finished';

    const dueMs = post.repeat
      ? (data.occurrence ?? job.prevMillis ?? post.publishAtMs!)
      : post.publishAtMs!;
    const occurrence = post.repeat ? String(dueMs) : 'once';
    if (post.repeat) {
      if (post.repeat.count !== null && post.occurrences >= post.repeat.count)
        return this.endRecurring(post);
      const done = await this.deps.deliveries.occurrencesDone(post.id, LANGUAGES.length);
      if (done.includes(occurrence)) return 'finished';
      const blackout = blackoutAt(dueMs, this.deps.blackouts);
      if (blackout) {
        await this.deps.audit.record({
          campaignId: post.campaignId,
          postId: post.id,
          action: 'occurrence_skipped',
          actor: SYSTEM,
          details: { occurrence: formatInZone(dueMs), blackout: blackout.label },
        });
        return 'blackout';
      }
    }

    // The languages are separate deliveries (own claim, own post): they go out side by side, and a
    // retry sends only those that did not. One that cannot be sent (no publisher, a share whose
    // original is missing) fails its language without a claim.
    const prepared = await Promise.allSettled(
      LANGUAGES.map((language) => this.prepare(post, occurrence, language, dueMs)),
    );
    const ready = prepared.flatMap((p) => (p.status === 'fulfilled' ? [p.value] : []));
    const claims = await this.claim(post, occurrence, ready);
    // The post moved on since it was read: its new version's job publishes it (a delivery that
    // went out before is found done in the log, not sent again).
    if (!claims) return 'stale';
    // A one-off post's deliveries that went out are marked succeeded in the transaction that
    // settles the post (published, or its error), one commit instead of one more per language;
    // a recurring post's count them before that, and marks them as they go.
    const done: Done[] = [];
    const deps = {
      deliveries: this.deps.deliveries,
      feedSettleMs: this.deps.feedSettleMs ?? 0,
      defer: post.repeat
        ? undefined
        : (key: string, result: PublishResult) => void done.push({ key, result }),
    };
    const settled = await Promise.allSettled(
      prepared.map(async (p) => {
        if (p.status === 'rejected') throw p.reason;
        const { publisher, delivery } = p.value;
        return deliverOnce(deps, publisher, delivery, claims[ready.indexOf(p.value)]);
      }),
    );
    const results = {} as Record<Language, PublishResult>;
    for (const [i, language] of LANGUAGES.entries()) {
      const outcome = settled[i];
      if (outcome.status === 'fulfilled') {
        results[language] = outcome.value;
        continue;
      }
      const err = outcome.reason as unknown;
      const e =
        err instanceof PublishError
          ? err
          : new PublishError('retryable', 'internal', (err as Error).message ?? String(err));
      return this.failed(post, e, language, job, done);
    }
    return this.published(post, results, dueMs, occurrence, done);
  }

  /**
   * Marks the post publishing and claims its deliveries in one transaction, committed before any
   * platform is called. The update holds the post's row at the job's version until the commit
   * (PostgreSQL's row lock; SQLite's write lock holds the file): a second worker claiming the same
   * post waits, then sees these claims. Null when the post moved to another version: nothing is
   * claimed.
   */
  private async claim(
    post: PostRecord,
    occurrence: string,
    ready: readonly Prepared[],
  ): Promise<AttemptClaim[] | null> {
    const now = new Date().toISOString();
    return this.deps.store.transaction(async (tx) => {
      const publishing = await tx.store.patchPost(
        post.id,
        { status: 'publishing', attempts: post.attempts + 1, nextAttemptAt: null },
        { version: post.version },
        now,
      );
      if (!publishing) return null;
      const wanted = ready.map(({ delivery: d }) => ({
        key: d.key,
        occurrence,
        language: d.language,
      }));
      return new DeliveryLog(tx.store.db, tx.store.engine).claimLocked(post.id, wanted, now);
    });
  }

  /** A language's delivery and the publisher that sends it; a permanent PublishError when there is none. */
  private async prepare(
    post: PostRecord,
    occurrence: string,
    language: Language,
    dueMs: number,
  ): Promise<Prepared> {
    const publisher = this.deps.publishers.get(post.channel);
    if (!publisher)
      throw new PublishError('permanent', 'not_configured', `no publisher for ${post.channel}`);
    const key = deliveryKey(post.id, occurrence, language);
    return { publisher, delivery: await this.delivery(post, key, language, dueMs) };
  }

  private async delivery(
    post: PostRecord,
    key: string,
    language: Language,
    dueMs: number,
  ): Promise<Delivery> {
    let shareOf: Delivery['shareOf'] = null;
    if (post.shareOf) {
      const original = await this.deps.deliveries.get(deliveryKey(post.shareOf, 'once', language));
      if (!original?.external_id || original.state !== 'succeeded')
        throw new PublishError(
          'permanent',
          'original_missing',
          `the original post ${post.shareOf} was not published in ${language}`,
        );
      shareOf = { externalId: original.external_id, url: original.external_url };
    }
    return {
      key,
      campaignId: post.campaignId,
      postId: post.id,
      channel: post.channel,
      account: post.account,
      language,
      text: post.text?.[language] ?? null,
      image: post.image ? { url: post.image.url, alt: post.image.alt[language] } : null,
      shareOf,
      scheduledAt: formatInZone(dueMs),
    };
  }

  private async published(
    post: PostRecord,
    results: Record<Language, PublishResult>,
    dueMs: number,
    occurrence: string,
    done: readonly Done[],
  ): Promise<Outcome> {
    const { store } = this.deps;
    const now = Date.now();
    const latenessMs = Math.max(0, now - dueMs);
    const first = results[LANGUAGES[0]];
    const externalIds = Object.fromEntries(LANGUAGES.map((l) => [l, results[l].externalId]));
    const occurrences = post.repeat
      ? (await this.deps.deliveries.occurrencesDone(post.id, LANGUAGES.length)).length
      : 1;
    const more = post.repeat
      ? nextOccurrences(post, dueMs, 1).length > 0 &&
        (post.repeat.count === null || occurrences < post.repeat.count)
      : false;
    await store.transaction(async (tx) => {
      await this.succeedAll(tx.store, done, now);
      await tx.store.patchPost(
        post.id,
        {
          status: more ? 'scheduled' : 'published',
          publishedAt: new Date(now).toISOString(),
          latenessMs,
          externalId: first.externalId,
          externalUrl: first.url ?? null,
          externalIds,
          error: null,
          occurrences,
        },
        { version: post.version },
      );
      await tx.audit.record({
        campaignId: post.campaignId,
        postId: post.id,
        action: 'published',
        actor: SYSTEM,
        details: {
          latenessMs,
          occurrence: post.repeat ? formatInZone(Number(occurrence)) : undefined,
          externalIds,
        },
      });
    });
    if (post.repeat && !more) await this.deps.scheduler?.unschedule(post).catch(() => undefined);
    if (post.partnerShare) await this.scheduleShare(post, now);
    return 'published';
  }

  private async failed(
    post: PostRecord,
    e: PublishError,
    language: Language,
    job: JobInfo,
    done: readonly Done[],
  ): Promise<never> {
    const { store } = this.deps;
    const error = postError(e, language);
    const retry = e.kind === 'retryable' && job.attemptsMade + 1 < job.maxAttempts;
    const now = Date.now();
    // The post's error, its audit entry and the languages that went out in one transaction (one
    // commit). A recurring post that fails for good stays scheduled: the next occurrence may go through.
    await store.transaction(async (tx) => {
      await this.succeedAll(tx.store, done, now);
      await tx.store.patchPost(
        post.id,
        retry ? { error } : { status: post.repeat ? 'scheduled' : 'failed', error },
        { version: post.version },
      );
      await tx.audit.record({
        campaignId: post.campaignId,
        postId: post.id,
        action: retry ? 'retrying' : 'failed',
        actor: SYSTEM,
        details: retry
          ? { attempt: job.attemptsMade + 1, code: e.code, status: e.status, reason: e.reason }
          : { code: e.code, status: e.status, reason: e.reason, language },
      });
    });
    if (retry) throw e;
    await this.alert(post, e, language);
    const share = post.repeat ? undefined : await store.shareOf(post.id);
    if (share && share.status === 'scheduled')
      await store.patchPost(share.id, { status: 'cancelled' }, { version: share.version });
    throw new UnrecoverableError(`${e.code}: ${e.reason}`);
  }

  /** Marks the deliveries that went out succeeded, in the caller's transaction (`store` bound to it). */
  private async succeedAll(store: CampaignStore, done: readonly Done[], nowMs: number) {
    if (!done.length) return;
    const iso = new Date(nowMs).toISOString();
    await new DeliveryLog(store.db, store.engine).succeedAll(done, iso);
  }

  /** Nobody watches the worker: a post that fails for good, or stays in doubt, is sent as an alert. */
  private async alert(post: PostRecord, e: PublishError, language: Language): Promise<void> {
    const alert = {
      code: e.code,
      campaignId: post.campaignId,
      postId: post.id,
      channel: post.channel,
      account: post.account,
      language,
      reason: e.reason,
      status: e.status,
      at: new Date().toISOString(),
    };
    if (this.deps.alerts) await this.deps.alerts.send(alert);
    else this.deps.logger.error('campaign alert', { ...alert });
  }

  private async endRecurring(post: PostRecord): Promise<Outcome> {
    await this.deps.store.patchPost(post.id, { status: 'published' }, { version: post.version });
    void this.deps.scheduler?.unschedule(post).catch(() => undefined);
    return 'finished';
  }

  /** "Partner shares after N minutes": times the partner's share from the moment the original went out. */
  private async scheduleShare(original: PostRecord, publishedMs: number): Promise<void> {
    const { store } = this.deps;
    const share = await store.shareOf(original.id);
    if (!share || share.status !== 'scheduled' || share.publishAtMs !== null) return;
    let at = publishedMs + (original.partnerShare?.afterMinutes ?? 0) * 60_000;
    const blackout = blackoutAt(at, this.deps.blackouts);
    if (blackout) at = blackout.endMs;
    const version = share.version + 1;
    if (
      !(await store.patchPost(
        share.id,
        { publishAt: formatInZone(at), publishAtMs: at, version },
        { version: share.version },
      ))
    )
      return;
    await this.deps.audit.record({
      campaignId: share.campaignId,
      postId: share.id,
      action: 'share_scheduled',
      actor: SYSTEM,
      details: { of: original.id, publishAt: formatInZone(at) },
    });
    try {
      await this.deps.scheduler?.schedule({
        ...share,
        publishAt: formatInZone(at),
        publishAtMs: at,
        version,
      });
    } catch (err) {
      this.deps.logger.warn('share not scheduled yet; the reconciler will', {
        postId: share.id,
        err: (err as Error).message,
      });
    }
  }
}
