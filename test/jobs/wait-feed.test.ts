import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { loadConfig } from '../../lib/config';
import { openSharedDatabase } from '../../lib/database';
import { openDatabase } from '../../lib/db';
import { createLogger } from '../../lib/logger';
import { OutreachStore } from '../../knowledge/offices/outreach-store';
import { WaitStore } from '../../knowledge/offices/wait-store';
import { pollWaitFeed, scheduleWaitFeed, waitFeedProcessor } from '../../jobs/wait-feed';
import { startWorkers } from '../../jobs/worker-host';
import { bootstrap } from '../../bot/bootstrap';
import { officeFinder } from '../helpers/offices';

const ROOT = path.join(__dirname, '..', '..');
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A local feed server whose next answer the test sets. */
function feedServer() {
  let next: { status: number; body: string } = { status: 200, body: '{"reports":[]}' };
  const server = http.createServer((_req, res) => {
    res.writeHead(next.status, { 'content-type': 'application/json' });
    res.end(next.body);
  });
  return {
    set: (status: number, body: unknown) =>
      (next = { status, body: typeof body === 'string' ? body : JSON.stringify(body) }),
    start: () =>
      new Promise<string>((r) =>
        server.listen(0, '127.0.0.1', () =>
          r(`http://127.0.0.1:${(server.address() as { port: number }).port}/waits.json`),
        ),
      ),
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

describe('wait-time feed', () => {
  const feed = feedServer();
  let url: string;
  beforeAll(async () => (url = await feed.start()));
  afterAll(() => feed.stop());

  it('records valid reports, skips bad ones and bad payloads, and keeps the history', async () => {
    const { registry, waits } = await officeFinder();
    const lines: string[] = [];
    const logger = createLogger('debug', (l) => lines.push(l));
    const now = () => new Date('2025-03-11T10:00:00-04:00');
    feed.set(200, {
      generatedAt: '2025-03-11T09:55:00-04:00',
      reports: [
        { office: 'sc-barrie', minutes: 25 },
        {
          office: 'sc-barrie',
          minutes: 40,
          service: 'passport',
          observedAt: '2025-03-11T09:50:00-04:00',
        },
        { office: 'sc-nowhere', minutes: 5 },
        { office: 'sc-barrie', minutes: -3 },
        { office: 'sc-barrie', minutes: 5000 },
        { office: 'sc-barrie', minutes: 5, service: 'health-card' },
      ],
    });
    expect(await pollWaitFeed(url, registry, waits, logger, now)).toEqual({
      recorded: 2,
      duplicates: 0,
      skipped: 4,
    });
    expect(await pollWaitFeed(url, registry, waits, logger, now)).toMatchObject({
      recorded: 0,
      duplicates: 2,
    });
    for (const [status, body] of [
      [200, 'not json'],
      [200, { rows: [] }],
      [500, 'down'],
      [200, { generatedAt: 'noon', reports: [] }],
    ] as const) {
      feed.set(status, body);
      expect((await pollWaitFeed(url, registry, waits, logger, now)).error).toBeTruthy();
    }
    expect(await waits.count()).toBe(2);
    expect(waits.estimate('sc-barrie', 'passport', now(), 3_600_000, 25)).toMatchObject({
      minutes: 40,
      source: 'live',
    });
    expect(lines.filter((l) => l.includes('wait feed skipped'))).toHaveLength(4);
    expect(lines.join('\n')).toContain('reports[2].office: unknown office');
  });

  it('polls on a BullMQ repeatable schedule through the registered processor', async () => {
    const prefix = `test-offices-${crypto.randomUUID().slice(0, 8)}`;
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wait-feed-'));
    const config = loadConfig({
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      DATA_DIR: dataDir,
      WAIT_FEED_URL: url,
      WAIT_FEED_INTERVAL_SECONDS: '10',
    });
    const logger = createLogger('silent');
    const foundation = await bootstrap({ config, logger, knowledge: 'records' });
    const { db, database, connections, offices } = foundation;
    feed.set(200, { reports: [{ office: 'sc-kingston', minutes: 12 }] });
    const queue = await scheduleWaitFeed(config, logger, connections.forQueues());
    const host = startWorkers({ config, db, logger, connections, campaigns: null, offices }, [
      waitFeedProcessor,
    ]);
    try {
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers).toEqual([
        expect.objectContaining({ key: 'poll-wait-feed', every: 10_000 }),
      ]);
      const waits = new WaitStore(database);
      for (let i = 0; i < 100 && (await waits.count()) === 0; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect((await waits.history('sc-kingston'))[0]).toMatchObject({
        minutes: 12,
        source: 'feed',
      });
    } finally {
      await host.close();
      await queue.obliterate({ force: true });
      await queue.close();
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
      await foundation.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('npm run offices:import', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'offices-import-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const env = { ...process.env, DATA_DIR: dataDir };
  const run = (args: string[]) =>
    spawnSync('npm', ['run', '--silent', 'offices:import', '--', ...args], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
    });

  it('imports outreach visits and closures from CSV, all rows or none', async () => {
    const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
    const visits = path.join(dataDir, 'visits.csv');
    fs.writeFileSync(
      visits,
      `site,date,start,end,services,note_en,note_fr\nsc-outreach-sandy-lake-first-nation,${day(30)},10:00,15:00,sin;oas,"At the school, gym","À l'école, gymnase"\nsc-outreach-wawa,${day(31)},09:00,12:00,,,\n`,
    );
    expect(run(['--visits', visits]).stdout).toBe('Imported 2 visits.\n');
    const bad = path.join(dataDir, 'bad.csv');
    fs.writeFileSync(
      bad,
      `site,date,start,end\nsc-outreach-wawa,${day(32)},09:00,12:00\nsc-nowhere,${day(32)},09:00,12:00\nsc-outreach-wawa,${day(33)},13:00,12:00\n`,
    );
    const refused = run(['--visits', bad]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(
      /Nothing imported: 2 of 3 rows are invalid\.\nline 3: There is no office with the id "sc-nowhere"\.\nline 4: end is missing or invalid/,
    );
    const closures = path.join(dataDir, 'closures.csv');
    fs.writeFileSync(
      closures,
      `office,area_near,area_radius_km,from,until,reason_en,reason_fr\nsc-timmins,,,,${day(40)}T00:00:00-05:00,Flood,Inondation\n,P0V,50,,,Forest fire,Feu de forêt\n`,
    );
    expect(run(['--closures', closures]).stdout).toBe('Imported 2 closures.\n');
    const db = openDatabase(dataDir);
    const store = new OutreachStore(openSharedDatabase({ url: '', poolMax: 1, sqlite: db }));
    await store.refresh();
    const snap = store.snapshot();
    expect(snap.visits.map((v) => [v.siteId, v.services.length > 0, v.note?.fr ?? null])).toEqual([
      ['sc-outreach-sandy-lake-first-nation', true, "À l'école, gymnase"],
      ['sc-outreach-wawa', true, null],
    ]);
    expect(store.activeClosures().map((c) => c.reason.fr)).toEqual(['Inondation', 'Feu de forêt']);
    db.close();
  });
});
