import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Credentials } from '../../campaigns/publishers/credentials';
import { parseTokenKey, SealError, TokenSealer } from '../../campaigns/tokens/crypto';
import { CredentialsSource } from '../../campaigns/tokens/credentials-source';
import { createLogger } from '../../lib/logger';
import { CREDENTIALS } from '../helpers/fake-platforms';
import { waitFor } from '../helpers/campaigns';

describe('the token seal (AES-256-GCM)', () => {
  const key = crypto.randomBytes(32);
  const sealer = new TokenSealer(key);

  it('opens what it sealed, and never shows the text', () => {
    const sealed = sealer.seal('refresh-me-please', 'service-canada.x.fr');
    expect(sealed).not.toContain('refresh-me-please');
    expect(sealed).toMatch(/^v1\./);
    expect(sealer.open(sealed, 'service-canada.x.fr')).toBe('refresh-me-please');
    expect(sealer.seal('same', 'e')).not.toBe(sealer.seal('same', 'e'));
  });

  it('refuses a value altered, moved to another entry, or sealed under another key', () => {
    const sealed = sealer.seal('secret', 'service-canada.x.fr');
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => sealer.open(parts.join('.'), 'service-canada.x.fr')).toThrow(SealError);
    expect(() => sealer.open(sealed, 'serviceontario.x.fr')).toThrow(SealError);
    expect(() =>
      new TokenSealer(crypto.randomBytes(32)).open(sealed, 'service-canada.x.fr'),
    ).toThrow(SealError);
  });

  it('takes CAMPAIGN_TOKEN_KEY in hex or base64, 32 bytes only', () => {
    expect(parseTokenKey(key.toString('hex'))).toEqual(key);
    expect(parseTokenKey(key.toString('base64'))).toEqual(key);
    expect(parseTokenKey(key.toString('base64url'))).toEqual(key);
    expect(() => parseTokenKey(crypto.randomBytes(16).toString('hex'))).toThrow(/32 bytes/);
  });
});

