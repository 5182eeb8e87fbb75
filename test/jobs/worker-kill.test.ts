import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CampaignStore } from '../../campaigns/store';
import { openDatabase, Db } from '../../lib/db';
import { waitFor } from '../helpers/campaigns';
import { draftPost, scheduledCampaign } from '../helpers/campaign-store';
import { PlatformServer, startPlatform } from '../helpers/platform-server';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis';
import { kill, startWorkerProcess } from '../helpers/worker-process';

const POSTS = 120;
let dir: string;
let db: Db;
let store: CampaignStore;
let prefix: string;
let x: PlatformServer;
let env: Record<string, string>;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'worker-kill-'));
  db = openDatabase(dir);
  store = new CampaignStore(db);
  prefix = uniquePrefix('kill');
  // Plays X, slowly enough that a kill lands while calls are in flight.
  x = await startPlatform(async () => {
    await new Promise((r) => setTimeout(r, 40));
    return { status: 201, body: { data: { id: `tw-${x.requests.length}` } } };
  });
  fs.writeFileSync(
    path.join(dir, 'credentials.json'),
    JSON.stringify({ 'service-canada': { x: { accessToken: 't' } } }),
  );
  env = {
    DATA_DIR: dir,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    CAMPAIGN_LOCK_MS: '2000',
    CAMPAIGN_RECONCILE_SECONDS: '1',
    CAMPAIGN_X_API_URL: x.url,
    CAMPAIGN_CREDENTIALS_FILE: path.join(dir, 'credentials.json'),
    CAMPAIGN_WORKER_CONCURRENCY: '8',
  };
});
afterEach(async () => {
  db.close();
  await x.close();
  await deleteKeys(prefix);
  fs.rmSync(dir, { recursive: true, force: true });
});

const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
const done = () =>
  count(`SELECT COUNT(*) AS n FROM campaign_posts WHERE status IN ('published', 'failed')`);

async function killMidway(threshold: () => boolean): Promise<void> {
  const first = startWorkerProcess(env);
  await waitFor(threshold, 30_000, 'the first worker to publish some posts');
  expect(await kill(first, 'SIGKILL')).toBeNull();
  const second = startWorkerProcess(env);
  try {
    await waitFor(() => done() === POSTS, 40_000, 'every post to be settled');
  } finally {
    await kill(second, 'SIGTERM');
  }
}

describe('a worker killed with SIGKILL mid-publish, then restarted', () => {
  it('publishes every outbox post exactly once', async () => {
    const posts = Array.from({ length: POSTS }, (_, i) =>
      draftPost({ at: Date.now() + 3000 + i * 10 }),
    );
    scheduledCampaign(store, posts);
    await killMidway(() => count('SELECT COUNT(*) AS n FROM campaign_outbox') >= POSTS / 2);
    expect(count(`SELECT COUNT(*) AS n FROM campaign_posts WHERE status = 'published'`)).toBe(
      POSTS,
    );
    expect(count('SELECT COUNT(*) AS n FROM campaign_outbox')).toBe(POSTS * 2);
    expect(
      count(
        'SELECT COUNT(*) AS n FROM (SELECT post_id, language FROM campaign_outbox GROUP BY post_id, language HAVING COUNT(*) > 1)',
      ),
    ).toBe(0);
  }, 90_000);

  it('never posts twice to a platform: a call cut short is reported, not repeated', async () => {
    const posts = Array.from({ length: POSTS }, (_, i) =>
      draftPost({
        channel: 'x',
        at: Date.now() + 3000 + i * 10,
        text: { en: `Post ${i}`, fr: `Publication ${i}` },
      }),
    );
    scheduledCampaign(store, posts);
    await killMidway(() => x.requests.length >= POSTS / 2);
    const texts = x.requests.map((r) => (r.json as { text: string }).text);
    expect(texts.length).toBe(new Set(texts).size);
    const failed = db
      .prepare(`SELECT error_json FROM campaign_posts WHERE status = 'failed'`)
      .all() as { error_json: string }[];
    for (const f of failed) expect(JSON.parse(f.error_json).code).toBe('outcome_unknown');
    expect(count(`SELECT COUNT(*) AS n FROM campaign_posts WHERE status = 'published'`)).toBe(
      POSTS - failed.length,
    );
    expect(failed.length).toBeLessThanOrEqual(8);
  }, 90_000);

  it('finishes what it holds when stopped with SIGTERM, so nothing is left in doubt', async () => {
    const posts = Array.from({ length: POSTS }, (_, i) =>
      draftPost({
        channel: 'x',
        at: Date.now() + 3000 + i * 10,
        text: { en: `Post ${i}`, fr: `Publication ${i}` },
      }),
    );
    scheduledCampaign(store, posts);
    const first = startWorkerProcess(env);
    await waitFor(
      () => x.requests.length >= POSTS / 2,
      30_000,
      'the first worker to publish some posts',
    );
    expect(await kill(first, 'SIGTERM')).toBe(0);
    expect(count(`SELECT COUNT(*) AS n FROM campaign_deliveries WHERE state = 'started'`)).toBe(0);
    const second = startWorkerProcess(env);
    try {
      await waitFor(() => done() === POSTS, 40_000, 'every post to be settled');
    } finally {
      await kill(second, 'SIGTERM');
    }
    expect(count(`SELECT COUNT(*) AS n FROM campaign_posts WHERE status = 'published'`)).toBe(
      POSTS,
    );
    expect(x.requests.length).toBe(POSTS * 2);
  }, 90_000);
});
