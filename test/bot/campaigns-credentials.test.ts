import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestApp, TestApp } from '../helpers/app';
import { call, campaign, inMs, post, staffTokens, waitFor } from '../helpers/campaigns';
import { CREDENTIALS, Fakes, startFakes } from '../helpers/fake-platforms';
import { PlatformServer, startPlatform } from '../helpers/platform-server';

let app: TestApp;
let fakes: Fakes;
let alerts: PlatformServer;
let t: Awaited<ReturnType<typeof staffTokens>>;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'campaign-credentials-'));
const file = path.join(dir, 'credentials.json');
const sc = CREDENTIALS['service-canada'];

/**
 * The file at start: an entry of an unknown organization, X's English entry under a language that
 * does not exist ("EN"), and X's French token announced to expire in two days, without a refresh token.
 */
const START = {
  'service-canda': {
    linkedin: { accessToken: 'tok-secret-typo', author: 'urn:li:organization:1' },
  },
  'service-canada': {
    ...sc,
    x: {
      EN: sc.x.en,
      fr: { ...sc.x.fr, expiresAt: new Date(Date.now() + 2 * 86_400_000).toISOString() },
    },
  },
};

const write = (content: unknown) => {
  fs.writeFileSync(`${file}.tmp`, typeof content === 'string' ? content : JSON.stringify(content));
  fs.renameSync(`${file}.tmp`, file);
};

beforeAll(async () => {
  fakes = await startFakes();
  alerts = await startPlatform(() => ({ status: 204 }));
  write(START);
  app = await startTestApp({
    ...fakes.env,
    CAMPAIGN_CREDENTIALS_FILE: file,
    CAMPAIGN_TOKEN_KEY: crypto.randomBytes(32).toString('hex'),
    CAMPAIGN_ALERT_WEBHOOK_URL: alerts.url,
    CAMPAIGN_HTTP_TIMEOUT_MS: '2000',
    CAMPAIGN_RETRY_BASE_MS: '100',
  });
  t = await staffTokens(app);
});
afterAll(async () => {
  await app.close();
  await fakes.close();
  await alerts.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const alerted = () => alerts.requests.map((r) => r.json as { code: string; entry?: string });

describe('credentials problems, from the file to the campaign JSON', () => {
  it('names the unused entries of the file at start, never their secrets, and alerts them', async () => {
    const log = app.logLines.join('\n');
    expect(log).toMatch(/credentials entry not used.*"entry":"service-canda"/);
    expect(log).toMatch(/credentials entry not used.*"entry":"service-canada\.x\.EN"/);
    expect(log).not.toContain('tok-secret-typo');
    // Alerts go out one after the other: wait for both.
    const unused = ['service-canda', 'service-canada.x.EN'];
    await waitFor(
      () => unused.every((entry) => alerted().some((a) => a.entry === entry)),
      10_000,
      'the alerts',
    );
    expect(alerted()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'entry_unknown_account', entry: 'service-canda' }),
        expect.objectContaining({ code: 'entry_unknown_language', entry: 'service-canada.x.EN' }),
      ]),
    );
  });

  it('shows on each post what will stop it, in the request language, and checks a campaign once scheduled', async () => {
    const created = await call(
      app,
      'POST',
      '/api/campaigns',
      t.sc,
      campaign([post({ channel: 'x', publishAt: inMs(3 * 86_400_000) })]),
    );
    expect(created.status).toBe(201);
    const flags = created.body.posts[0].credentials;
    expect(flags).toEqual([
      expect.objectContaining({
        code: 'credentials_missing',
        entry: 'service-canada.x.en',
        language: 'en',
      }),
    ]);
    const fr = await call(app, 'GET', `/api/campaigns/${created.body.id}`, t.sc, undefined, 'fr');
    expect(fr.body.posts[0].credentials[0].message).toMatch(
      /^service-canada\.x\.en n'a pas d'identifiants/,
    );
    // Approved: the pre-flight checks its channels at once, three days ahead.
    expect(
      (await call(app, 'POST', `/api/campaigns/${created.body.id}/approve`, t.sc)).body.status,
    ).toBe('scheduled');
    const expires = await waitFor(
      async () => {
        const res = await call(app, 'GET', `/api/campaigns/${created.body.id}`, t.sc);
        return res.body.posts[0].credentials.find(
          (f: { code: string }) => f.code === 'token_expires',
        );
      },
      10_000,
      'the pre-flight',
    );
    expect(expires).toMatchObject({ entry: 'service-canada.x.fr', language: 'fr' });
    expect(expires.message).toMatch(
      /^The token of service-canada\.x\.fr will have expired when the post is due/,
    );
    await waitFor(() => alerted().some((a) => a.code === 'token_expires'), 10_000, 'the alert');
    expect(alerted().filter((a) => a.code === 'token_expires')).toHaveLength(1);
  });

  it('publishes nothing with an entry it does not use', async () => {
    const created = await call(
      app,
      'POST',
      '/api/campaigns',
      t.sc,
      campaign([
        post({ channel: 'x', publishAt: inMs(1500), text: { en: 'Hello EN', fr: 'Bonjour' } }),
      ]),
    );
    await call(app, 'POST', `/api/campaigns/${created.body.id}/approve`, t.sc);
    const failed = await waitFor(
      async () => {
        const res = await call(app, 'GET', `/api/campaigns/${created.body.id}`, t.sc);
        return res.body.posts[0].status === 'failed' ? res.body.posts[0] : null;
      },
      15_000,
      'the post to fail',
    );
    expect(failed.error).toMatchObject({ code: 'not_configured', language: 'en' });
    expect(fakes.x.postsWith('Hello EN')).toHaveLength(0);
  });

  it('lists each entry and problem without a secret, and reloads the file on request', async () => {
    const status = await call(app, 'GET', '/api/campaigns/credentials', t.sc);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      file: { configured: true, error: null },
      tokenStore: 'encrypted',
    });
    expect(status.body.entries.map((e: { entry: string }) => e.entry)).toEqual(
      expect.arrayContaining(['service-canada.x.fr', 'service-canada.linkedin']),
    );
    expect(JSON.stringify(status.body)).not.toMatch(/tok-secret|x-fr-token|fb-en-token|li-token/);

    write('{ "service-canada": ');
    const bad = await call(app, 'POST', '/api/campaigns/credentials/reload', t.sc);
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('credentials_file_invalid');
    expect(bad.body.error.message).toMatch(/last good one is still in use/);
    expect((await call(app, 'GET', '/api/campaigns/credentials', t.sc)).body.file.error).toMatch(
      /not JSON/,
    );

    write(CREDENTIALS);
    const ok = await call(app, 'POST', '/api/campaigns/credentials/reload', t.sc);
    expect(ok).toMatchObject({ status: 200, body: { reloaded: true, problems: [] } });
    expect((await call(app, 'POST', '/api/campaigns/credentials/reload', t.office)).status).toBe(
      403,
    );
  });
});
