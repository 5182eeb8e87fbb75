import type { Server } from 'restify';
import { Metrics } from '../../lib/metrics';

/** GET /metrics in the Prometheus text format. */
export function registerMetricsRoute(server: Server, metrics: Metrics): void {
  server.get('/metrics', async (_req, res) => {
    const body = await metrics.registry.metrics();
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.sendRaw(200, body);
  });
}
