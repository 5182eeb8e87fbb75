import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { campaignPublishProcessor } from '../../jobs/campaign-publish';
import { startWorkers, WorkerHost } from '../../jobs/worker-host';
import { bootstrap, type Foundation } from '../../bot/bootstrap';
import { loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { CampaignStore } from '../../campaigns/store';
import { waitFor } from '../helpers/campaigns';
import { draftPost, scheduledCampaign } from '../helpers/campaign-store';
import { PlatformServer, startPlatform } from '../helpers/platform-server';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis';

let x: PlatformServer;
let host: WorkerHost;
let store: CampaignStore;
let foundation: Foundation;
let prefix: string;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'campaign-worker-'));
const credentials = path.join(dir, 'credentials.json');
fs.writeFileSync(
  credentials,
  JSON.stringify({ 'service-canada': { x: { accessToken: 'token' } } }),
);

beforeAll(async () => {
  x = await startPlatform(() => ({ status: 500 }));
});
afterAll(async () => {
  await x.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  x.requests.length = 0;
  prefix = uniquePrefix('worker');
  const config = loadConfig({
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    CAMPAIGN_X_API_URL: x.url,
    CAMPAIGN_CREDENTIALS_FILE: credentials,
    CAMPAIGN_RETRY_BASE_MS: '300',
    CAMPAIGN_RECONCILE_SECONDS: '1',
    LOG_LEVEL: 'silent',
  });
  // The worker's dependencies come from the one bootstrap, as in `npm run worker`.
  foundation = await bootstrap({
    config,
    logger: createLogger('silent'),
    dataDir: ':memory:',
    redis: true,
    campaigns: true,
  });
  const { db, logger, connections, campaigns } = foundation;
  store = new CampaignStore(db);
  host = startWorkers({ config, db, logger, connections, campaigns, offices: null }, [
    campaignPublishProcessor,
  ]);
});
afterEach(async () => {
  await host.close();
  await foundation.close();
  await deleteKeys(prefix);
});

/** The times the platform was called for the English text. */
const englishCalls = () =>
  x.requests.filter((r) => (r.json as { text?: string } | null)?.text === 'Renew online').length;

describe('the campaign worker (BullMQ)', () => {
  it('waits as long as a 429 says before the next try', async () => {
    const times: number[] = [];
    x.handle(() => {
      times.push(Date.now());
      return times.length === 1
        ? { status: 429, headers: { 'retry-after': '1' }, body: { title: 'Too Many Requests' } }
        : { status: 201, body: { data: { id: `t${times.length}` } } };
    });
    const [post] = scheduledCampaign(store, [
      draftPost({ channel: 'x', at: Date.now() + 200 }),
    ]).posts;
    await waitFor(() => store.getPost(post.id)?.status === 'published', 10_000, 'publication');
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(950);
    expect(store.getPost(post.id)).toMatchObject({
      attempts: 2,
      externalIds: { en: 't2', fr: 't3' },
    });
  });

  it('backs off exponentially on 5xx', async () => {
    const times: number[] = [];
    x.handle(() => {
      times.push(Date.now());
      return times.length <= 2
        ? { status: 503, body: 'unavailable' }
        : { status: 201, body: { data: { id: `t${times.length}` } } };
    });
    const [post] = scheduledCampaign(store, [
      draftPost({ channel: 'x', at: Date.now() + 200 }),
    ]).posts;
    await waitFor(() => store.getPost(post.id)?.status === 'published', 10_000, 'publication');
    // The delay between attempts is the behaviour under test; only lower bounds, which a busy
    // machine cannot break (it only makes the retries later).
    const [first, second] = [times[1] - times[0], times[2] - times[1]];
    expect(first).toBeGreaterThanOrEqual(230);
    expect(second).toBeGreaterThanOrEqual(470);
    expect(store.getPost(post.id)?.attempts).toBe(3);
  });

  it('does not retry a 400', async () => {
    x.handle(() => ({
      status: 400,
      body: { title: 'Invalid Request', detail: 'Your Tweet text is too long.' },
    }));
    const [post] = scheduledCampaign(store, [
      draftPost({ channel: 'x', at: Date.now() + 100 }),
    ]).posts;
    await waitFor(() => store.getPost(post.id)?.status === 'failed', 10_000, 'failure');
    await new Promise((r) => setTimeout(r, 800));
    expect(englishCalls()).toBe(1);
    expect(store.getPost(post.id)?.error).toMatchObject({
      status: 400,
      reason: 'Your Tweet text is too long.',
    });
  });
});
