import { getJson, startTestApp, TestApp } from '../helpers/app';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({}, { redis: false });
});
afterAll(async () => app.close());

/** restify's route table as "METHOD /path/{param}". */
function registeredApiRoutes(): string[] {
  const routes = Object.values(app.server.router.getRoutes()) as Array<{
    method: string;
    path: string;
  }>;
  return routes
    .filter((r) => String(r.path).startsWith('/api/') && r.method !== 'OPTIONS')
    .map((r) => `${r.method} ${String(r.path).replace(/:(\w+)/g, '{$1}')}`)
    .sort();
}

describe('GET /api/openapi.json', () => {
  it('is an OpenAPI 3.1 document describing exactly the /api routes the server serves', async () => {
    const { status, body } = await getJson(`${app.baseUrl}/api/openapi.json`);
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    const documented = Object.entries(body.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual(registeredApiRoutes());
  });

  it('gives every operation a summary and its error answers', async () => {
    const { body } = await getJson(`${app.baseUrl}/api/openapi.json`);
    for (const ops of Object.values(body.paths as Record<string, Record<string, any>>)) {
      for (const op of Object.values(ops)) {
        expect(op.summary).toBeTruthy();
        expect(op.responses).toBeTruthy();
      }
    }
  });
});

describe('GET /metrics', () => {
  it('counts requests by route template and answers by outcome and language, with no personal data', async () => {
    await getJson(
      `${app.baseUrl}/api/lookup?q=${encodeURIComponent('my SIN 046 454 286 is lost')}`,
    );
    await getJson(`${app.baseUrl}/api/services/no-such-id-K1A0B1`);
    const res = await fetch(`${app.baseUrl}/metrics`);
    const text = await res.text();
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    expect(text).toMatch(
      /http_requests_total\{method="GET",route="\/api\/lookup",status="200"\} \d+/,
    );
    expect(text).toMatch(
      /http_requests_total\{method="GET",route="\/api\/services\/:id",status="404"\} 1/,
    );
    expect(text).toMatch(/answers_total\{channel="api",outcome="answered",language="en"\} \d+/);
    expect(text).toMatch(/http_request_duration_seconds_bucket/);
    expect(text).not.toMatch(/046 454 286|046%20454|K1A0B1|no-such-id/);
  });
});