describe('the credentials file', () => {
  it('reads entries per language and shared ones, named as the file names them', () => {
    const c = Credentials.from(CREDENTIALS);
    expect(c.entryOf('service-canada', 'x', 'fr')).toBe('service-canada.x.fr');
    expect(c.entryOf('service-canada', 'linkedin', 'fr')).toBe('service-canada.linkedin');
    expect(c.entryOf('serviceontario', 'x', 'en')).toBeUndefined();
    expect(c.problems).toEqual([]);
  });

  /** A bad entry, and the problem it makes (by name, never by value). */
  const BAD: [
    what: string,
    file: unknown,
    problem: { entry: string; code: string; detail?: string },
  ][] = [
    [
      'an unknown organization',
      { 'service-canda': { x: { accessToken: 'tok-secret-1', userId: '1' } } },
      { entry: 'service-canda', code: 'unknown_account' },
    ],
    [
      'an unknown channel',
      { 'service-canada': { myspace: { accessToken: 'tok-secret-1' } } },
      { entry: 'service-canada.myspace', code: 'unknown_channel' },
    ],
    [
      'an unknown language',
      { 'service-canada': { x: { es: { accessToken: 'tok-secret-1', userId: '1' } } } },
      { entry: 'service-canada.x.es', code: 'unknown_language' },
    ],
    [
      'a field that is not text',
      { 'service-canada': { x: { fr: { accessToken: 'tok-secret-1', userId: { id: 1 } } } } },
      {
        entry: 'service-canada.x.fr',
        code: 'bad_entry',
        detail: 'field userId must be a non-empty string',
      },
    ],
    [
      'a language entry that is not an object',
      { 'service-canada': { x: { en: { accessToken: 'a', userId: '1' }, fr: 'tok-secret-1' } } },
      { entry: 'service-canada.x', code: 'bad_entry', detail: 'mixes language entries and fields' },
    ],
    [
      'an expiry that is not a time',
      {
        'service-canada': {
          facebook: { pageId: '1', accessToken: 'tok-secret-1', expiresAt: 'soon' },
        },
      },
      {
        entry: 'service-canada.facebook',
        code: 'bad_entry',
        detail: 'field expiresAt must be an ISO 8601 time or epoch seconds',
      },
    ],
    [
      'languages mixed with fields',
      { 'service-canada': { x: { en: { accessToken: 'a' }, accessToken: 'tok-secret-1' } } },
      { entry: 'service-canada.x', code: 'bad_entry' },
    ],
  ];

  it.each(BAD)('leaves out %s, naming the entry and not its secret', (_what, file, problem) => {
    const c = Credentials.from({
      ...(file as object),
      serviceontario: { linkedin: { accessToken: 'ok', author: 'urn:li:organization:1' } },
    });
    expect(c.problems).toEqual([expect.objectContaining(problem)]);
    expect(JSON.stringify(c.problems)).not.toContain('tok-secret-1');
    expect(c.entries().map((e) => e.name)).toEqual(['serviceontario.linkedin']);
  });

  it('refuses a file that is not JSON without quoting it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'creds-'));
    const file = path.join(dir, 'c.json');
    fs.writeFileSync(file, '{ "service-canada": { "x": { "accessToken": "tok-secret-2" ');
    expect(() => Credentials.load(file)).toThrow(/not JSON/);
    expect(() => Credentials.load(file)).not.toThrow(/tok-secret-2/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('credentials updated without a restart', () => {
  let dir: string;
  let file: string;
  let source: CredentialsSource;
  let lines: string[];
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'creds-'));
    file = path.join(dir, 'credentials.json');
    fs.writeFileSync(file, JSON.stringify(CREDENTIALS));
    lines = [];
    source = new CredentialsSource(
      file,
      createLogger('debug', (l) => lines.push(l)),
    );
  });
  afterEach(() => {
    source.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Replaces the file as editors and secret mounts do: a new file renamed over the old one. */
  const replace = (content: string) => {
    fs.writeFileSync(`${file}.tmp`, content);
    fs.renameSync(`${file}.tmp`, file);
  };

  it('reads the file again when it changes (watched), and reports its new bad entries', async () => {
    source.watch(60_000);
    replace(
      JSON.stringify({
        ...CREDENTIALS,
        serviceontario: { x: { de: { accessToken: 'tok-secret-3', userId: '9' } } },
      }),
    );
    await waitFor(() => source.snapshot().problems.length > 0, 5000, 'the reload');
    expect(source.snapshot().problems).toEqual([
      expect.objectContaining({ entry: 'serviceontario.x.de', code: 'unknown_language' }),
    ]);
    expect(lines.join('\n')).toMatch(/serviceontario\.x\.de/);
    expect(lines.join('\n')).not.toMatch(/tok-secret-3/);
  });

  it('falls back to comparing the file every poll when no event comes', async () => {
    source.watch(100);
    // Closing the watcher leaves only the periodic stat, as on a file system without events.
    (source as unknown as { watcher: fs.FSWatcher }).watcher.close();
    replace(
      JSON.stringify({ 'service-canada': CREDENTIALS['service-canada'] }).replace(
        'x-fr-token',
        'x-fr-new',
      ),
    );
    await waitFor(
      () => source.get('service-canada', 'x', 'fr')?.accessToken === 'x-fr-new',
      5000,
      'the poll',
    );
  });

  it('keeps the last good file when the new one is not JSON, and says so', () => {
    replace('{ not json');
    const r = source.reload();
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/not JSON/) });
    expect(source.fileError()).toMatch(/not JSON/);
    expect(source.get('service-canada', 'x', 'fr')?.accessToken).toBe('x-fr-token');
    replace(JSON.stringify(CREDENTIALS));
    expect(source.reload()).toMatchObject({ ok: true });
    expect(source.fileError()).toBeNull();
  });
});
