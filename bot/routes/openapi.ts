import type { Server } from 'restify';
import { openApiDocument } from '../openapi';

export function registerOpenApiRoute(server: Server): void {
  const doc = openApiDocument();
  server.get('/api/openapi.json', async (_req, res) => {
    res.send(200, doc);
  });
}
