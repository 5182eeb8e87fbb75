import type { Server } from 'restify';
import { Metrics } from '../../lib/metrics';

/** More metrics in the Prometheus text format, gathered when /metrics is scraped (campaigns, queues). */
export type MetricsSource = () => Promise<string>;

/** GET /metrics in the Prometheus text format: the process registry, then each source's text. */
export function registerMetricsRoute(
  server: Server,
  metrics: Metrics,
  sources: MetricsSource[] = [],
): void {
  server.get('/metrics', async (_req, res) => {
    const parts = [await metrics.registry.metrics()];
    for (const source of sources) {
      try {
        parts.push(await source());
      } catch {
        // A source that cannot answer (Redis down) is left out rather than failing the scrape.
      }
    }
    const body = parts.map((p) => p.trimEnd()).join('\n') + '\n';
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.sendRaw(200, body);
  });
}
