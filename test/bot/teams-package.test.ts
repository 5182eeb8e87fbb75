import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import AdmZip from 'adm-zip';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { buildTeamsPackage, PLACEHOLDER_BOT_ID, TEAMS_DIR } from '../../bot/teams-package';

// The Teams manifest JSON schemas (v1.17, draft-04) as published by Microsoft, shipped in
// @microsoft/app-manifest.
const SCHEMAS = path.dirname(
  require.resolve('@microsoft/app-manifest/build/json-schemas/teams/v1.17/MicrosoftTeams.schema.json'),
);
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));

function validator(schemaFile: string) {
  // unicodeRegExp off: Microsoft's localization schema has patterns that are valid only without the u flag.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(readJson(path.join(SCHEMAS, schemaFile)));
}

/** Width, height, colour type and RGBA pixels of a PNG (8-bit RGBA, no interlace, filter 0 rows). */
function readPng(file: string) {
  const buf = fs.readFileSync(file);
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  const colourType = buf[25];
  const idat: Buffer[] = [];
  for (let at = 8; at < buf.length;) {
    const len = buf.readUInt32BE(at);
    if (buf.toString('ascii', at + 4, at + 8) === 'IDAT')
      idat.push(buf.subarray(at + 8, at + 8 + len));
    at += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  return { width, height, colourType, raw };
}

describe('Teams app package', () => {
  const manifest = readJson(path.join(TEAMS_DIR, 'manifest.json'));

  it('has a manifest valid against the Teams v1.17 schema', () => {
    const validate = validator('MicrosoftTeams.schema.json');
    expect(validate(manifest) ? [] : validate.errors).toEqual([]);
    expect(validate({ ...manifest, accentColor: 'blue', developer: undefined })).toBe(false);
  });

  it('is bilingual: English by default and a fr-ca file valid against the localization schema', () => {
    expect(manifest.localizationInfo).toEqual({
      defaultLanguageTag: 'en-us',
      additionalLanguages: [{ languageTag: 'fr-ca', file: 'fr-ca.json' }],
    });
    const fr = readJson(path.join(TEAMS_DIR, 'fr-ca.json'));
    const validate = validator('MicrosoftTeams.Localization.schema.json');
    expect(validate(fr) ? [] : validate.errors).toEqual([]);
    expect(fr['name.short']).toMatch(/Services gouvernementaux/);
    // Every localized key names a string that exists in the manifest.
    for (const key of Object.keys(fr).filter((k) => k !== '$schema')) {
      // Walks a localization path such as bots[0].commandLists[0].commands[1].title through the manifest JSON.
      const value = key
        .split(/[.[\]]+/)
        .filter(Boolean)
        .reduce(
          (o: Record<string, unknown> | undefined, k) =>
            o?.[k] as Record<string, unknown> | undefined,
          manifest,
        );
      expect({ key, type: typeof value }).toEqual({ key, type: 'string' });
    }
  });

  it('has a 192×192 colour icon and a 32×32 outline icon that is white on transparent', () => {
    const color = readPng(path.join(TEAMS_DIR, manifest.icons.color));
    expect([color.width, color.height, color.colourType]).toEqual([192, 192, 6]);
    const outline = readPng(path.join(TEAMS_DIR, manifest.icons.outline));
    expect([outline.width, outline.height, outline.colourType]).toEqual([32, 32, 6]);
    let opaque = 0;
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        const i = y * (32 * 4 + 1) + 1 + x * 4;
        const [r, g, b, a] = outline.raw.subarray(i, i + 4);
        if (a > 0) {
          opaque++;
          expect([r, g, b]).toEqual([255, 255, 255]);
        }
      }
    }
    expect(opaque).toBeGreaterThan(50);
    expect(outline.raw[1 + 3]).toBe(0); // the corner is transparent
  });

  it('zips the package with the bot id, every file at the root', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'teams-')), 'app.zip');
    buildTeamsPackage({ appId: '11111111-2222-3333-4444-555555555555', outFile: out });
    const zip = new AdmZip(out);
    expect(
      zip
        .getEntries()
        .map((e) => e.entryName)
        .sort(),
    ).toEqual(['color.png', 'fr-ca.json', 'manifest.json', 'outline.png']);
    const packed = JSON.parse(zip.readAsText('manifest.json'));
    expect(packed.bots[0].botId).toBe('11111111-2222-3333-4444-555555555555');
    const validate = validator('MicrosoftTeams.schema.json');
    expect(validate(packed) ? [] : validate.errors).toEqual([]);
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });

  it('refuses an app id that is not a GUID, and keeps the placeholder when there is none', () => {
    expect(() =>
      buildTeamsPackage({ appId: 'my-bot', outFile: path.join(os.tmpdir(), 'never.zip') }),
    ).toThrow(/must be a GUID/);
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'teams-')), 'app.zip');
    buildTeamsPackage({ appId: '', outFile: out });
    expect(JSON.parse(new AdmZip(out).readAsText('manifest.json')).bots[0].botId).toBe(
      PLACEHOLDER_BOT_ID,
    );
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });
});
