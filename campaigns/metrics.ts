import type { Queue } from 'bullmq';
import { sql } from 'kysely';
import type { CampaignDb } from './store';

/** Lateness buckets in ms: on time is under 100 ms; a Redis outage shows in the last ones. */
export const LATENESS_BUCKETS_MS = [10, 50, 100, 250, 500, 1000, 5000, 30_000, 300_000] as const;

/**
 * The campaign figures in Prometheus text format, for GET /metrics: publish lateness (a histogram
 * over every published post), posts by status, and the publish queue's depth by state. No personal
 * data: labels are statuses and states only.
 */
export async function campaignMetrics(db: CampaignDb, queue: Queue | null): Promise<string> {
  const lines: string[] = [];
  const row = (await db
    .selectFrom('campaign_posts')
    .select((eb) => [
      eb.fn.countAll<number>().as('n'),
      sql<number>`COALESCE(SUM(lateness_ms), 0)`.as('total'),
      ...LATENESS_BUCKETS_MS.map((b) =>
        sql<number>`SUM(CASE WHEN lateness_ms <= ${sql.lit(b)} THEN 1 ELSE 0 END)`.as(`b${b}`),
      ),
    ])
    .where('status', '=', 'published')
    .where('lateness_ms', 'is not', null)
    .executeTakeFirstOrThrow()) as Record<string, number | null>;
  lines.push(
    '# HELP campaign_publish_lateness_ms Actual minus scheduled publish time of published campaign posts.',
    '# TYPE campaign_publish_lateness_ms histogram',
  );
  for (const b of LATENESS_BUCKETS_MS)
    lines.push(`campaign_publish_lateness_ms_bucket{le="${b}"} ${row[`b${b}`] ?? 0}`);
  lines.push(
    `campaign_publish_lateness_ms_bucket{le="+Inf"} ${row.n}`,
    `campaign_publish_lateness_ms_sum ${row.total}`,
    `campaign_publish_lateness_ms_count ${row.n}`,
  );
  lines.push('# HELP campaign_posts Campaign posts by status.', '# TYPE campaign_posts gauge');
  const statuses = await db
    .selectFrom('campaign_posts')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .orderBy('status')
    .execute();
  for (const r of statuses) {
    lines.push(`campaign_posts{status="${r.status}"} ${r.n}`);
  }
  if (queue) {
    try {
      const counts = await queue.getJobCounts(
        'delayed',
        'waiting',
        'active',
        'failed',
        'completed',
      );
      lines.push(
        '# HELP campaign_queue_jobs Jobs in the campaign publish queue by state.',
        '# TYPE campaign_queue_jobs gauge',
      );
      for (const [state, n] of Object.entries(counts))
        lines.push(`campaign_queue_jobs{state="${state}"} ${n}`);
    } catch {
      // Redis down: the queue figures are left out, the rest still answers.
    }
  }
  return lines.join('\n') + '\n';
}
