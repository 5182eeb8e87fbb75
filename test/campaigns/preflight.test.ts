import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Alert } from '../../campaigns/alerts';
import { createPlatformAuth } from '../../campaigns/publishers/index';
import { CampaignStore } from '../../campaigns/store';
import { TokenSealer } from '../../campaigns/tokens/crypto';
import { CredentialsSource } from '../../campaigns/tokens/credentials-source';
import { Preflight } from '../../campaigns/tokens/preflight';
import { ProblemStore } from '../../campaigns/tokens/problem-store';
import { TokenManager } from '../../campaigns/tokens/token-manager';
import { TokenStore } from '../../campaigns/tokens/token-store';
import { loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { draftPost, scheduledCampaign } from '../helpers/campaign-store';
import { TestDatabase, testDatabase } from '../helpers/databases';
import { ACCOUNTS, CLIENTS, CREDENTIALS, Fakes, startFakes } from '../helpers/fake-platforms';

const MINUTE = 60_000;

let fakes: Fakes;
let db: TestDatabase;
let dir: string;
let file: string;
let source: CredentialsSource;
let alerts: Alert[];
let store: CampaignStore;
let preflight: Preflight;
let problems: ProblemStore;

/** service-canada on the fakes, and serviceontario's LinkedIn page with a token lacking w_organization_social. */
const GOOD = {
  ...CREDENTIALS,
  serviceontario: {
    linkedin: {
      accessToken: 'li-so-read-only',
      author: 'urn:li:organization:99',
      clientId: CLIENTS.linkedin.id,
      clientSecret: CLIENTS.linkedin.secret,
    },
  },
};

const write = (content: unknown) => {
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(content));
  fs.renameSync(`${file}.tmp`, file);
};

