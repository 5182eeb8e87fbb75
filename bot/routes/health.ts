import type { Server } from 'restify';

export interface Readiness {
  db: 'ok' | 'down';
  /**
   * The shared stores (PostgreSQL with DATABASE_URL). Reported, but like Redis it does not make the
   * service unready: chat and lookups go on from memory, staff endpoints answer 503 meanwhile.
   */
  database: 'ok' | 'down';
  redis: 'ok' | 'down';
  nlu: 'ok' | 'down';
}

/**
 * /healthz: the process is up. /readyz: what the service can do now. Redis being down is reported but
 * does not make the service unready: chat and lookups work without it.
 */
export function registerHealthRoutes(server: Server, readiness: () => Readiness): void {
  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok' });
  });
  server.get('/readyz', async (_req, res) => {
    const state = readiness();
    res.send(state.db === 'ok' && state.nlu === 'ok' ? 200 : 503, state);
  });
}
