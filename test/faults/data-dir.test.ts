import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runEntry } from '../helpers/worker-process';

const start = (env: Record<string, string>) =>
  runEntry('bot/index.ts', [], {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    QUEUE_PREFIX: `datadir-${process.pid}`,
    ...env,
  });

describe('a damaged DATA_DIR is reported, not ignored', () => {
  it('stops the start with a message naming a corrupt database file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corrupt-'));
    fs.writeFileSync(path.join(dir, 'assistant.db'), 'this is not a database'.repeat(500));
    const r = start({ DATA_DIR: dir });
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/Cannot open the database .*assistant\.db.*not a database/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stops the start with a message naming a DATA_DIR that cannot be written', () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'readonly-'));
    const file = path.join(parent, 'a-file');
    fs.writeFileSync(file, 'x');
    // A DATA_DIR below a regular file can never be created, whoever runs the test (root included).
    const r = start({ DATA_DIR: path.join(file, 'data') });
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/Cannot open the database .*a-file\/data/);
    fs.rmSync(parent, { recursive: true, force: true });
  });
});
