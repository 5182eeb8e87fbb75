import { parseArgs } from 'node:util';
import { loadConfig } from '../lib/config';
import { createI18n } from '../lib/i18n';
import { createLogger } from '../lib/logger';
import { LANGUAGES, Language } from '../knowledge/schema';
import { CLI } from '../campaigns/model';
import type { CampaignRuntime } from '../campaigns/runtime';
import { bootstrap } from './bootstrap';

const COMMANDS = ['pause-all', 'resume-all', 'status', 'credentials'] as const;

/**
 * `npm run campaigns -- pause-all [--reason TEXT]`: the emergency stop, from a shell. It writes the
 * stop to SQLite first (every worker checks it before publishing, so it holds even while Redis is
 * down), then removes the queued jobs. `resume-all` lifts it; `status` says whether it is on.
 * `credentials` reads CAMPAIGN_CREDENTIALS_FILE and asks the platforms about every entry, as the
 * pre-flight does, and prints each problem by entry (exit code 1 when there is one); running servers
 * and workers re-read the file by themselves when it changes.
 */
export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const i18n = createI18n();
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { reason: { type: 'string' }, lang: { type: 'string' } },
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${i18n.t('en', 'campaigns:cli.usage')}\n`);
    process.exitCode = 2;
    return;
  }
  const lang: Language = (LANGUAGES as readonly string[]).includes(parsed.values.lang ?? '')
    ? (parsed.values.lang as Language)
    : 'en';
  const t = (key: string, params?: Record<string, unknown>) =>
    i18n.t(lang, `campaigns:cli.${key}`, params);
  const command = parsed.positionals[0] as (typeof COMMANDS)[number];
  if (parsed.positionals.length !== 1 || !COMMANDS.includes(command)) {
    process.stderr.write(`${t('usage')}\n`);
    process.exitCode = 2;
    return;
  }
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL === 'debug' ? 'debug' : 'error', (line) =>
    process.stderr.write(line + '\n'),
  );
  const foundation = await bootstrap({ config, logger, redis: true, campaigns: true });
  const runtime = foundation.campaigns as CampaignRuntime;
  try {
    const redisUp = await runtime.available(3000);
    if (command === 'credentials') {
      const found = await runtime.credentials.preflight.run({ inspectAll: true, record: false });
      const say = (key: string, params?: Record<string, unknown>) => i18n.t(lang, key, params);
      for (const p of found)
        process.stdout.write(
          `${say(`campaigns:credentialProblems.${p.code}`, { entry: p.entry, detail: p.detail })}\n`,
        );
      const entries = runtime.credentials.source.snapshot().entries().length;
      process.stdout.write(
        `${found.length ? t('credentialsProblems', { count: found.length, entries }) : t('credentialsOk', { entries })}\n`,
      );
      if (found.length) process.exitCode = 1;
      return;
    }
    if (command === 'status') {
      const paused = await runtime.service.pausedAll();
      process.stdout.write(
        `${paused ? t('statusPaused', { at: paused.at, reason: paused.reason ?? '-' }) : t('statusRunning')}\n`,
      );
      return;
    }
    const result =
      command === 'pause-all'
        ? await runtime.service.pauseAll(CLI, { reason: parsed.values.reason })
        : await runtime.service.resumeAll(CLI);
    const key = `${command === 'pause-all' ? 'paused' : 'resumed'}${result.changed ? '' : 'Already'}`;
    process.stdout.write(`${t(key, { posts: result.posts })}\n`);
    if (!redisUp) process.stderr.write(`${t('redisDown')}\n`);
  } finally {
    await foundation.close();
  }
}
