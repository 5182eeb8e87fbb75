import os from 'node:os';
import {
  describe,
  failed,
  Figures,
  lookups,
  measure,
  serverProcesses,
  startEchoBot,
  startServer,
  stopServer,
  turns,
  verdict,
} from './http-load';
import { auditNew, BenchQuestion, benchQuestions, NewTexts } from './texts';

const CONNECTIONS = 50;
const WARM_UP_SECONDS = 5;
/** Texts asked again and again for the cached figures (well under the answer cache's 5,000). */
const CACHED_TEXTS = 300;

/** Cycles through `texts` (the cached figures: every one answered before). */
function again(texts: BenchQuestion[]): () => BenchQuestion {
  let i = 0;
  return () => texts[i++ % texts.length];
}

/**
 * `npm run bench:load [-- --seconds 20] [--processes N]`: GET /api/lookup and bot turns (POST
 * /api/messages, expectReplies) at 50 loopback connections against `npm start` (WEB_CONCURRENCY as
 * configured, or N), then the bare botbuilder echo bot served the same way. Uncached: every request a
 * question never asked before (texts.ts); cached: 300 texts asked again and again. Warm-ups ask the
 * calibration set's questions, never the measured ones. Only 2xx answers count; rates divide by the
 * measured time. Prints issue 14's targets with "met" or "missed".
 */
export async function main(argv: string[] = []): Promise<void> {
  const arg = (name: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  const seconds = Number(arg('--seconds') ?? 20);
  const processes = arg('--processes');
  const { measured, warmUp } = benchQuestions();
  const fresh = new NewTexts(measured, 1);
  const warm = new NewTexts(warmUp, 1);
  const runs: Figures[] = [];
  const audits: string[] = [];
  /** A measured run of new texts, then the check that every text it sent was new. */
  const uncached = async (label: string, base: string, kind: typeof lookups) => {
    const before = [...warm.log, ...fresh.log];
    const from = fresh.log.length;
    const f = await measure(
      label,
      base,
      kind(() => fresh.next()),
      seconds,
      CONNECTIONS,
    );
    audits.push(`  ${label}: ${auditNew(fresh.log.slice(from), before)}`);
    return f;
  };
  /** The same texts again: asked once through first (not measured), then measured. */
  const cached = async (label: string, base: string, kind: typeof lookups) => {
    const texts = fresh.take(CACHED_TEXTS);
    await measure('priming', base, kind(again(texts)), WARM_UP_SECONDS, CONNECTIONS);
    return measure(label, base, kind(again(texts)), seconds, CONNECTIONS);
  };

  const server = await startServer(processes ? { WEB_CONCURRENCY: processes } : {});
  const count = serverProcesses(server);
  process.stdout.write(
    `Load on loopback, ${CONNECTIONS} connections, ${seconds} s per measured run, npm start with ` +
      `${count} server process(es)${processes ? ` (WEB_CONCURRENCY=${processes})` : ' (its default)'}, ` +
      `LOG_LEVEL=error, rate limits off; ${os.cpus().length} cores, load average ` +
      `${os.loadavg()[0].toFixed(2)} before the run, load generator on the same machine.\n` +
      `Uncached: every request a question never asked before (${measured.length} fixture questions, ` +
      `each round with a new number and greeting); cached: ${CACHED_TEXTS} texts asked again and again. ` +
      `Warm-ups ask other questions (the calibration set). Only 2xx answers count.\n`,
  );
  try {
    await measure(
      'warm-up',
      server.base,
      lookups(() => warm.next()),
      WARM_UP_SECONDS,
      CONNECTIONS,
    );
    runs.push(await uncached('GET /api/lookup, uncached', server.base, lookups));
    runs.push(await cached('GET /api/lookup, cached', server.base, lookups));
    await measure(
      'warm-up',
      server.base,
      turns(() => warm.next()),
      WARM_UP_SECONDS,
      CONNECTIONS,
    );
    runs.push(await uncached('bot turns, uncached', server.base, turns));
    runs.push(await cached('bot turns, cached', server.base, turns));
  } finally {
    await stopServer(server);
  }
  // Alone on the machine as the assistant was, with as many processes.
  const echo = await startEchoBot(count);
  try {
    const texts = new NewTexts(measured, 500);
    await measure(
      'warm-up',
      echo.base,
      turns(() => texts.next()),
      WARM_UP_SECONDS,
      CONNECTIONS,
    );
    runs.push(
      await measure(
        `bare botbuilder echo bot (${count} process${count > 1 ? 'es' : ''})`,
        echo.base,
        turns(() => texts.next()),
        seconds,
        CONNECTIONS,
      ),
    );
  } finally {
    await stopServer(echo);
  }

  const [lookupNew, , turnNew, , bare] = runs;
  const lines = [
    ...runs.map(describe),
    'Were the uncached texts new?',
    ...audits,
    `Targets (issue 14: uncached, ${CONNECTIONS} connections, one 2-core machine, default npm start):`,
    verdict('lookups >= 2,500/s with p99 <= 40 ms', lookupNew, 2500, 40),
    verdict('bot turns >= 1,000/s with p99 <= 150 ms', turnNew, 1000, 150),
    `  beside them, the bare echo bot: ${Math.round(bare.rate).toLocaleString('en-CA')} turns/s, ` +
      `p99 ${bare.p99} ms (the assistant's uncached turns: ${((turnNew.rate / bare.rate) * 100).toFixed(0)}% of its rate)`,
  ];
  const errors = runs.filter((f) => failed(f) > 0);
  if (errors.length) {
    lines.push(
      `THIS RUN HAD ERRORS in ${errors.map((f) => f.label).join('; ')}: their failed requests are not counted.`,
    );
    process.exitCode = 1;
  }
  process.stdout.write(lines.join('\n') + '\n');
}
