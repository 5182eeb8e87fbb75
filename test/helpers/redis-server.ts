import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './ports';

async function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A Redis server of the test's own on a free port (nothing kept on disk), so a test can stop and
 * start it without touching the shared one. redis-server cannot listen on port 0 and say which port
 * it got, so the system picks a free port first; should another process take it in between, the
 * server fails to start and a new port is tried.
 */
export class OwnRedis {
  private child: ChildProcess | null = null;
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'own-redis-'));
  private constructor(readonly port: number) {}

  static async start(): Promise<OwnRedis> {
    for (let attempt = 1; ; attempt++) {
      const r = new OwnRedis(await freePort());
      try {
        await r.start();
        return r;
      } catch (err) {
        await r.dispose();
        if (attempt === 3) throw err;
      }
    }
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        this.dir,
      ],
      { stdio: 'ignore' },
    );
    const child = this.child;
    for (let i = 0; i < 100; i++) {
      if (await answers(this.port)) return;
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(
      `redis-server did not start on port ${this.port} (exit code ${child.exitCode})`,
    );
  }

  /** Stops it (its data is lost, as when a Redis without persistence restarts). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    this.child = null;
  }

  async dispose(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
