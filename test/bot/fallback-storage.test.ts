import { MemoryStorage, type Storage, type StoreItems } from 'botbuilder';
import { FallbackStorage } from '../../bot/state/fallback-storage';
import { createLogger } from '../../lib/logger';

/** A real in-memory storage behind a switch that fails the way a lost PostgreSQL connection does. */
class Switchable implements Storage {
  readonly inner = new MemoryStorage();
  failure: Error | null = null;
  calls = 0;
  private check() {
    this.calls++;
    if (this.failure) throw this.failure;
  }
  async read(keys: string[]) {
    this.check();
    return this.inner.read(keys);
  }
  async write(changes: StoreItems) {
    this.check();
    return this.inner.write(changes);
  }
  async delete(keys: string[]) {
    this.check();
    return this.inner.delete(keys);
  }
}

const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('bot state while the database is down', () => {
  it('keeps state in memory during the outage, tries the database every 2 s, and goes back to it', async () => {
    let now = 0;
    const lines: string[] = [];
    const primary = new Switchable();
    const storage = new FallbackStorage(
      primary,
      createLogger('info', (l) => lines.push(l)),
      { now: () => now },
    );
    await storage.write({ k: { step: 1 } });
    primary.failure = refused();
    expect(await storage.read(['k'])).toEqual({});
    await storage.write({ k: { step: 2 } });
    expect((await storage.read(['k'])).k.step).toBe(2);
    expect(primary.calls).toBe(2); // one write before, one failed read; the rest waited for the retry
    now += 2500;
    expect((await storage.read(['k'])).k.step).toBe(2);
    expect(primary.calls).toBe(3);
    primary.failure = null;
    now += 2500;
    expect((await storage.read(['k'])).k.step).toBe(1);
    expect(
      lines.filter((l) =>
        l.includes('bot state kept in memory while the database cannot be reached'),
      ),
    ).toHaveLength(1);
    expect(lines.filter((l) => l.includes('bot state back in the database'))).toHaveLength(1);
  });

  it('throws any other error', async () => {
    const primary = new Switchable();
    primary.failure = new Error('syntax error at or near "SELEC"');
    const storage = new FallbackStorage(primary, createLogger('silent'));
    await expect(storage.read(['k'])).rejects.toThrow(/syntax error/);
  });
});
