import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App, AppOptions, createApp } from '../../bot/index';
import { loadConfig } from '../../lib/config';
import { createLogger, Logger } from '../../lib/logger';
import { deleteKeys, uniquePrefix } from './redis';

/**
 * Tests use the project's model folder (built by `npm ci` through the prepare script, keyed by
 * knowledge version), so a test run trains only when the knowledge changed since.
 */
export const TEST_MODEL_DIR = loadConfig({}).modelDir;

export interface TestApp extends App {
  baseUrl: string;
  dataDir: string;
  logLines: string[];
}

/** A real app (real SQLite in a fresh temporary DATA_DIR) listening on a free loopback port. */
export async function startTestApp(
  env: Record<string, string> = {},
  options: AppOptions = {},
): Promise<TestApp> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assistant-test-'));
  // A queue prefix of its own, so a test app never takes another test's (or a developer's) jobs,
  // and its bot state under it, so no conversation of an earlier run or another test is found.
  const queuePrefix = uniquePrefix('app');
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    NLU_MODEL_DIR: TEST_MODEL_DIR,
    LOG_LEVEL: 'debug',
    QUEUE_PREFIX: queuePrefix,
    BOT_STATE_PREFIX: `${queuePrefix}:bot:`,
    ...env,
  });
  const logLines: string[] = [];
  const logger: Logger = createLogger('debug', (l) => logLines.push(l));
  const app = await createApp(config, logger, options);
  const { port } = await app.listen();
  const close = app.close;
  return Object.assign(app, {
    baseUrl: `http://127.0.0.1:${port}`,
    dataDir,
    logLines,
    close: async () => {
      await close();
      if (options.redis !== false) await deleteKeys(config.QUEUE_PREFIX, config.REDIS_URL);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

export async function getJson(
  url: string,
  init?: RequestInit,
): Promise<{ status: number; body: any }> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: the assertion on the body will say so
  }
  return { status: res.status, body };
}
