import os from 'node:os';
import {
  activity,
  describe,
  failed,
  Figures,
  measure,
  Served,
  startEchoBot,
  startServer,
  stopServer,
  turns,
  verdict,
} from './http-load';
import { percentile } from './nlu-eval';
import { auditNew, BenchQuestion, benchQuestions, NewTexts, variant } from './texts';

const WARM_UP_SECONDS = 3;
/** Texts asked again and again for the cached figures (well under the answer cache's 5,000). */
const CACHED_TEXTS = 200;

/** One sequential turn; only a 200 with replies that pass `check` counts (else it throws). */
async function turn(
  base: string,
  conversation: string,
  text: BenchQuestion,
  check: (body: { activities?: { attachments?: unknown[] }[] }) => boolean,
  what: string,
): Promise<number> {
  const t0 = process.hrtime.bigint();
  const res = await fetch(`${base}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: activity(conversation, text),
  });
  const body = (await res.json()) as { activities?: { attachments?: unknown[] }[] };
  if (res.status !== 200 || !check(body)) throw new Error(`${what}: status ${res.status}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/**
 * Sequential single turns of a pasted 100,000-character message. The bot understands a message from
 * its first 1,000 characters, so each starts with its own number: every one is new to the cache.
 */
async function longMessages(base: string, rounds: number): Promise<number[]> {
  const text = 'I need to renew my passport before my trip next month. '.repeat(2000);
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const q = `(${i + 1}) ${text}`.slice(0, 100_000);
    times.push(
      await turn(base, `long-${i}`, { q, lang: 'en' }, (b) => !!b.activities?.length, 'long'),
    );
  }
  return times.sort((a, b) => a - b);
}

/** Office searches in both languages (place and service in the question): the office finder's cards. */
const OFFICE_SEARCHES: BenchQuestion[] = [
  { q: 'Where can I renew my health card near K7L?', lang: 'en' },
  { q: 'bureau des passeports près de Grand Sudbury', lang: 'fr' },
  { q: 'SIN office near Thunder Bay', lang: 'en' },
  { q: 'où renouveler mon permis de conduire près de Hearst', lang: 'fr' },
  { q: 'passport office near M5V 3L9', lang: 'en' },
  { q: 'NAS près de Sault-Sainte-Marie', lang: 'fr' },
];

/**
 * Sequential office searches, each in a new conversation: the finder's whole answer (ranking and
 * three office cards). `fresh`: each search a new text (a greeting and a number), else the six again.
 */
async function officeSearches(base: string, rounds: number, fresh: boolean): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const search = OFFICE_SEARCHES[i % OFFICE_SEARCHES.length];
    const n = Math.floor(i / OFFICE_SEARCHES.length) + 1;
    const text = fresh ? { q: variant(search, 0, n), lang: search.lang } : search;
    const cards = (b: { activities?: { attachments?: unknown[] }[] }) =>
      !!b.activities?.some((a) => a.attachments?.length === 3);
    times.push(await turn(base, `office-${fresh}-${i}`, text, cards, `office search "${text.q}"`));
  }
  return times.sort((a, b) => a - b);
}

const ms = (x: number) => x.toFixed(1);

/**
 * `npm run bench:bot [-- --seconds N] [--connections 4,8] [--processes 1,2]`: turns per second and
 * turn latency through POST /api/messages with deliveryMode expectReplies, on loopback, with
 * autocannon, for `npm start` with each WEB_CONCURRENCY given, at each number of concurrent
 * connections given (conversations of five turns, one at a time per connection). Uncached: every
 * turn a question never asked before (texts.ts); cached: 200 texts asked again and again; warm-ups
 * ask other questions. Then the bare botbuilder echo bot served the same way, at the same loads.
 * Only 2xx answers count; rates divide by the measured time. Bounded: each run stops after --seconds
 * (default 10), then its server is stopped.
 */
