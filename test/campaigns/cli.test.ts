import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { CampaignScheduler, jobId, PUBLISH_QUEUE } from '../../campaigns/scheduler';
import { queueConnection } from '../../lib/redis';
import { createLogger } from '../../lib/logger';
import { draftPost, fileStore, scheduledCampaign } from '../helpers/campaign-store';
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from '../helpers/redis';
import { freePort } from '../helpers/ports';
import { runEntry } from '../helpers/worker-process';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'campaign-cli-'));
const prefix = uniquePrefix('cli');
const env = { DATA_DIR: dir, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, LOG_LEVEL: 'error' };
const cli = (...args: string[]) => runEntry('bot/campaigns-cli.ts', args, env);
afterAll(async () => {
  await deleteKeys(prefix);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('npm run campaigns (the emergency command)', () => {
  it('pauses everything, removing the queued jobs, and resumes it', async () => {
    const { store, close } = await fileStore(dir);
    const queue = new Queue(PUBLISH_QUEUE, { connection: queueConnection(TEST_REDIS_URL), prefix });
    const [post] = (await scheduledCampaign(store, [draftPost()])).posts;
    await new CampaignScheduler(
      queue,
      store,
      { attempts: 3, retryBaseMs: 100 },
      createLogger('silent'),
    ).schedule(post);
    expect(await queue.getJobState(jobId(post))).toBe('delayed');

    const paused = cli('pause-all', '--reason', 'Severe weather');
    expect(paused).toMatchObject({
      status: 0,
      stdout: expect.stringMatching(
        /Emergency stop on: every campaign is paused \(1 scheduled posts held\)/,
      ),
    });
    expect(await store.pausedAll()).toMatchObject({ reason: 'Severe weather' });
    expect(await queue.getJobState(jobId(post))).toBe('unknown');
    expect(cli('status', '--lang', 'fr').stdout).toMatch(/suspendues depuis/);
    expect(cli('pause-all').stdout).toMatch(/already paused/);

    const resumed = cli('resume-all');
    expect(resumed.stdout).toMatch(/1 posts are back on the schedule/);
    const renewed = (await store.getPost(post.id))!;
    expect(renewed.version).toBe(post.version + 1);
    expect(await queue.getJobState(jobId(renewed))).toBe('delayed');
    expect(await store.pausedAll()).toBeNull();
    await queue.close();
    close();
  }, 60_000);

  it('checks the credentials file, naming each problem by its entry, never a secret', async () => {
    const file = path.join(dir, 'credentials.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        'service-canda': { x: { accessToken: 'tok-cli-secret', userId: '1' } },
        'service-canada': {
          x: {
            fr: { accessToken: 'tok-cli-secret', userId: '2', expiresAt: '2026-01-01T00:00:00Z' },
          },
        },
      }),
    );
    // No platform answers: what the file itself says is still checked.
    const closed = `http://127.0.0.1:${await freePort()}`;
    const r = runEntry('bot/campaigns-cli.ts', ['credentials'], {
      ...env,
      CAMPAIGN_CREDENTIALS_FILE: file,
      CAMPAIGN_X_API_URL: closed,
      CAMPAIGN_HTTP_TIMEOUT_MS: '1000',
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/names an unknown organization, service-canda/);
    expect(r.stdout).toMatch(/The token of service-canada\.x\.fr has expired/);
    expect(r.stdout).toMatch(/2 problem\(s\) in the credentials \(1 usable entries\)/);
    expect(`${r.stdout}${r.stderr}`).not.toContain('tok-cli-secret');
  }, 60_000);

  it('refuses an unknown command with the usage and exit code 2', () => {
    const r = cli('explode');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Usage: npm run campaigns -- pause-all/);
  });
});
