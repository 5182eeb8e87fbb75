import http from 'node:http';
import { startTestApp, TestApp } from '../helpers/app';

/** A small deterministic PRNG (mulberry32), so a failing request can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SAMPLES = [
  '',
  ' ',
  'a',
  '%',
  '%%',
  '%zz',
  '..',
  '../..',
  '\u0000',
  '\uffff',
  '🙂',
  'é',
  '<script>',
  "' OR 1=1 --",
  '{"a":',
  '[]',
  'null',
  'NaN',
  '-1',
  '1e309',
  'x'.repeat(600),
  'passport',
  'NAS perdu',
  'en',
  'fr',
  'de',
];

interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

function randomRequest(
  rand: () => number,
  routes: Array<{ method: string; path: string }>,
  tokens: string[],
): Sent {
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const target = pick(routes);
  const str = () =>
    rand() < 0.5
      ? pick(SAMPLES)
      : Array.from({ length: Math.floor(rand() * 40) }, () =>
          String.fromCharCode(Math.floor(rand() * 0x2fff)),
        ).join('');
  let path = target.path.replace(/:\w+|\{\w+\}|\*/g, () => encodeURIComponent(str()).slice(0, 200));
  if (rand() < 0.2) path += '/' + encodeURIComponent(str());
  if (rand() < 0.7) {
    const params = Array.from(
      { length: Math.floor(rand() * 4) },
      () =>
        `${pick(['q', 'lang', 'id', 'from', 'to', 'table', 'near', 'service', str()])}=${rand() < 0.1 ? str() : encodeURIComponent(str())}`,
    );
    path += '?' + params.join('&');
  }
  const method =
    rand() < 0.75
      ? target.method
      : pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']);
  const headers: Record<string, string> = {};
  if (rand() < 0.5)
    headers['content-type'] = pick([
      'application/json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=latin1',
      str().replace(/[^\x20-\x7e]/g, ''),
    ]);
  // Half the requests carry a real staff token, so handlers past the auth check are fuzzed too.
  if (rand() < 0.5) headers.authorization = `Bearer ${pick(tokens)}`;
  else if (rand() < 0.3)
    headers.authorization = pick([
      'Bearer',
      'Bearer gst_x',
      'Basic abc',
      `Bearer ${str().replace(/[^\x21-\x7e]/g, '')}`,
    ]);
  if (rand() < 0.3)
    headers['accept-language'] = pick([
      'fr',
      'fr-CA,en;q=0.5',
      '*',
      str().replace(/[^\x20-\x7e]/g, ''),
    ]);
  let body: Buffer | undefined;
  if (method !== 'GET' && method !== 'HEAD' && rand() < 0.8) {
    const kind = rand();
    body = Buffer.from(
      kind < 0.3
        ? JSON.stringify({
            type: pick(['message', 'event', 'invoke', str()]),
            text: str(),
            from: rand() < 0.5 ? { id: str() } : str(),
            value: { nested: [str(), rand()] },
          })
        : kind < 0.5
          ? pick(SAMPLES)
          : kind < 0.7
            ? JSON.stringify(Array.from({ length: 50 }, str))
            : Buffer.from(
                Array.from({ length: Math.floor(rand() * 2000) }, () => Math.floor(rand() * 256)),
              ).toString('latin1'),
      'latin1',
    );
  }
  return { method, path: path.startsWith('/') ? path : '/' + path, headers, body };
}

function send(port: number, r: Sent): Promise<number> {
  return new Promise((resolve) => {
    // Node refuses raw spaces and control characters in a path; anything else malformed is sent as is.
    r.path = r.path.replace(
      // eslint-disable-next-line no-control-regex -- control characters are what this escapes
      /[\u0000-\u0020\u007f-\uffff]/g,
      (c) => `%${(c.charCodeAt(0) & 0xff).toString(16).padStart(2, '0')}`,
    );
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: r.method,
        path: r.path,
        headers: r.body ? { ...r.headers, 'content-length': String(r.body.length) } : r.headers,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(-1));
    if (r.body) req.write(r.body);
    req.end();
  });
}

let app: TestApp;
beforeAll(async () => {
  // The whole app with Redis, as it runs (campaign endpoints answer 503 by design when Redis is down).
  app = await startTestApp({ RATE_LIMIT_PER_CLIENT: '0', LOG_LEVEL: 'silent' });
});
afterAll(async () => app.close());

describe('fuzzing every endpoint with random and malformed requests', () => {
  it('never answers 5xx, never crashes, and keeps memory bounded', async () => {
    const port = Number(new URL(app.baseUrl).port);
    const routes = (
      Object.values(app.server.router.getRoutes()) as Array<{ method: string; path: string }>
    ).map((r) => ({ method: r.method, path: String(r.path) }));
    const rand = prng(20261128);
    const tokens = await Promise.all(
      (['comms', 'office', 'agent', 'admin'] as const).flatMap((role) =>
        (['service-canada', 'serviceontario'] as const).map(
          async (org) => (await app.tokens.issue({ role, org })).token,
        ),
      ),
    );
    const count = Number(process.env.FUZZ_REQUESTS ?? 3000);
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    const failures: Array<{ status: number; req: Sent }> = [];
    const histogram = new Map<number, number>();
    for (let i = 0; i < count; i += 20) {
      const batch = Array.from({ length: 20 }, () => randomRequest(rand, routes, tokens));
      const statuses = await Promise.all(batch.map((r) => send(port, r)));
      statuses.forEach((s, j) => {
        histogram.set(s, (histogram.get(s) ?? 0) + 1);
        if (s >= 500 || s < 0) failures.push({ status: s, req: { ...batch[j], body: undefined } });
      });
    }
    global.gc?.();
    const growthMb = (process.memoryUsage().heapUsed - before) / 1e6;
    process.stdout.write(
      `fuzz: ${count} requests, ${failures.length} 5xx or dropped, heap growth ${growthMb.toFixed(1)} MB; statuses ${[
        ...histogram,
      ]
        .sort((a, b) => a[0] - b[0])
        .map(([k, v]) => `${k}:${v}`)
        .join(' ')}\n`,
    );
    // The requests must reach the handlers, not only the router's 404.
    expect([...histogram.keys()].filter((s) => s >= 200 && s < 300).length).toBeGreaterThan(0);
    expect(histogram.get(400) ?? 0).toBeGreaterThan(count / 50);
    expect(failures.slice(0, 5)).toEqual([]);
    expect(growthMb).toBeLessThan(150);
    const health = await fetch(`${app.baseUrl}/healthz`);
    expect(health.status).toBe(200);
  }, 120_000);
});
