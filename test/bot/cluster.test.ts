import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../lib/paths';
import { TEST_MODEL_DIR } from '../helpers/app';
import { message, OFFERS_CHOICES, secondOption, send } from '../helpers/bot';

const PORT = 41000 + Math.floor(Math.random() * 2000);
const BASE = `http://127.0.0.1:${PORT}`;
let server: ChildProcess;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assistant-cluster-'));
  server = spawn(process.execPath, [path.join(PROJECT_ROOT, 'scripts', 'start.js')], {
    env: {
      ...process.env,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      NLU_MODEL_DIR: TEST_MODEL_DIR,
      WEB_CONCURRENCY: '2',
      WORKER: 'off',
      LOG_LEVEL: 'error',
    },
    stdio: 'ignore',
  });
  for (const started = Date.now(); ;) {
    if (server.exitCode !== null) throw new Error(`npm start exited with ${server.exitCode}`);
    try {
      if ((await fetch(`${BASE}/readyz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 60_000) throw new Error('not ready after 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}, 90_000);

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('npm start with WEB_CONCURRENCY=2', () => {
  it('serves one conversation across both server processes (state in SQLite)', async () => {
    for (let i = 0; i < 3; i++) {
      const conversation = `cluster-${i}`;
      const offered = (await send(BASE, message(conversation, 'licence'))).text;
      expect(offered).toMatch(OFFERS_CHOICES);
      const option = secondOption(offered);
      expect((await send(BASE, message(conversation, option.number))).text).toMatch(
        option.startsAnswer,
      );
    }
  });

  it('stops every process on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) =>
      server.once('exit', (code) => resolve(code)),
    );
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(`${BASE}/healthz`)).rejects.toThrow();
  });
});
