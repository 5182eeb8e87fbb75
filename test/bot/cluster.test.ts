import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SEMI_SPACE_MB } from '../../bot/cluster';
import { PROJECT_ROOT } from '../../lib/paths';
import { TEST_MODEL_DIR } from '../helpers/app';
import { message, OFFERS_CHOICES, secondOption, send } from '../helpers/bot';
import { waitFor } from '../helpers/campaigns';
import { listeningPort } from '../helpers/worker-process';

let server: ChildProcess;
let dataDir: string;
let base: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assistant-cluster-'));
  server = spawn(process.execPath, [path.join(PROJECT_ROOT, 'scripts', 'start.js')], {
    env: {
      ...process.env,
      // Port 0: node:cluster gives every server process the one port the system picked.
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      NLU_MODEL_DIR: TEST_MODEL_DIR,
      WEB_CONCURRENCY: '2',
      WORKER: 'off',
      // Info, for the line that says which port the server processes listen on.
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.resume();
  server.stderr?.resume();
  base = `http://127.0.0.1:${await listeningPort(server)}`;
  await waitFor(
    async () => (await fetch(`${base}/readyz`).catch(() => null))?.status === 200,
    60_000,
    'npm start to be ready',
  );
}, 90_000);

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('npm start with WEB_CONCURRENCY=2', () => {
  it('serves one conversation across both server processes (state in SQLite)', async () => {
    for (let i = 0; i < 3; i++) {
      const conversation = `cluster-${i}`;
      const offered = (await send(base, message(conversation, 'licence'))).text;
      expect(offered).toMatch(OFFERS_CHOICES);
      const option = secondOption(offered);
      expect((await send(base, message(conversation, option.number))).text).toMatch(
        option.startsAnswer,
      );
    }
  });

  it('runs each server process with the larger young generation', () => {
    // The primary's server processes, from /proc: their parent is the primary and they run the
    // start script (the primary's other child is esbuild's service, which checked dist/).
    const cmdline = (pid: string) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const children = fs
      .readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .filter((pid) => {
        try {
          const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
          const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
          return parent === server.pid && cmdline(pid).some((a) => a.endsWith('start.js'));
        } catch {
          return false; // exited meanwhile
        }
      });
    expect(children).toHaveLength(2);
    for (const pid of children)
      expect(cmdline(pid)).toContain(`--max-semi-space-size=${SEMI_SPACE_MB}`);
  });

  it('stops every process on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) =>
      server.once('exit', (code) => resolve(code)),
    );
    server.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });
});
