import { CAMPAIGN_OPENAPI } from '../../campaigns/openapi';
import { startTestApp, TestApp } from '../helpers/app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({}, { redis: false });
});
afterAll(async () => app.close());

describe('the campaign endpoints in OpenAPI', () => {
  it('describes every campaign route the server registers, and no other', () => {
    const routes = (app.server.getDebugInfo().routes as { method: string; path: string }[])
      .filter((r) => /^\/api\/(campaigns|outbox)/.test(r.path))
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`)
      .sort();
    const documented = Object.entries(CAMPAIGN_OPENAPI.paths)
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`))
      .sort();
    expect(routes).toEqual(documented);
  });

  it('defines every schema it refers to', () => {
    const refs = [
      ...JSON.stringify(CAMPAIGN_OPENAPI).matchAll(/#\/components\/schemas\/(\w+)/g),
    ].map((m) => m[1]);
    for (const name of new Set(refs)) expect(CAMPAIGN_OPENAPI.schemas).toHaveProperty(name);
  });

  it('answers 503 for campaigns, and keeps lookups working, when the service runs without Redis', async () => {
    const res = await fetch(`${app.baseUrl}/api/outbox`);
    expect(res.status).toBe(503);
    expect((await fetch(`${app.baseUrl}/api/lookup?q=passport`)).status).toBe(200);
  });
});
