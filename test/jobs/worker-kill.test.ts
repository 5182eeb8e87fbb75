import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { CampaignStore } from '../../campaigns/store';
import { waitFor } from '../helpers/campaigns';
import { draftPost, fileStore, scheduledCampaign } from '../helpers/campaign-store';
import { CREDENTIALS, startFakes, type Fakes } from '../helpers/fake-platforms';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis';
import { kill, startWorkerProcess } from '../helpers/worker-process';

const POSTS = 120;
let dir: string;
let store: CampaignStore;
let closeStore: () => void;
let prefix: string;
let fakes: Fakes;
let env: Record<string, string>;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'worker-kill-'));
  ({ store, close: closeStore } = await fileStore(dir));
  prefix = uniquePrefix('kill');
  fakes = await startFakes();
  // Slow enough that a kill lands while calls are in flight.
  fakes.x.latencyMs = 40;
  fakes.facebook.latencyMs = 40;
  fs.writeFileSync(path.join(dir, 'credentials.json'), JSON.stringify(CREDENTIALS));
  env = {
    DATA_DIR: dir,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    CAMPAIGN_LOCK_MS: '2000',
    CAMPAIGN_RECONCILE_SECONDS: '1',
    ...fakes.env,
    CAMPAIGN_FEED_SETTLE_MS: '1000',
    CAMPAIGN_CREDENTIALS_FILE: path.join(dir, 'credentials.json'),
    CAMPAIGN_WORKER_CONCURRENCY: '8',
  };
});
afterEach(async () => {
  closeStore();
  await fakes.close();
  await deleteKeys(prefix);
  fs.rmSync(dir, { recursive: true, force: true });
});

const count = async (query: string) =>
  Number((await sql.raw<{ n: number }>(query).execute(store.db)).rows[0].n);
const done = () =>
  count(`SELECT COUNT(*) AS n FROM campaign_posts WHERE status IN ('published', 'failed')`);

async function killMidway(threshold: () => boolean): Promise<void> {
  const first = startWorkerProcess(env);
  await waitFor(threshold, 30_000, 'the first worker to publish some posts');
  expect(await kill(first, 'SIGKILL')).toBeNull();
  const second = startWorkerProcess(env);
  try {
    await waitFor(async () => (await done()) === POSTS, 40_000, 'every post to be settled');
  } finally {
    await kill(second, 'SIGTERM');
  }
}

const posts = (channel: 'x' | 'facebook') =>
  Array.from({ length: POSTS }, (_, i) =>
    draftPost({
      channel,
      at: Date.now() + 3000 + i * 10,
      text: { en: `Post ${i}`, fr: `Publication ${i}` },
    }),
  );

/** Every text was stored exactly once by the platform, in both languages. */
function expectEachOnce(received: { sentText: string }[]) {
  const texts = received.map((p) => p.sentText).sort();
  const expected = Array.from({ length: POSTS }, (_, i) => [`Post ${i}`, `Publication ${i}`])
    .flat()
    .sort();
  expect(texts).toEqual(expected);
}

describe('a worker killed with SIGKILL mid-publish, then restarted', () => {
  it('publishes every Facebook post exactly once, counted on what Facebook stored', async () => {
    await scheduledCampaign(store, posts('facebook'));
    await killMidway(() => fakes.facebook.posts.length >= POSTS / 2);
    expect(await count(`SELECT COUNT(*) AS n FROM campaign_posts WHERE status = 'published'`)).toBe(
      POSTS,
    );
    expectEachOnce(fakes.facebook.posts);
    expect(fakes.facebook.duplicates()).toBe(0);
  }, 90_000);

  it('never posts twice to X: a call cut short is found in the timeline, not repeated', async () => {
    await scheduledCampaign(store, posts('x'));
    await killMidway(() => fakes.x.posts.length >= POSTS / 2);
    expect(await count(`SELECT COUNT(*) AS n FROM campaign_posts WHERE status = 'published'`)).toBe(
      POSTS,
    );
    expectEachOnce(fakes.x.posts);
    expect(fakes.x.duplicates()).toBe(0);
  }, 90_000);

  it('finishes what it holds when stopped with SIGTERM, so nothing is left in doubt', async () => {
    await scheduledCampaign(store, posts('x'));
    const first = startWorkerProcess(env);
    await waitFor(
      () => fakes.x.posts.length >= POSTS / 2,
      30_000,
      'the first worker to publish some posts',
    );
    expect(await kill(first, 'SIGTERM')).toBe(0);
    expect(
      await count(`SELECT COUNT(*) AS n FROM campaign_deliveries WHERE state = 'started'`),
    ).toBe(0);
    const second = startWorkerProcess(env);
    try {
      await waitFor(async () => (await done()) === POSTS, 40_000, 'every post to be settled');
    } finally {
      await kill(second, 'SIGTERM');
    }
    expect(await count(`SELECT COUNT(*) AS n FROM campaign_posts WHERE status = 'published'`)).toBe(
      POSTS,
    );
    expectEachOnce(fakes.x.posts);
    expect(fakes.x.received.filter((r) => r.path === '/2/tweets')).toHaveLength(POSTS * 2);
  }, 90_000);
});
