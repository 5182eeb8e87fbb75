import { parseArgs } from 'node:util';
import { loadConfig } from '../lib/config';
import { createI18n } from '../lib/i18n';
import { createLogger } from '../lib/logger';
import { LANGUAGES, Language } from '../knowledge/schema';
import { CLI } from '../campaigns/model';
import type { CampaignRuntime } from '../campaigns/runtime';
import { bootstrap } from './bootstrap';

const COMMANDS = ['pause-all', 'resume-all', 'status'] as const;

/**
 * `npm run campaigns -- pause-all [--reason TEXT]`: the emergency stop, from a shell. It writes the
 * stop to SQLite first (every worker checks it before publishing, so it holds even while Redis is
 * down), then removes the queued jobs. `resume-all` lifts it; `status` says whether it is on.
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
    if (command === 'status') {
      const paused = runtime.service.pausedAll();
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
