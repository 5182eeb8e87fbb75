import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { PROJECT_ROOT } from '../../lib/paths';
import { percentile } from './nlu-eval';
import type { BenchQuestion } from './texts';

/** A running server process of a bench: `npm start`'s script or the echo bot. */
export interface Served {
  child: ChildProcess;
  base: string;
  dataDir?: string;
}

/** A free loopback port (asked of the system, so benches and tests running beside never collide). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Polls `ready` until true, 240 s at most: a start that must train the model (the knowledge changed
 * since the last build) takes about a minute on an idle machine, more when other work shares it.
 */
async function untilReady(
  child: ChildProcess,
  ready: () => Promise<boolean>,
  what: string,
): Promise<void> {
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode}`);
    try {
      if (await ready()) return;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 240_000) throw new Error(`${what} not ready after 240 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * `npm start`'s script in its own process on 127.0.0.1 (the server alone on its event loops, as in
 * production), rate limits off (one client at thousands of requests a second), log at error level.
 * WEB_CONCURRENCY is the default unless `env` sets it. Ready when /readyz answers 200.
 */
export async function startServer(env: Record<string, string> = {}): Promise<Served> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-server-'));
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
  const base = `http://127.0.0.1:${port}`;
  const served = { child, base, dataDir };
  try {
    await untilReady(
      child,
      async () => (await fetch(`${base}/readyz`)).status === 200,
      'the server',
    );
  } catch (err) {
    await stopServer(served);
    throw err;
  }
  return served;
}

