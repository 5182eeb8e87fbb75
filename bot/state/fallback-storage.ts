import { MemoryStorage, type Storage, type StoreItems } from 'botbuilder';
import { isDatabaseUnavailable } from '../../lib/database';
import type { Logger } from '../../lib/logger';

/** While the primary store is down, it is tried again at most this often (a turn never waits on each try). */
const RETRY_MS = 2000;

export interface FallbackOptions {
  /** Whether an error means the primary store cannot be reached; any other error is thrown. */
  unavailable?: (err: unknown) => boolean;
  /** Where state goes while the primary is down; this process's memory (a new one per outage) if not given. */
  fallback?: Storage;
  /** What the log calls the primary and the fallback. */
  names?: { primary: string; fallback: string };
  now?: () => number;
}

/**
 * Bot state that keeps chat answering while its store cannot be reached: state is read from and
 * written to the primary store; while it is down, to the fallback (said once per outage in the
 * log), so a conversation goes on. Once the primary answers again, its state is used again (a
 * memory fallback is let go). By default the primary is the shared database and the fallback this
 * process's memory; with Redis as the primary, the fallback is the shared database.
 */
export class FallbackStorage implements Storage {
  private readonly ownMemory: boolean;
  private fallback: Storage;
  private readonly unavailable: (err: unknown) => boolean;
  private readonly names: { primary: string; fallback: string };
  private readonly now: () => number;
  private down = false;
  private lastTry = 0;

  constructor(
    private readonly primary: Storage,
    private readonly logger: Logger,
    options: FallbackOptions = {},
  ) {
    this.ownMemory = !options.fallback;
    this.fallback = options.fallback ?? new MemoryStorage();
    this.unavailable = options.unavailable ?? isDatabaseUnavailable;
    this.names = options.names ?? { primary: 'the database', fallback: 'memory' };
    this.now = options.now ?? Date.now;
  }

  read(keys: string[]): Promise<StoreItems> {
    return this.attempt(
      () => this.primary.read(keys),
      () => this.fallback.read(keys),
    );
  }

  write(changes: StoreItems): Promise<void> {
    return this.attempt(
      () => this.primary.write(changes),
      () => this.fallback.write(changes),
    );
  }

  delete(keys: string[]): Promise<void> {
    return this.attempt(
      () => this.primary.delete(keys),
      () => this.fallback.delete(keys),
    );
  }

  private async attempt<T>(op: () => Promise<T>, fallback: () => Promise<T>): Promise<T> {
    if (this.down && this.now() - this.lastTry < RETRY_MS) return fallback();
    this.lastTry = this.now();
    try {
      const result = await op();
      if (this.down) {
        this.down = false;
        if (this.ownMemory) this.fallback = new MemoryStorage();
        this.logger.info(`bot state back in ${this.names.primary}`);
      }
      return result;
    } catch (err) {
      if (!this.unavailable(err)) throw err;
      if (!this.down) {
        this.down = true;
        this.logger.warn(
          `bot state kept in ${this.names.fallback} while ${this.names.primary} cannot be reached`,
          { err: (err as Error).message },
        );
      }
      return fallback();
    }
  }
}
