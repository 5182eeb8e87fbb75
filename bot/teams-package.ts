import fs from 'node:fs';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { loadConfig } from '../lib/config';
import { PROJECT_ROOT } from '../lib/paths';

/** The Teams app package sources: manifest (English), French strings, colour and outline icons. */
export const TEAMS_DIR = path.join(PROJECT_ROOT, 'teams');
export const PACKAGE_FILES = ['manifest.json', 'fr-ca.json', 'color.png', 'outline.png'] as const;
const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
/** The manifest's placeholder bot id, kept when no app id is configured (the package validates, Teams will not reach a bot). */
export const PLACEHOLDER_BOT_ID = '00000000-0000-0000-0000-000000000000';

export interface PackageOptions {
  /** The bot's Microsoft App ID (the Azure Bot registration), written into the manifest as botId; empty keeps the placeholder. */
  appId: string;
  outFile: string;
  sourceDir?: string;
}

/** Zips the Teams app package (files at the root of the archive, as Teams expects) and returns its path. */
export function buildTeamsPackage(options: PackageOptions): string {
  if (options.appId && !GUID.test(options.appId)) {
    throw new Error(
      `The bot's Microsoft App ID must be a GUID (got "${options.appId}"): set MicrosoftAppId or pass --app-id.`,
    );
  }
  const dir = options.sourceDir ?? TEAMS_DIR;
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  manifest.bots[0].botId = options.appId || PLACEHOLDER_BOT_ID;
  const zip = new AdmZip();
  zip.addFile('manifest.json', Buffer.from(JSON.stringify(manifest, null, 2) + '\n'));
  for (const file of PACKAGE_FILES.slice(1))
    zip.addFile(file, fs.readFileSync(path.join(dir, file)));
  fs.mkdirSync(path.dirname(options.outFile), { recursive: true });
  zip.writeZip(options.outFile);
  return options.outFile;
}

/** `npm run teams:package [-- --app-id GUID] [--out FILE]`. */
export function main(args: string[]): void {
  const arg = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const appId = arg('--app-id') ?? loadConfig().MicrosoftAppId;
  const outFile = path.resolve(arg('--out') ?? path.join(TEAMS_DIR, 'app-package.zip'));
  try {
    if (!appId)
      process.stderr.write(
        `No MicrosoftAppId: the package keeps the placeholder bot id ${PLACEHOLDER_BOT_ID}; set MicrosoftAppId (or --app-id) before uploading it to Teams.\n`,
      );
    process.stdout.write(`${buildTeamsPackage({ appId, outFile })}\n`);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