/** The bare botbuilder echo bot (echo-bot.ts) with `processes` processes; ready when it echoes. */
export async function startEchoBot(processes: number): Promise<Served> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      path.join(PROJECT_ROOT, 'scripts', 'run.js'),
      'test/bench/echo-bot.ts',
      String(port),
      String(processes),
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const base = `http://127.0.0.1:${port}`;
  const served = { child, base };
  const probe = activity('echo-ready', { q: 'ready?', lang: 'en' });
  try {
    await untilReady(
      child,
      async () =>
        (
          await fetch(`${base}/api/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: probe,
          })
        ).status === 200,
      'the echo bot',
    );
  } catch (err) {
    await stopServer(served);
    throw err;
  }
  return served;
}

export async function stopServer(s: Served): Promise<void> {
  if (s.child.exitCode === null && s.child.signalCode === null) {
    s.child.kill('SIGTERM');
    await new Promise((r) => s.child.once('exit', r));
  }
  if (s.dataDir) fs.rmSync(s.dataDir, { recursive: true, force: true });
}

/** How many processes answer: the server's node:cluster workers, or the server itself when none. */
export function serverProcesses(s: Served): number {
  const pid = s.child.pid;
  let children = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The parent pid is the second field after the command name, which sits in parentheses.
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) children++;
    } catch {
      // the process ended while listing
    }
  }
  return Math.max(1, children);
}

/** A message activity as Web Chat sends it, replies in the response body (deliveryMode expectReplies). */
export function activity(conversation: string, text: BenchQuestion): string {
  return JSON.stringify({
    type: 'message',
    text: text.q,
    locale: text.lang === 'fr' ? 'fr-CA' : 'en-CA',
    channelId: 'webchat',
    serviceUrl: 'http://127.0.0.1:1/',
    conversation: { id: conversation },
    from: { id: `user-${conversation}` },
    recipient: { id: 'bench-bot' },
    deliveryMode: 'expectReplies',
  });
}

/** GET /api/lookup, a new question (from `next`) each request. */
export function lookups(next: () => BenchQuestion): autocannon.Request[] {
  return [
    {
      method: 'GET',
      setupRequest: (req: autocannon.Request) => ({
        ...req,
        path: `/api/lookup?q=${encodeURIComponent(next().q)}`,
      }),
    },
  ];
}

let conversations = 0;

/**
 * POST /api/messages, a new question each turn, in conversations of `turns` turns: autocannon keeps a
 * connection's context for one pass over the request list, so each pass is one conversation and its
 * turns never overlap (one person waits for the answer before typing the next question).
 */
export function turns(next: () => BenchQuestion, turnsPerConversation = 5): autocannon.Request[] {
  return Array.from({ length: turnsPerConversation }, () => ({
    method: 'POST' as const,
    path: '/api/messages',
    headers: { 'content-type': 'application/json' },
    setupRequest: (req: autocannon.Request, context: object) => {
      const c = context as { conversation?: string };
      c.conversation ??= `bench-${process.pid}-${++conversations}`;
      return { ...req, body: activity(c.conversation, next()) };
    },
  }));
}

/** What a measured run answered: only 2xx answers count; rates divide by the measured time. */
export interface Figures {
  label: string;
  connections: number;
  /** 2xx answers. */
  ok: number;
  /** Everything else, by status code or failure ("connection error", "timeout"). */
  failures: Record<string, number>;
  seconds: number;
  /** 2xx answers per second of measured time. */
  rate: number;
  /** Latency of the 2xx answers, ms. */
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export const failed = (f: Figures): number => Object.values(f.failures).reduce((a, b) => a + b, 0);

/**
 * One autocannon run of `seconds` on loopback at `connections` connections. Warm-ups call it too and
 * ignore the figures: nothing of a warm-up enters a measured run.
 */
export function measure(
  label: string,
  base: string,
  requests: autocannon.Request[],
  seconds: number,
  connections: number,
): Promise<Figures> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url: base, connections, duration: seconds, requests, timeout: 10 },
      (err: Error | null, r: autocannon.Result) => {
        if (err) return reject(err);
        const failures: Record<string, number> = {};
        for (const [code, stat] of Object.entries(r.statusCodeStats ?? {}))
          if (!code.startsWith('2') && stat.count) failures[`HTTP ${code}`] = stat.count;
        const connErrors = r.errors - r.timeouts;
        if (connErrors > 0) failures['connection errors'] = connErrors;
        if (r.timeouts > 0) failures['timeouts (10 s)'] = r.timeouts;
        latencies.sort((a, b) => a - b);
        const round = (x: number) => Math.round(x * 10) / 10;
        resolve({
          label,
          connections,
          ok: latencies.length,
          failures,
          seconds: r.duration,
          rate: latencies.length / r.duration,
          p50: round(percentile(latencies, 50)),
          p90: round(percentile(latencies, 90)),
          p99: round(percentile(latencies, 99)),
          max: round(latencies[latencies.length - 1] ?? 0),
        });
      },
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status >= 200 && status < 300) latencies.push(ms);
    });
  });
}

const n = (x: number) => Math.round(x).toLocaleString('en-CA');

/** One line per run: rate, latency and every answer that did not count. */
export function describe(f: Figures): string {
  const bad = failed(f);
  const failures = bad
    ? `; NOT COUNTED: ${Object.entries(f.failures)
        .map(([k, v]) => `${n(v)} ${k}`)
        .join(', ')}`
    : '; 0 non-2xx, 0 errors';
  return (
    `  ${f.label.padEnd(34)} ${n(f.rate).padStart(6)}/s  p50 ${f.p50} ms  p90 ${f.p90} ms  ` +
    `p99 ${f.p99} ms  max ${f.max} ms  (${n(f.ok)} 2xx in ${f.seconds.toFixed(1)} s${failures})`
  );
}

/**
 * A target as the issue states it, then the figure and "met" or "missed": met only when the rate
 * and the p99 both hold and no request failed.
 */
export function verdict(target: string, f: Figures, minRate: number, maxP99: number): string {
  const met = f.rate >= minRate && f.p99 <= maxP99 && failed(f) === 0;
  const why = failed(f) ? ` (${n(failed(f))} requests failed)` : '';
  return `  ${target}: ${n(f.rate)}/s, p99 ${f.p99} ms${why}: ${met ? 'met' : 'missed'}`;
}
