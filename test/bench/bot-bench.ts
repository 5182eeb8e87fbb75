import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { PROJECT_ROOT } from '../../lib/paths';
import { loadQuestions, percentile } from './nlu-eval';

/** A port of its own, away from the test and other benchmarks that may run beside it. */
const PORT = 39000 + Math.floor(Math.random() * 900);
const BASE = `http://127.0.0.1:${PORT}`;

/** `npm start` in a child process (the bot alone on its event loop, as in production), ready when /readyz is 200. */
async function startServer(dataDir: string, processes: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'scripts', 'start.js')], {
    env: {
      ...process.env,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      NLU_MODEL_DIR: path.join(os.tmpdir(), 'ontario-assistant-models'),
      LOG_LEVEL: 'error',
      WORKER: 'off',
      BOT_STATE: 'sqlite',
      WEB_CONCURRENCY: String(processes),
      // One client at hundreds of turns a second: the rate limits would answer most of them 429.
      RATE_LIMIT_PER_CLIENT: '0',
      RATE_LIMIT_PER_CONVERSATION: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${BASE}/readyz`)).status === 200) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 60_000) throw new Error('the server was not ready after 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}

function activity(conversation: string, text: string): string {
  return JSON.stringify({
    type: 'message',
    text,
    channelId: 'webchat',
    conversation: { id: conversation },
    from: { id: `user-${conversation}` },
    recipient: { id: 'bench-bot' },
    deliveryMode: 'expectReplies',
  });
}

/** Sequential single turns of a pasted 100,000-character message. */
async function longMessage(rounds: number): Promise<number[]> {
  const text = 'I need to renew my passport before my trip next month. '
    .repeat(2000)
    .slice(0, 100_000);
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = process.hrtime.bigint();
    const res = await fetch(`${BASE}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: activity(`long-${i}`, text),
    });
    const body = (await res.json()) as { activities?: unknown[] };
    if (res.status !== 200 || !body.activities?.length)
      throw new Error(`long message: status ${res.status}`);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return times.sort((a, b) => a - b);
}

/** Office searches in both languages (place and service in the question): the office finder's cards. */
const OFFICE_SEARCHES = [
  'Where can I renew my health card near K7L?',
  'bureau des passeports près de Grand Sudbury',
  'SIN office near Thunder Bay',
  'où renouveler mon permis de conduire près de Hearst',
  'passport office near M5V 3L9',
  'NAS près de Sault-Sainte-Marie',
];

/** Sequential office searches, each in a new conversation: the finder's whole answer (ranking and cards). */
async function officeSearches(rounds: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = process.hrtime.bigint();
    const res = await fetch(`${BASE}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: activity(`office-${i}`, OFFICE_SEARCHES[i % OFFICE_SEARCHES.length]),
    });
    const body = (await res.json()) as { activities?: { attachments?: unknown[] }[] };
    if (res.status !== 200 || !body.activities?.some((a) => a.attachments?.length === 3))
      throw new Error(`office search: status ${res.status}, no office cards`);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return times.sort((a, b) => a - b);
}

/**
 * `npm run bench:bot [-- --seconds N] [--connections 4,8] [--processes 1,2]`: turns per second and
 * turn latency through POST /api/messages with deliveryMode expectReplies, on loopback, with
 * autocannon, for `npm start` with each WEB_CONCURRENCY given, at each number of concurrent
 * connections given (the load where the targets hold, and one past it). Each connection is one conversation;
 * messages are the NLU question sets (both languages, in and out of scope). Bounded: each run stops
 * after --seconds (default 15), then its server is stopped.
 */
export async function main(argv: string[] = []): Promise<void> {
  const arg = (name: string, dflt: string) =>
    argv.includes(name) ? argv[argv.indexOf(name) + 1] : dflt;
  const seconds = Number(arg('--seconds', '15'));
  const connectionCounts = arg('--connections', '4,8').split(',').map(Number);
  const questions = [...loadQuestions('nlu-dev'), ...loadQuestions('nlu-holdout')].map((q) => q.q);
  process.stdout.write(
    `POST /api/messages, expectReplies, loopback, ${connectionCounts.join(' and ')} connections (one conversation each), ${seconds} s per run, ${questions.length} questions in both languages, ${os.cpus().length} cores\n`,
  );
  for (const processes of arg('--processes', '1,2').split(',').map(Number)) {
    await benchOnce(processes, seconds, connectionCounts, questions);
  }
  process.stdout.write('  targets: >= 300 turns/s and p99 <= 50 ms\n');
}

async function benchOnce(
  processes: number,
  seconds: number,
  connectionCounts: number[],
  questions: string[],
): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-bot-'));
  const server = await startServer(dataDir, processes);
  try {
    let conversations = 0;
    let sent = 0;
    const run = (duration: number, connections: number) =>
      autocannon({
        url: BASE,
        connections,
        duration,
        requests: [
          {
            method: 'POST',
            path: '/api/messages',
            headers: { 'content-type': 'application/json' },
            // One conversation per connection, so turns of a conversation never overlap (as with a real person).
            setupRequest: (req: autocannon.Request, context: object) => {
              const c = context as { conversation?: string };
              c.conversation ??= `bench-${processes}-${++conversations}`;
              return {
                ...req,
                body: activity(c.conversation, questions[sent++ % questions.length]),
              };
            },
          },
        ],
      });
    await run(3, connectionCounts[0]); // warm-up
    const lines = [
      `WEB_CONCURRENCY=${processes} (${processes === 1 ? 'one server process' : `${processes} server processes`})`,
    ];
    for (const connections of connectionCounts) {
      const r = await run(seconds, connections);
      const turns = r.requests.total;
      lines.push(
        `  ${connections} connections: ${turns} turns answered, ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`,
        `    throughput: ${(turns / seconds).toFixed(0)} turns/s`,
        `    turn latency: p50 ${r.latency.p50} ms, p90 ${r.latency.p90} ms, p99 ${r.latency.p99} ms, max ${r.latency.max} ms`,
      );
    }
    const long = await longMessage(20);
    const offices = await officeSearches(300);
    lines.push(
      `  a 100,000-character message (20 sequential turns): p50 ${percentile(long, 50).toFixed(1)} ms, max ${long[long.length - 1].toFixed(1)} ms`,
      `  an office search with three office cards (300 sequential turns): p50 ${percentile(offices, 50).toFixed(1)} ms, p99 ${percentile(offices, 99).toFixed(1)} ms`,
    );
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
