import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { campaignPublishProcessor } from '../../jobs/campaign-publish';
import { startWorkers, WorkerHost } from '../../jobs/worker-host';
import { bootstrap, type Foundation } from '../../bot/bootstrap';
import { loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import type { PostDraft } from '../../campaigns/model';
import { CampaignStore } from '../../campaigns/store';
import { waitFor } from '../helpers/campaigns';
import { draftPost, scheduledCampaign } from '../helpers/campaign-store';
import { CREDENTIALS, FakeX, startFakes, type Fakes } from '../helpers/fake-platforms';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis';

let fakes: Fakes;
let x: FakeX;
let host: WorkerHost;
let store: CampaignStore;
let foundation: Foundation;
let prefix: string;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'campaign-worker-'));
const credentials = path.join(dir, 'credentials.json');
fs.writeFileSync(credentials, JSON.stringify(CREDENTIALS));

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  fakes = await startFakes();
  x = fakes.x;
  prefix = uniquePrefix('worker');
  const config = loadConfig({
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    ...fakes.env,
    CAMPAIGN_FEED_SETTLE_MS: '0',
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
  const { db, database, logger, connections, campaigns } = foundation;
  store = CampaignStore.open(database);
  host = startWorkers({ config, db, logger, connections, campaigns, offices: null }, [
    campaignPublishProcessor,
  ]);
});
afterEach(async () => {
  await host.close();
  await foundation.close();
  await fakes.close();
  await deleteKeys(prefix);
});

/** When X was asked to create a post with the English text. */
const englishCalls = () =>
  x.received
    .filter(
      (r) =>
        r.path === '/2/tweets' && (r.json as { text?: string } | null)?.text === 'Renew online',
    )
    .map((r) => r.at);

/** A scheduled post, once the worker has brought it to `status`. */
async function settled(draft: PostDraft, status: 'published' | 'failed') {
  const [post] = (await scheduledCampaign(store, [draft])).posts;
  await waitFor(async () => (await store.getPost(post.id))?.status === status, 10_000, status);
  return post;
}

describe('the campaign worker (BullMQ)', () => {
  it('waits as long as a 429 says before the next try', async () => {
    x.script(({ operation, text, seen }) =>
      operation === 'create' && text === 'Renew online' && seen === 0
        ? { kind: 'rate-limit', resetAfterSec: 1 }
        : null,
    );
    const post = await settled(draftPost({ channel: 'x', at: Date.now() + 200 }), 'published');
    const times = englishCalls();
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(950);
    expect(await store.getPost(post.id)).toMatchObject({
      attempts: 2,
      externalIds: {
        en: x.postsWith('Renew online')[0].id,
        fr: x.postsWith('Renouvelez en ligne')[0].id,
      },
    });
  });

  it('backs off exponentially on 5xx, reading the timeline before each new try', async () => {
    x.script(({ operation, text, seen }) =>
      operation === 'create' && text === 'Renew online' && seen <= 1
        ? { kind: 'server-error', status: 503 }
        : null,
    );
    const post = await settled(draftPost({ channel: 'x', at: Date.now() + 200 }), 'published');
    const times = englishCalls();
    // Timeline reads only (each token's account is also read once, GET /2/users/me, before its first use).
    expect(x.received.filter((r) => r.method === 'GET' && r.path.endsWith('/tweets'))).toHaveLength(
      2,
    );
    expect(x.posts).toHaveLength(2);
    // The delay between attempts is the behaviour under test; only lower bounds, which a busy
    // machine cannot break (it only makes the retries later).
    const [first, second] = [times[1] - times[0], times[2] - times[1]];
    expect(first).toBeGreaterThanOrEqual(230);
    expect(second).toBeGreaterThanOrEqual(470);
    expect((await store.getPost(post.id))?.attempts).toBe(3);
  });

  it('does not retry a 400', async () => {
    const post = await settled(
      draftPost({
        channel: 'x',
        at: Date.now() + 100,
        text: { en: `Renew online ${'é'.repeat(280)}`, fr: 'Renouvelez en ligne' },
      }),
      'failed',
    );
    await new Promise((r) => setTimeout(r, 800));
    const english = x.received.filter((r) =>
      String((r.json as { text?: string } | null)?.text).startsWith('Renew online'),
    );
    expect(english).toHaveLength(1);
    expect(
      x.postsWith(english[0].json ? (english[0].json as { text: string }).text : ''),
    ).toHaveLength(0);
    expect((await store.getPost(post.id))?.error).toMatchObject({
      status: 400,
      reason: expect.stringMatching(/^Your Tweet text is too long/),
    });
  });
});