export async function main(argv: string[] = []): Promise<void> {
  const arg = (name: string, dflt: string) =>
    argv.includes(name) ? argv[argv.indexOf(name) + 1] : dflt;
  const seconds = Number(arg('--seconds', '10'));
  const connectionCounts = arg('--connections', '4,8').split(',').map(Number);
  const { measured, warmUp } = benchQuestions();
  process.stdout.write(
    `POST /api/messages, expectReplies, loopback, ${connectionCounts.join(' and ')} connections ` +
      `(conversations of five turns), ${seconds} s per measured run, ${os.cpus().length} cores, ` +
      `load average ${os.loadavg()[0].toFixed(2)} before the run, load generator on the same machine.\n` +
      `Uncached: every turn a question never asked before (${measured.length} fixture questions in ` +
      `both languages, each round with a new number and greeting); cached: ${CACHED_TEXTS} texts ` +
      `asked again and again. Warm-ups ask other questions (the calibration set). Only 2xx answers count.\n`,
  );
  const all: Figures[] = [];
  const verdicts: string[] = [];
  for (const processes of arg('--processes', '1,2').split(',').map(Number)) {
    const fresh = new NewTexts(measured, 1);
    const warm = new NewTexts(warmUp, 1);
    const lines = [
      `WEB_CONCURRENCY=${processes} (${processes === 1 ? 'one server process' : `${processes} server processes`})`,
    ];
    const server = await startServer({ WORKER: 'off', WEB_CONCURRENCY: String(processes) });
    try {
      await measure(
        'warm-up',
        server.base,
        turns(() => warm.next()),
        WARM_UP_SECONDS,
        8,
      );
      for (const connections of connectionCounts) {
        const before = [...warm.log, ...fresh.log];
        const from = fresh.log.length;
        const label = `${connections} connections, uncached`;
        const uncached = await measure(
          label,
          server.base,
          turns(() => fresh.next()),
          seconds,
          connections,
        );
        const audit = auditNew(fresh.log.slice(from), before);
        const texts = fresh.take(CACHED_TEXTS);
        const again = () => {
          let i = 0;
          return () => texts[i++ % texts.length];
        };
        await measure('priming', server.base, turns(again()), WARM_UP_SECONDS, connections);
        const cached = await measure(
          `${connections} connections, cached`,
          server.base,
          turns(again()),
          seconds,
          connections,
        );
        all.push(uncached, cached);
        lines.push(describe(uncached), `    (${audit})`, describe(cached));
        verdicts.push(
          verdict(
            `WEB_CONCURRENCY=${processes}, ${connections} connections, uncached: >= 300 turns/s with p99 <= 50 ms`,
            uncached,
            300,
            50,
          ),
        );
      }
      const long = await longMessages(server.base, 20);
      const offices = await officeSearches(server.base, 300, true);
      const officesCached = await officeSearches(server.base, 300, false);
      lines.push(
        `  a 100,000-character message (20 sequential turns, each new): p50 ${ms(percentile(long, 50))} ms, max ${ms(long[long.length - 1])} ms`,
        `  an office search with three office cards (300 sequential turns), uncached: p50 ${ms(percentile(offices, 50))} ms, p99 ${ms(percentile(offices, 99))} ms; ` +
          `cached (the six searches again): p50 ${ms(percentile(officesCached, 50))} ms, p99 ${ms(percentile(officesCached, 99))} ms`,
      );
    } finally {
      await stopServer(server);
    }
    lines.push(...(await echoRuns(processes, connectionCounts, seconds, measured, all)));
    process.stdout.write(lines.join('\n') + '\n');
  }
  process.stdout.write(
    ['Targets (issue 3: >= 300 turns/s and p99 <= 50 ms on this machine):', ...verdicts].join(
      '\n',
    ) + '\n',
  );
  const errors = all.filter((f) => failed(f) > 0);
  if (errors.length) {
    process.stdout.write(
      `THIS RUN HAD ERRORS in ${errors.map((f) => f.label).join('; ')}: their failed requests are not counted.\n`,
    );
    process.exitCode = 1;
  }
}

/** The bare botbuilder echo bot with as many processes, alone on the machine, at the same loads. */
async function echoRuns(
  processes: number,
  connectionCounts: number[],
  seconds: number,
  questions: BenchQuestion[],
  all: Figures[],
): Promise<string[]> {
  const echo: Served = await startEchoBot(processes);
  const lines: string[] = [];
  try {
    const texts = new NewTexts(questions, 500);
    await measure(
      'warm-up',
      echo.base,
      turns(() => texts.next()),
      WARM_UP_SECONDS,
      8,
    );
    for (const connections of connectionCounts) {
      const f = await measure(
        `${connections} connections, bare echo bot`,
        echo.base,
        turns(() => texts.next()),
        seconds,
        connections,
      );
      all.push(f);
      lines.push(describe(f));
    }
  } finally {
    await stopServer(echo);
  }
  return lines;
}
