import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = path.join(__dirname, '..', '..');
const bundles = new Map<string, string>();

/**
 * Bundles an entry point (`npm run worker`, `npm run campaigns`…) into test-artifacts/ for this test
 * process, so tests start it in a fraction of a second and never race another test's rebuild of dist/.
 */
function bundle(entry: string): string[] {
  let out = bundles.get(entry);
  if (!out) {
    // Built under a name of its own, then renamed: tests in parallel each get a whole file.
    out = path.join(ROOT, 'test-artifacts', 'bundles', `${entry.replace(/[/.]/g, '-')}.js`);
    const tmp = `${out}.${process.pid}.tmp`;
    buildSync({
      entryPoints: [path.join(ROOT, entry)],
      outfile: tmp,
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'error',
    });
    fs.renameSync(tmp, out);
    bundles.set(entry, out);
  }
  return ['-e', `require(${JSON.stringify(out)}).main(process.argv.slice(1))`];
}

export function startWorkerProcess(
  env: Record<string, string>,
  entry = 'bot/worker.ts',
): ChildProcess {
  const child = spawn(process.execPath, bundle(entry), {
    cwd: ROOT,
    // One server process unless the test asks for more (npm start's default is one per core).
    env: { ...process.env, LOG_LEVEL: 'warn', WEB_CONCURRENCY: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

/** Runs an entry point to its end: exit status, stdout and stderr. */
export function runEntry(entry: string, args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [...bundle(entry), ...args], {
    cwd: ROOT,
    env: { ...process.env, WEB_CONCURRENCY: '1', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export async function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<number | null> {
  // Already ended (by a signal, exitCode stays null): its exit event will not come again.
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  child.kill(signal);
  return exited;
}

/**
 * The port a server process started with PORT=0 listens on, read from its `listening` log line
 * (LOG_LEVEL info or lower; with WEB_CONCURRENCY > 1 every server process shares that one port).
 */
export function listeningPort(child: ChildProcess, timeoutMs = 60_000): Promise<number> {
  return new Promise((resolve, reject) => {
    let pending = '';
    const onData = (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        let entry: { msg?: unknown; port?: unknown };
        try {
          entry = JSON.parse(line);
        } catch {
          continue; // not a log line
        }
        if (entry.msg === 'listening' && typeof entry.port === 'number') {
          done();
          resolve(entry.port);
          return;
        }
      }
    };
    const onExit = (code: number | null) => {
      done();
      reject(new Error(`the server exited (${code}) before listening`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`the server was not listening after ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}
