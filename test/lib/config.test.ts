import fs from 'node:fs';
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

  it('names every bad key', () => {
    expect(() => loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud' })).toThrow(/PORT.*LOG_LEVEL/);
  });

  it('lists every key in .env.example, each with a description', () => {
    const example = fs.readFileSync(path.join(__dirname, '..', '..', '.env.example'), 'utf8');
    for (const [key, schema] of Object.entries(configSchema.shape)) {
      expect(example).toMatch(new RegExp(`^${key}=`, 'm'));
      expect((schema as { description?: string }).description).toBeTruthy();
    }
  });
});
