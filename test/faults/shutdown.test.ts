import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { waitFor } from '../helpers/campaigns';
import { listeningPort, startWorkerProcess } from '../helpers/worker-process';

describe('SIGTERM', () => {
  it('finishes the requests in flight, then stops accepting and exits 0', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shutdown-'));
    const child = startWorkerProcess(
      {
        DATA_DIR: dataDir,
        PORT: '0',
        HOST: '127.0.0.1',
        QUEUE_PREFIX: `shutdown-${process.pid}`,
        RATE_LIMIT_PER_CLIENT: '0',
        LOG_LEVEL: 'info',
      },
      'bot/index.ts',
    );
    let log = '';
    child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
    try {
      const url = `http://127.0.0.1:${await listeningPort(child)}`;
      await waitFor(
        async () => (await fetch(`${url}/readyz`).catch(() => null))?.status === 200,
        60_000,
        'the server',
      );
      const inFlight = Array.from({ length: 40 }, (_, i) =>
        fetch(`${url}/api/lookup?q=${encodeURIComponent(`renew my passport ${i}`)}`).then(
          (r) => r.status,
          () => -1,
        ),
      );
      await new Promise((r) => setTimeout(r, 5));
      const exited = new Promise<number | null>((resolve) =>
        child.once('exit', (code) => resolve(code)),
      );
      child.kill('SIGTERM');
      const statuses = await Promise.all(inFlight);
      // Exit status 0 is the deadline check: past SHUTDOWN_DEADLINE_MS the server exits 1 instead.
      expect(await exited).toBe(0);
      // Every request that reached the server was answered; none was cut (a refused connection is -1 and is fine).
      expect(statuses.filter((s) => s !== 200 && s !== -1)).toEqual([]);
      expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
      expect(log).toMatch(/stopped cleanly/);
      expect(
        await fetch(`${url}/healthz`).then(
          () => 'answered',
          () => 'refused',
        ),
      ).toBe('refused');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
