import type { Queue } from 'bullmq';
import type { Db } from '../lib/db';
import { statement } from './sql';

/** Lateness buckets in ms: on time is under 100 ms; a Redis outage shows in the last ones. */
export const LATENESS_BUCKETS_MS = [10, 50, 100, 250, 500, 1000, 5000, 30_000, 300_000] as const;

/**
 * The campaign figures in Prometheus text format, for GET /metrics: publish lateness (a histogram
 * over every published post), posts by status, and the publish queue's depth by state. No personal
 * data: labels are statuses and states only.
 */
export async function campaignMetrics(db: Db, queue: Queue | null): Promise<string> {
  const lines: string[] = [];
  const buckets = LATENESS_BUCKETS_MS.map(
    (b) => `SUM(CASE WHEN lateness_ms <= ${b} THEN 1 ELSE 0 END) AS b${b}`,
  ).join(', ');
  const row = statement(
    db,
    `SELECT COUNT(*) AS n, COALESCE(SUM(lateness_ms), 0) AS total, ${buckets} FROM campaign_posts WHERE status = 'published' AND lateness_ms IS NOT NULL`,
  ).get() as Record<string, number>;
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
  for (const r of statement(
    db,
    'SELECT status, COUNT(*) AS n FROM campaign_posts GROUP BY status ORDER BY status',
  ).all() as { status: string; n: number }[]) {
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
