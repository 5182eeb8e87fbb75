import { spawn, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../lib/paths';
import { loadQuestions } from './nlu-eval';

// autocannon ships no types; the part used here is typed by Result below.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- untyped, typed by the cast
const autocannon = require('autocannon') as (opts: object) => Promise<Result>;

interface Result {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; max: number; average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
}

export interface LoadFigures {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  total: number;
}

/** Starts the real server (npm start's script) in its own process, rate limits off, and waits for /readyz. */
export async function startServer(
  port: number,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-load-'));
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'scripts', 'start.js')], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'error',
      RATE_LIMIT_PER_CLIENT: '0',
      RATE_LIMIT_PER_CONVERSATION: '0',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const started = Date.now();
  for (;;) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200)
        return { child, dataDir };
    } catch {
      // starting
    }
    if (Date.now() - started > 90_000) throw new Error('server not ready after 90 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function stopServer(s: { child: ChildProcess; dataDir: string }): Promise<void> {
  s.child.kill('SIGTERM');
  await new Promise((r) => s.child.once('exit', r));
  fs.rmSync(s.dataDir, { recursive: true, force: true });
}

/** 50 connections for `seconds` on loopback, cycling through `requests`. */
export async function run(
  name: string,
  url: string,
  requests: object[],
  seconds: number,
  connections = 50,
): Promise<LoadFigures> {
  const r = await autocannon({ url, connections, duration: seconds, requests, timeout: 10 });
  return {
    name,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    errors: r.errors + r.timeouts + r.non2xx,
    total: r.requests.total,
  };
}

export function printFigures(f: LoadFigures): void {
  process.stdout.write(
    `${f.name.padEnd(22)} ${f.rps.toFixed(0).padStart(6)} req/s  p50 ${f.p50} ms  p99 ${f.p99} ms  max ${f.max} ms  errors ${f.errors} of ${f.total}\n`,
  );
}

/**
 * `npm run bench:load [-- --seconds 20] [-- --processes N]`: requests per second and latency for
 * GET /api/lookup and POST /api/messages (the three question sets, cycled) at 50 concurrent
 * loopback connections, with the error count. --processes sets WEB_CONCURRENCY.
 */
export async function main(argv: string[] = []): Promise<void> {
  const seconds = argv.includes('--seconds') ? Number(argv[argv.indexOf('--seconds') + 1]) : 20;
  const processes = argv.includes('--processes') ? argv[argv.indexOf('--processes') + 1] : '1';
  const port = 39790;
  const server = await startServer(port, { WEB_CONCURRENCY: processes });
  try {
    const questions = ['nlu-dev', 'nlu-holdout', 'nlu-challenge']
      .flatMap((s) => loadQuestions(s))
      .map((q) => q.q);
    const lookups = questions.map((q) => ({
      method: 'GET',
      path: `/api/lookup?q=${encodeURIComponent(q)}`,
    }));
    await run('warm-up', `http://127.0.0.1:${port}`, lookups, 3);
    process.stdout.write(
      `Load on loopback, 50 connections, ${seconds} s each, ${processes} server process(es) (${os.cpus().length} cores, server and load generator on the same machine):\n`,
    );
    printFigures(await run('GET /api/lookup', `http://127.0.0.1:${port}`, lookups, seconds));
    // Bot turns: the same questions as messages, 200 conversations in turn, replies in the body.
    const turns = questions.map((q, i) => ({
      method: 'POST',
      path: '/api/messages',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        text: q,
        channelId: 'webchat',
        serviceUrl: 'http://127.0.0.1:1/',
        deliveryMode: 'expectReplies',
        locale: 'en-CA',
        from: { id: `load-user-${i % 200}` },
        recipient: { id: 'bot' },
        conversation: { id: `load-conv-${i % 200}` },
      }),
    }));
    await run('warm-up', `http://127.0.0.1:${port}`, turns, 3);
    printFigures(await run('POST /api/messages', `http://127.0.0.1:${port}`, turns, seconds));
  } finally {
    await stopServer(server);
  }
}