beforeEach(async () => {
  fakes = await startFakes();
  fakes.linkedin.addAccount({
    id: 'urn:li:organization:99',
    token: 'li-so-read-only',
    scopes: ['r_organization_social', 'r_organization_admin'],
  });
  db = await testDatabase('sqlite');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preflight-'));
  file = path.join(dir, 'credentials.json');
  write(GOOD);
  const logger = createLogger('silent');
  source = new CredentialsSource(file, logger);
  const auth = createPlatformAuth(loadConfig({ ...fakes.env, CAMPAIGN_HTTP_TIMEOUT_MS: '2000' }));
  const tokens = new TokenManager({
    store: new TokenStore(db.database, new TokenSealer(crypto.randomBytes(32))),
    auth,
    logger,
    marginMs: 10 * MINUTE,
    leaseMs: 5000,
  });
  alerts = [];
  store = CampaignStore.open(db.database);
  problems = new ProblemStore(db.database);
  preflight = new Preflight({
    source,
    tokens,
    auth,
    problems,
    alerts: { send: async (a) => void alerts.push(a) },
    posts: () => store.activePosts(),
    horizonMs: 60 * MINUTE,
    logger,
  });
});
afterEach(async () => {
  source.close();
  await fakes.close();
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Posts of one scheduled campaign, each on a channel and account, due in `minutes`. */
const schedule = (posts: [channel: string, account: string, minutes: number][]) =>
  scheduledCampaign(
    store,
    posts.map(([channel, account, minutes]) =>
      draftPost({
        channel: channel as 'x',
        account: account as 'service-canada',
        at: Date.now() + minutes * MINUTE,
      }),
    ),
  );

const codes = (found: { entry: string; code: string }[]) =>
  found.map((p) => `${p.entry} ${p.code}`).sort();

describe('the pre-flight check', () => {
  it('passes credentials that work, and alerts nothing', async () => {
    await schedule([
      ['x', 'service-canada', 30],
      ['facebook', 'service-canada', 30],
      ['linkedin', 'service-canada', 30],
    ]);
    // Due tomorrow, on an account without credentials: not the periodic run's concern yet.
    await schedule([['x', 'serviceontario', 24 * 60]]);
    expect(await preflight.run()).toEqual([]);
    expect(alerts).toEqual([]);
  });

  it('flags, naming the entry, what will stop the posts due within the hour, and alerts each once', async () => {
    write({
      ...GOOD,
      'service-canda': { x: { accessToken: 'tok-typo', userId: '1' } },
      'service-canada': {
        ...CREDENTIALS['service-canada'],
        x: {
          ...CREDENTIALS['service-canada'].x,
          // Expired an hour ago, and nothing can renew it.
          fr: {
            ...CREDENTIALS['service-canada'].x.fr,
            expiresAt: new Date(Date.now() - 60 * MINUTE).toISOString(),
          },
        },
        // The English page's entry holds the French page's token.
        facebook: {
          ...CREDENTIALS['service-canada'].facebook,
          en: { pageId: ACCOUNTS.facebook.en.id, accessToken: ACCOUNTS.facebook.fr.token },
        },
      },
    });
    source.reload();
    const [x, , , so] = (
      await schedule([
        ['x', 'service-canada', 30],
        ['facebook', 'service-canada', 30],
        ['linkedin', 'serviceontario', 30],
        ['x', 'serviceontario', 45],
      ])
    ).posts;
    const found = await preflight.run();
    expect(codes(found)).toEqual([
      'service-canada.facebook.en wrong_account',
      'service-canada.x.fr token_expired',
      'service-canda entry_unknown_account',
      'serviceontario.linkedin missing_scope',
      'serviceontario.x.en credentials_missing',
      'serviceontario.x.fr credentials_missing',
    ]);
    expect(found.find((p) => p.code === 'wrong_account')?.detail).toBe(
      `the token opens ${ACCOUNTS.facebook.fr.id}, not pageId ${ACCOUNTS.facebook.en.id}`,
    );
    expect(found.find((p) => p.code === 'missing_scope')?.detail).toBe(
      'without w_organization_social',
    );
    expect(codes(alerts.map((a) => ({ entry: a.entry!, code: a.code })))).toEqual(codes(found));
    expect(alerts.find((a) => a.entry === 'service-canada.x.fr')).toMatchObject({
      campaignId: x.campaignId,
      postId: x.id,
      channel: 'x',
      account: 'service-canada',
      language: 'fr',
    });
    expect(alerts.find((a) => a.entry === 'serviceontario.x.en')?.postId).toBe(so.id);
    expect(JSON.stringify(alerts)).not.toMatch(/tok-typo|x-fr-token|fb-fr-token/);
    // The same problems again: recorded, not alerted again.
    await preflight.run();
    expect(alerts).toHaveLength(found.length);
    expect((await problems.list()).map((p) => p.alertedAt)).not.toContain(null);
  });

  it('flags a token of another account on X (userId) and LinkedIn (author), naming both accounts', async () => {
    write({
      ...GOOD,
      'service-canada': {
        ...CREDENTIALS['service-canada'],
        x: {
          ...CREDENTIALS['service-canada'].x,
          en: { accessToken: ACCOUNTS.x.fr.token, userId: ACCOUNTS.x.en.id },
        },
        linkedin: { accessToken: 'li-so-read-only', author: ACCOUNTS.linkedin.id },
      },
    });
    source.reload();
    await schedule([
      ['x', 'service-canada', 30],
      ['linkedin', 'service-canada', 30],
    ]);
    const found = await preflight.run();
    expect(found.map((p) => [p.entry, p.code, p.detail])).toEqual([
      [
        'service-canada.x.en',
        'wrong_account',
        `the token opens ${ACCOUNTS.x.fr.id}, not userId ${ACCOUNTS.x.en.id}`,
      ],
      [
        'service-canada.linkedin',
        'wrong_account',
        `the token opens urn:li:organization:99, not author ${ACCOUNTS.linkedin.id}`,
      ],
    ]);
    expect(alerts.map((a) => a.code)).toEqual(['wrong_account', 'wrong_account']);
  });

  it('flags a token that will have expired when its post is due, unless it can be refreshed', async () => {
    const soon = new Date(Date.now() + 20 * MINUTE).toISOString();
    const sc = CREDENTIALS['service-canada'];
    write({
      'service-canada': { ...sc, x: { ...sc.x, en: { ...sc.x.en, expiresAt: soon } } },
    });
    source.reload();
    await schedule([['x', 'service-canada', 40]]);
    expect(codes(await preflight.run())).toEqual(['service-canada.x.en token_expires']);
    fakes.x.addAccount({
      ...ACCOUNTS.x.en,
      token: 'x-en-2',
      refreshToken: 'x-en-refresh',
      clientId: CLIENTS.x.id,
    });
    write({
      'service-canada': {
        ...sc,
        x: {
          ...sc.x,
          en: {
            accessToken: 'x-en-2',
            userId: ACCOUNTS.x.en.id,
            expiresAt: soon,
            refreshToken: 'x-en-refresh',
            clientId: CLIENTS.x.id,
          },
        },
      },
    });
    source.reload();
    expect(await preflight.run()).toEqual([]);
    // Cleared: the reconnect cured it.
    expect(await problems.list()).toEqual([]);
  });

  it('reports a credentials file that can no longer be read, and keeps the last good one', async () => {
    await schedule([['x', 'service-canada', 30]]);
    fs.writeFileSync(file, '{ "service-canada": ');
    expect(source.reload()).toMatchObject({ ok: false });
    expect(codes(await preflight.run())).toEqual([
      'CAMPAIGN_CREDENTIALS_FILE credentials_file_invalid',
    ]);
    expect(alerts).toHaveLength(1);
    write(GOOD);
    source.reload();
    expect(await preflight.run()).toEqual([]);
    expect(await problems.list()).toEqual([]);
  });

  it('checks a campaign just scheduled however far ahead its posts are', async () => {
    const sc = CREDENTIALS['service-canada'];
    const inTwoDays = new Date(Date.now() + 2 * 24 * 60 * MINUTE).toISOString();
    write({
      'service-canada': { ...sc, x: { ...sc.x, fr: { ...sc.x.fr, expiresAt: inTwoDays } } },
    });
    source.reload();
    const campaign = await schedule([['x', 'service-canada', 3 * 24 * 60]]);
    expect(await preflight.run()).toEqual([]);
    expect(codes(await preflight.checkPosts(campaign.posts))).toEqual([
      'service-canada.x.fr token_expires',
    ]);
    expect(alerts.map((a) => a.code)).toEqual(['token_expires']);
  });
});
