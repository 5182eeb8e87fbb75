import net from 'node:net';
import pg from 'pg';
import { getJson, startTestApp, TestApp } from '../helpers/app';
import { post, waitFor } from '../helpers/campaigns';
import { message, OFFERS_CHOICES, secondOption, send } from '../helpers/bot';
import { createSchema, dropSchema, schemaUrl, TEST_PG_URL } from '../helpers/databases';

/**
 * PostgreSQL going away and coming back, as a load balancer's health check or a managed server's
 * restart would: the app reaches it through a TCP relay on loopback that can cut every connection
 * and refuse new ones.
 */
function relay(target: URL) {
  let open = true;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (!open) return client.destroy();
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => sockets.delete(s));
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  return {
    listen: () =>
      new Promise<number>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
      ),
    cut() {
      open = false;
      for (const s of sockets) s.destroy();
    },
    restore() {
      open = true;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

const OFFICE = 'so-kingston-12180';
const APP_NAME = `gsa-down-${process.pid}`;
let schema: string;
let app: TestApp;
let token: string;
let comms: string;
const db = relay(new URL(TEST_PG_URL));

const api = (p: string) => `${app.baseUrl}${p}`;
const staff = (p: string, init: RequestInit = {}) =>
  getJson(api(p), {
    ...init,
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
      ...(init.headers ?? {}),
    },
  });
const campaigns = (method: 'GET' | 'POST', body?: unknown) =>
  getJson(api('/api/campaigns'), {
    method,
    headers: { Authorization: `Bearer ${comms}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const report = (minutes: number) =>
  staff(`/api/offices/${OFFICE}/wait`, { method: 'PUT', body: JSON.stringify({ minutes }) });

beforeAll(async () => {
  schema = await createSchema();
  const port = await db.listen();
  const url = new URL(schemaUrl(schema));
  url.port = String(port);
  url.searchParams.set('application_name', APP_NAME);
  // Redis up (the campaign endpoints need it), the job workers elsewhere.
  app = await startTestApp({
    DATABASE_URL: url.toString(),
    DATABASE_REFRESH_SECONDS: '1',
    WORKER: 'off',
  });
  token = (await app.tokens.issue({ role: 'office', org: 'serviceontario' })).token;
  comms = (await app.tokens.issue({ role: 'comms', org: 'service-canada' })).token;
}, 60_000);

afterAll(async () => {
  await app?.close();
  await db.close();
  await dropSchema(schema);
});

describe('PostgreSQL down, then back', () => {
  it('answers staff 503 database_unavailable in their language, keeps lookups and waits answering, and recovers by itself', async () => {
    expect((await report(4)).status).toBe(204);
    const created = await campaigns('POST', { title: 'Before', posts: [post()] });
    expect(created.status).toBe(201);
    db.cut();

    // The campaigns live in PostgreSQL too: their endpoints say so, the public outbox as well.
    for (const r of [await campaigns('GET'), await getJson(api('/api/outbox'))]) {
      expect([r.status, r.body.error.code]).toEqual([503, 'database_unavailable']);
    }

    const history = await staff(`/api/offices/${OFFICE}/waits?lang=fr`);
    expect(history.status).toBe(503);
    expect(history.body.error).toMatchObject({
      code: 'database_unavailable',
      message: expect.stringMatching(/base de données est injoignable/),
    });
    // A write that cannot be made says so; it is not taken and dropped.
    const lost = await report(55);
    expect([lost.status, lost.body.error.code]).toEqual([503, 'database_unavailable']);

    const lookup = await getJson(api('/api/lookup?q=renew%20my%20passport'));
    expect(lookup.status).toBe(200);
    expect(lookup.body.results.length).toBeGreaterThan(0);
    const nearest = await getJson(
      api('/api/offices/nearest?service=health-card&near=K7L%203N6&limit=20'),
    );
    expect(nearest.status).toBe(200);
    expect(nearest.body.offices.find((o: { id: string }) => o.id === OFFICE)).toMatchObject({
      waitMinutes: 4,
    });
    expect((await getJson(api('/api/closures'))).status).toBe(200);
    const ready = await waitFor(
      async () => {
        const r = await getJson(api('/readyz'));
        return r.body.database === 'down' ? r : null;
      },
      5000,
      'readyz to report the database down',
    );
    expect(ready.status).toBe(200);
    // Chat goes on too: its state stays in this process's memory until the database is back.
    const offered = await send(app.baseUrl, message('pg-down-1', 'licence'));
    expect(offered.text).toMatch(OFFERS_CHOICES);
    const option = secondOption(offered.text);
    expect((await send(app.baseUrl, message('pg-down-1', option.number))).text).toMatch(
      option.startsAnswer,
    );

    db.restore();
    const back = await waitFor(
      async () => {
        const r = await staff(`/api/offices/${OFFICE}/waits`);
        return r.status === 200 ? r : null;
      },
      20_000,
      'the staff endpoint to recover',
    );
    expect(back.body.reports.map((r: { minutes: number }) => r.minutes)).toEqual([4]);
    await waitFor(
      async () => (await getJson(api('/readyz'))).body.database === 'ok',
      5000,
      'readyz to report the database back',
    );
    expect((await report(6)).status).toBe(204);
    const listed = await campaigns('GET');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((c: { id: string }) => c.id)).toEqual([created.body.id]);
  });

  it('rides out its connections being terminated (a failover or restart of the server)', async () => {
    expect((await staff(`/api/offices/${OFFICE}/waits`)).status).toBe(200);
    const admin = new pg.Client({ connectionString: TEST_PG_URL });
    await admin.connect();
    try {
      const killed = await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
        [APP_NAME],
      );
      expect(killed.rowCount).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    const statuses: number[] = [];
    await waitFor(
      async () => {
        const r = await staff(`/api/offices/${OFFICE}/waits`);
        statuses.push(r.status);
        return r.status === 200;
      },
      20_000,
      'the staff endpoint after the connections were terminated',
    );
    // Nothing but 200 or a clear 503 on the way: never a 500.
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    expect(app.logLines.filter((l) => l.includes('"level":"error"'))).toEqual([]);
  });
});
