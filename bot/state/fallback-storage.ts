import { MemoryStorage, type Storage, type StoreItems } from 'botbuilder';
import { isDatabaseUnavailable } from '../../lib/database';
import type { Logger } from '../../lib/logger';

/** While the database is down, it is tried again at most this often (a turn never waits on each try). */
const RETRY_MS = 2000;

/**
 * Bot state that keeps chat answering while the shared database cannot be reached: state is read
 * from and written to the database; while it is down, to this process's memory (said once per
 * outage in the log), so a conversation goes on with this instance. Once the database answers
 * again, the stored state is used again and the memory is let go. Any other error is thrown.
 */
export class FallbackStorage implements Storage {
  private memory = new MemoryStorage();
  private down = false;
  private lastTry = 0;

  constructor(
    private readonly primary: Storage,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  read(keys: string[]): Promise<StoreItems> {
    return this.attempt(
      () => this.primary.read(keys),
      () => this.memory.read(keys),
    );
  }

  write(changes: StoreItems): Promise<void> {
    return this.attempt(
      () => this.primary.write(changes),
      () => this.memory.write(changes),
    );
  }

  delete(keys: string[]): Promise<void> {
    return this.attempt(
      () => this.primary.delete(keys),
      () => this.memory.delete(keys),
    );
  }

  private async attempt<T>(op: () => Promise<T>, fallback: () => Promise<T>): Promise<T> {
    if (this.down && this.now() - this.lastTry < RETRY_MS) return fallback();
    this.lastTry = this.now();
    try {
      const result = await op();
      if (this.down) {
        this.down = false;
        this.memory = new MemoryStorage();
        this.logger.info('bot state back in the database');
      }
      return result;
    } catch (err) {
      if (!isDatabaseUnavailable(err)) throw err;
      if (!this.down) {
        this.down = true;
        this.logger.warn('bot state kept in memory while the database cannot be reached', {
          err: (err as Error).message,
        });
      }
      return fallback();
    }
  }
}
