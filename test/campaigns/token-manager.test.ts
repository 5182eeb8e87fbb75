import crypto from 'node:crypto';
import { type KyselyPlugin, sql } from 'kysely';
import { Credentials } from '../../campaigns/publishers/credentials';
import { createPlatformAuth } from '../../campaigns/publishers/index';
import { PublishError } from '../../campaigns/publishers/publisher';
import { XPublisher } from '../../campaigns/publishers/x';
import { TokenSealer } from '../../campaigns/tokens/crypto';
import { TokenManager } from '../../campaigns/tokens/token-manager';
import { TokenStore } from '../../campaigns/tokens/token-store';
import { loadConfig } from '../../lib/config';
import { createLogger } from '../../lib/logger';
import { rejection, testDelivery } from '../helpers/campaigns';
import { ENGINES, TestDatabase, testDatabase } from '../helpers/databases';
import { ACCOUNTS, CLIENTS, Fakes, startFakes } from '../helpers/fake-platforms';

const ENTRY = 'service-canada.x.fr';

describe.each(ENGINES)('platform tokens shared through the database (%s)', (engine) => {
  let fakes: Fakes;
  let db: TestDatabase;
  let lines: string[];
  const key = crypto.randomBytes(32);

  beforeEach(async () => {
    fakes = await startFakes();
    db = await testDatabase(engine);
    lines = [];
    // X's French account, whose token expires in a minute and whose refresh token rotates.
    fakes.x.addAccount({
      ...ACCOUNTS.x.fr,
      token: 'x-fr-expiring',
      expiresAt: Date.now() + 60_000,
      refreshToken: 'x-fr-refresh-0',
      clientId: CLIENTS.x.id,
    });
  });
  afterEach(async () => {
    await fakes.close();
    await db.close();
  });

  /** A worker's token manager (each its own process: its own lease owner and caches). */
  const manager = (options: { key?: Buffer | null } = {}) => {
    const config = loadConfig({ ...fakes.env, CAMPAIGN_HTTP_TIMEOUT_MS: '2000' });
    const k = options.key === undefined ? key : options.key;
    return new TokenManager({
      store: k ? new TokenStore(db.database, new TokenSealer(k)) : null,
      auth: createPlatformAuth(config),
      logger: createLogger('debug', (l) => lines.push(l)),
      marginMs: 600_000,
      leaseMs: 5000,
      pollMs: 20,
    });
  };
  const fileEntry = (overrides: Record<string, string> = {}) =>
    Credentials.from({
      'service-canada': {
        x: {
          fr: {
            accessToken: 'x-fr-expiring',
            userId: ACCOUNTS.x.fr.id,
            refreshToken: 'x-fr-refresh-0',
            clientId: CLIENTS.x.id,
            expiresAt: new Date(Date.now() + 60_000).toISOString(),
            ...overrides,
          },
        },
      },
    });
  const refOf = (c: Credentials) => ({
    entry: ENTRY,
    channel: 'x' as const,
    credential: c.get('service-canada', 'x', 'fr')!,
  });
  const tokenCalls = () => fakes.x.received.filter((r) => r.path === '/2/oauth2/token').length;

  it('refreshes a token expiring within the margin, once, and keeps both tokens encrypted', async () => {
    const tokens = manager();
    const ref = refOf(fileEntry());
    const first = await tokens.accessToken(ref);
    expect(first).not.toBe('x-fr-expiring');
    expect(fakes.x.tokenAccount(first)).toMatchObject({ id: ACCOUNTS.x.fr.id });
    expect(await tokens.accessToken(ref)).toBe(first);
    expect(fakes.x.refreshCount).toBe(1);
    const rows = await sql<{
      secret: string;
      access_expires_at: number;
    }>`SELECT secret, access_expires_at FROM campaign_tokens`.execute(db.database.kysely);
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0].secret).not.toMatch(/x-fr|refresh|access/);
    expect(rows.rows[0].access_expires_at).toBeGreaterThan(Date.now() + 7_000_000);
    expect(lines.join('\n')).not.toContain(first);
    expect(lines.join('\n')).toMatch(/token refreshed.*service-canada\.x\.fr/);
  });

  it('lets one of several workers refresh; the others use its token, and no refresh token goes twice', async () => {
    const workers = [manager(), manager(), manager(), manager()];
    const ref = refOf(fileEntry());
    const tokens = await Promise.all(workers.map((w) => w.accessToken(ref)));
    expect(new Set(tokens).size).toBe(1);
    expect(fakes.x.refreshCount).toBe(1);
    expect(fakes.x.reusedRefreshTokens).toBe(0);
    expect(tokenCalls()).toBe(1);
  });

  it('retries once with a refreshed token after a 401, and posts once', async () => {
    // The file does not say when the token expires, and the platform refuses it.
    const { expiresAt: _unknown, ...noExpiry } = refOf(fileEntry()).credential;
    const creds = Credentials.from({ 'service-canada': { x: { fr: noExpiry } } });
    fakes.x.expireToken('x-fr-expiring', Date.now() - 1);
    const x = new XPublisher(fakes.x.url, creds, 2000, manager());
    const result = await x.publish(testDelivery({ language: 'fr', text: 'Bonjour' }));
    expect(fakes.x.posts).toHaveLength(1);
    expect(fakes.x.posts[0]).toMatchObject({ account: ACCOUNTS.x.fr.id, id: result.externalId });
    expect(fakes.x.refreshCount).toBe(1);
    expect(
      fakes.x.received.filter((r) => r.path === '/2/tweets').map((r) => r.headers.authorization),
    ).toEqual(['Bearer x-fr-expiring', expect.not.stringContaining('x-fr-expiring')]);
  });

  it('records a refresh token the platform refuses, names the entry, and does not send it again', async () => {
    const tokens = manager();
    fakes.x.expireToken('x-fr-expiring', Date.now() - 1);
    const ref = refOf(fileEntry({ refreshToken: 'x-fr-spent', expiresAt: String(Date.now() - 1) }));
    const e = await rejection<PublishError>(tokens.accessToken(ref));
    expect(e).toMatchObject({ kind: 'permanent', code: 'token_refresh_failed' });
    expect(e.reason).toMatch(/^service-canada\.x\.fr: the refresh token was refused/);
    expect(e.reason).not.toContain('x-fr-spent');
    expect(await tokens.status(ref)).toMatchObject({ refreshable: false });
    await tokens.accessToken(ref); // the expired token is tried as it is: the platform decides
    expect(tokenCalls()).toBe(1);
  });

  it('takes new tokens pasted in the file, and ignores an old copy of the file', async () => {
    const old = refOf(fileEntry());
    const rotated = await manager().accessToken(old);
    fakes.x.addAccount({ ...ACCOUNTS.x.fr, token: 'x-fr-reconnected' });
    const reconnected = {
      ...old,
      credential: { accessToken: 'x-fr-reconnected', userId: ACCOUNTS.x.fr.id },
    };
    expect(await manager().accessToken(reconnected)).toBe('x-fr-reconnected');
    // A process still holding the old file does not put the old tokens back.
    expect(await manager().accessToken(old)).toBe('x-fr-reconnected');
    expect(rotated).not.toBe('x-fr-reconnected');
  });

  it('takes the expiry the file now gives for the tokens it gave, until they are refreshed', async () => {
    const tokens = manager();
    const { expiresAt: _unknown, ...noExpiry } = refOf(fileEntry()).credential;
    expect(await tokens.accessToken({ ...refOf(fileEntry()), credential: noExpiry })).toBe(
      'x-fr-expiring',
    );
    expect(fakes.x.refreshCount).toBe(0);
    // The file now says the same token expires within the minute.
    expect(await tokens.accessToken(refOf(fileEntry()))).not.toBe('x-fr-expiring');
    expect(fakes.x.refreshCount).toBe(1);
    // Rotated: what the file says of the old tokens no longer applies.
    expect(await tokens.status(refOf(fileEntry()))).toMatchObject({
      expiresAtMs: expect.any(Number),
      refreshable: true,
    });
    expect((await tokens.status(refOf(fileEntry()))).expiresAtMs).toBeGreaterThan(
      Date.now() + 3_600_000,
    );
  });

  it('refuses a token of another X account before anything is sent', async () => {
    const tokens = manager();
    const crossed = Credentials.from({
      'service-canada': {
        x: { fr: { accessToken: ACCOUNTS.x.en.token, userId: ACCOUNTS.x.fr.id } },
      },
    });
    const x = new XPublisher(fakes.x.url, crossed, 2000, tokens);
    const e = await rejection<PublishError>(
      x.publish(testDelivery({ language: 'fr', text: 'Salut' })),
    );
    expect(e).toMatchObject({ kind: 'permanent', code: 'credentials_wrong_account' });
    expect(e.reason).toBe(
      `service-canada.x.fr: the token opens ${ACCOUNTS.x.en.id}, not ${ACCOUNTS.x.fr.id}`,
    );
    expect(fakes.x.received.filter((r) => r.method === 'POST')).toHaveLength(0);
    expect(fakes.x.posts).toHaveLength(0);
  });

  it('without CAMPAIGN_TOKEN_KEY, uses the file’s token as it is and never refreshes', async () => {
    const tokens = manager({ key: null });
    const ref = refOf(fileEntry());
    expect(await tokens.accessToken(ref)).toBe('x-fr-expiring');
    expect(await tokens.status(ref)).toMatchObject({ refreshable: false, needsKey: true });
    expect(fakes.x.refreshCount).toBe(0);
    expect(lines.join('\n')).toMatch(/CAMPAIGN_TOKEN_KEY is not set.*service-canada\.x\.fr/);
  });

  it('reads the rows asked for together in one query, and opens a row again only when its tokens changed', async () => {
    const selects: string[] = [];
    const counting: KyselyPlugin = {
      transformQuery: (args) => {
        if (args.node.kind === 'SelectQueryNode') selects.push(args.queryId.queryId);
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const sealer = new TokenSealer(key);
    const opened = jest.spyOn(sealer, 'open');
    const store = new TokenStore(
      { ...db.database, kysely: db.database.kysely.withPlugin(counting) },
      sealer,
    );
    // Another worker's store on the same rows.
    const other = new TokenStore(db.database, new TokenSealer(key));
    const now = new Date().toISOString();
    const tokens = (accessToken: string) => ({
      accessToken,
      refreshToken: null,
      expiresAtMs: null,
      refreshExpiresAtMs: null,
      scopes: null,
    });
    await other.insert('service-canada.x.en', 'seed-en', tokens('en-1'), now);
    await other.insert(ENTRY, 'seed-fr', tokens('fr-1'), now);

    const rows = await Promise.all([
      store.read('service-canada.x.en'),
      store.read(ENTRY),
      store.read('service-canada.x.en'),
      store.read('service-canada.linkedin.en'),
    ]);
    expect(rows.map((r) => r?.accessToken ?? null)).toEqual(['en-1', 'fr-1', 'en-1', null]);
    expect(selects).toHaveLength(1);

    // Read again, unchanged: read from the database, not opened again.
    opened.mockClear();
    expect((await store.read(ENTRY))?.accessToken).toBe('fr-1');
    expect(selects).toHaveLength(2);
    expect(opened).not.toHaveBeenCalled();
    // Another worker refreshed it: the next read has the new token.
    expect(await other.rotate(ENTRY, rows[1]!.version, tokens('fr-2'), now)).toBe(true);
    expect((await store.read(ENTRY))?.accessToken).toBe('fr-2');
    expect(opened).toHaveBeenCalledTimes(1);
  });

  it('takes a row sealed under another key (CAMPAIGN_TOKEN_KEY changed) from the file again', async () => {
    const { expiresAt: _unknown, ...noExpiry } = refOf(fileEntry()).credential;
    const ref = { ...refOf(fileEntry()), credential: noExpiry };
    await manager().accessToken(ref);
    expect(await manager({ key: crypto.randomBytes(32) }).accessToken(ref)).toBe('x-fr-expiring');
    expect(lines.join('\n')).toMatch(/sealed under another key.*service-canada\.x\.fr/);
  });
});
