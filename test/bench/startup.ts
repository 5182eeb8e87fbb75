import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../lib/paths';
import { freePort } from './http-load';

/**
 * Starts `npm start`'s script on a free port with `env` and returns the ms until /readyz answers 200;
 * gives up after `limitMs` (a start that trains the model takes about a minute on an idle 2-core
 * machine, more when other work shares it).
 */
export async function timeToReady(env: Record<string, string>, limitMs = 60_000): Promise<number> {
  const port = await freePort();
  const started = Date.now();
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'scripts', 'start.js')], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'error' },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/readyz`);
        if (res.status === 200) return Date.now() - started;
      } catch {
        // not listening yet
      }
      if (Date.now() - started > limitMs) throw new Error(`not ready after ${limitMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

/**
 * Start-up times. First start after `npm ci` (the prepare script built the model: the database
 * is created and seeded), first start with no model at all (it trains), and a later start.
 */
export async function measureStartup(): Promise<{
  firstMs: number;
  untrainedMs: number;
  laterMs: number;
}> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-start-'));
  const modelDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-model-'));
  try {
    const firstMs = await timeToReady({ DATA_DIR: dataDir });
    fs.rmSync(dataDir, { recursive: true, force: true });
    const env = { DATA_DIR: dataDir, NLU_MODEL_DIR: modelDir };
    const untrainedMs = await timeToReady(env, 240_000);
    const laterMs = await timeToReady(env);
    return { firstMs, untrainedMs, laterMs };
  } finally {
    fs.rmSync(modelDir, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
