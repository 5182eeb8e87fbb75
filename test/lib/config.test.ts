import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configSchema, loadConfig } from '../../lib/config';

describe('configuration', () => {
  it('has defaults for everything, port 3978 and ./data', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3978);
    expect(c.dataDir).toBe(path.resolve('./data'));
    expect(c.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('runs one server process per core unless WEB_CONCURRENCY says otherwise', () => {
    const cores = Math.min(32, os.availableParallelism());
    expect(loadConfig({}).WEB_CONCURRENCY).toBe(cores);
    expect(loadConfig({ WEB_CONCURRENCY: '' }).WEB_CONCURRENCY).toBe(cores);
    expect(loadConfig({ WEB_CONCURRENCY: '1' }).WEB_CONCURRENCY).toBe(1);
    expect(() => loadConfig({ WEB_CONCURRENCY: '0' })).toThrow(/WEB_CONCURRENCY/);
  });

  it('runs 64 publish jobs a worker unless CAMPAIGN_WORKER_CONCURRENCY says otherwise', () => {
    expect(loadConfig({}).CAMPAIGN_WORKER_CONCURRENCY).toBe(64);
    expect(loadConfig({ CAMPAIGN_WORKER_CONCURRENCY: '8' }).CAMPAIGN_WORKER_CONCURRENCY).toBe(8);
    for (const bad of ['0', '201', 'many'])
      expect(() => loadConfig({ CAMPAIGN_WORKER_CONCURRENCY: bad })).toThrow(
        /CAMPAIGN_WORKER_CONCURRENCY/,
      );
  });

  it('names every bad key', () => {
    expect(() => loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud' })).toThrow(/PORT.*LOG_LEVEL/);
  });

  it('takes a postgres:// DATABASE_URL, and refuses anything else naming the key, not the value', () => {
    expect(loadConfig({}).DATABASE_URL).toBe('');
    const url = 'postgres://app:pw@db.example.ca:5432/assistant?sslmode=require';
    expect(loadConfig({ DATABASE_URL: url }).DATABASE_URL).toBe(url);
    for (const bad of [
      'mysql://u:hunter2@db/x',
      'postgres://hunter2@/x',
      'postgres://h:5432',
      'hunter2',
    ]) {
      expect(() => loadConfig({ DATABASE_URL: bad })).toThrow(
        /DATABASE_URL: must be a postgres:\/\//,
      );
      expect(() => loadConfig({ DATABASE_URL: bad })).not.toThrow(/hunter2/);
    }
    expect(() => loadConfig({ DATABASE_POOL_MAX: '0' })).toThrow(/DATABASE_POOL_MAX/);
  });

  it('lists every key in .env.example, each with a description', () => {
    const example = fs.readFileSync(path.join(__dirname, '..', '..', '.env.example'), 'utf8');
    for (const [key, schema] of Object.entries(configSchema.shape)) {
      expect(example).toMatch(new RegExp(`^${key}=`, 'm'));
      expect((schema as { description?: string }).description).toBeTruthy();
    }
  });
});
