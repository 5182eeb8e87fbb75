import type { ChildProcess } from 'node:child_process';
import { sql } from 'kysely';
import type { Database } from '../../lib/database';
import {
  BenchPost,
  count,
  inList,
  rows as query,
  startBenchApp,
  startWorker,
  stop,
  until,
} from './campaign-bench-kit';
import { percentile } from './nlu-eval';

interface Figures {
  latenessMs: number[];
  publishedPerSecond: number;
  duplicates: number;
  missing: number;
}

const outboxPosts = (times: number[], tag: string): BenchPost[] =>
  times.map((at, i) => ({
    channel: 'outbox',
    publishAtMs: at,
    text: {
      en: `${tag} post ${i}: renew online at https://www.canada.ca`,
      fr: `${tag} publication ${i} : renouvelez en ligne sur https://www.canada.ca`,
    },
  }));

/** Lateness, throughput, duplicates and missing of the posts of these campaigns, once all settled. */
async function settle(
  db: Database,
  ids: string[],
  posts: number,
  timeoutMs: number,
): Promise<Figures> {
  const pending = () =>
    count(
      db,
      sql`SELECT COUNT(*) AS n FROM campaign_posts WHERE campaign_id IN (${inList(ids)}) AND status NOT IN ('published', 'failed')`,
    );
  await until(async () => (await pending()) === 0, timeoutMs, 'every post to be published');
  const rows = await query(
    db,
    sql<{
      l: number;
      due: number;
    }>`SELECT lateness_ms AS l, publish_at_ms AS due FROM campaign_posts WHERE campaign_id IN (${inList(ids)}) AND status = 'published'`,
  );
  const [published] = await query(
    db,
    sql<{
      a: string;
      b: string;
    }>`SELECT MIN(published_at) AS a, MAX(published_at) AS b FROM campaign_posts WHERE campaign_id IN (${inList(ids)})`,
  );
  const firstDue = Math.min(...rows.map((r) => r.due));
  // The outbox keeps one row per delivery key (a unique key): these two figures cannot show a
  // duplicate; the platform scenario counts on what the fake platforms received.
  return {
    latenessMs: rows.map((r) => r.l).sort((a, b) => a - b),
    publishedPerSecond: rows.length / Math.max(0.001, (Date.parse(published.b) - firstDue) / 1000),
    duplicates: await count(
      db,
      sql`SELECT COUNT(*) AS n FROM (SELECT 1 FROM campaign_outbox WHERE campaign_id IN (${inList(ids)}) GROUP BY post_id, language HAVING COUNT(*) > 1) AS twice`,
    ),
    missing:
      posts * 2 -
      (await count(
        db,
        sql`SELECT COUNT(DISTINCT delivery_key) AS n FROM campaign_outbox WHERE campaign_id IN (${inList(ids)})`,
      )),
  };
}

const line = (label: string, f: Figures) =>
  `${label}: lateness p50 ${percentile(f.latenessMs, 50)} ms, p99 ${percentile(f.latenessMs, 99)} ms, max ${f.latenessMs[f.latenessMs.length - 1]} ms; duplicates ${f.duplicates}, missing ${f.missing}`;

/**
 * `npm run bench:campaigns -- --outbox`: the embedded outbox only, no platform: lateness of `total`
 * posts (1,000 by default) due within one minute, scheduling throughput through the API, publishing
 * throughput of as many posts due at once, and a worker SIGKILLed and restarted mid-way.
 */
export async function outboxRuns(total: number): Promise<void> {
  const bench = await startBenchApp();
  const db = bench.database;
  const n = total.toLocaleString('en');
  let worker: ChildProcess | null = null;
  try {
    worker = startWorker(bench.env);
    const start1 = Date.now() + 20_000;
    const run1 = await bench.schedule(
      outboxPosts(
        Array.from({ length: total }, (_, i) => start1 + Math.floor((i * 60_000) / total)),
        'lateness',
      ),
      'lateness',
    );
    process.stdout.write(
      `Scheduling through the API (create + approve, ${total} posts in ${run1.ids.length} campaigns): ${(run1.ms / 1000).toFixed(2)} s, ${Math.round(total / (run1.ms / 1000))} posts/s\n`,
    );
    process.stdout.write(
      `${line(`${n} posts due within one minute`, await settle(db, run1.ids, total, 150_000))}\n`,
    );

    const start2 = Date.now() + 12_000;
    const run2 = await bench.schedule(
      outboxPosts(
        Array.from({ length: total }, () => start2),
        'burst',
      ),
      'burst',
    );
    const f2 = await settle(db, run2.ids, total, 120_000);
    process.stdout.write(
      `Publishing throughput (${n} posts due at once, 2 deliveries each, one worker process): ${Math.round(f2.publishedPerSecond)} posts/s; ${line('burst', f2)}\n`,
    );

    const start3 = Date.now() + 15_000;
    const run3 = await bench.schedule(
      outboxPosts(
        Array.from({ length: total }, (_, i) => start3 + Math.floor((i * 30_000) / total)),
        'kill',
      ),
      'kill',
    );
    const published = () =>
      count(
        db,
        sql`SELECT COUNT(*) AS n FROM campaign_posts WHERE campaign_id IN (${inList(run3.ids)}) AND status = 'published'`,
      );
    await until(async () => (await published()) >= total / 2, 120_000, 'half the posts');
    await stop(worker, 'SIGKILL');
    const before = await published();
    worker = startWorker(bench.env);
    const f3 = await settle(db, run3.ids, total, 180_000);
    process.stdout.write(
      `${line(`Worker SIGKILLed after ${before} of ${total} posts (due within 30 s), then restarted`, f3)}\n`,
    );
  } finally {
    if (worker) await stop(worker, 'SIGTERM');
    await bench.close();
  }
}
