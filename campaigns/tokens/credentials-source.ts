import fs from 'node:fs';
import path from 'node:path';
import type { Language } from '../../knowledge/schema';
import type { Logger } from '../../lib/logger';
import type { Account, Channel } from '../model';
import {
  Credential,
  CredentialLookup,
  CredentialProblem,
  Credentials,
} from '../publishers/credentials';

export type ReloadResult =
  | { ok: true; changed: boolean; entries: number; problems: readonly CredentialProblem[] }
  | { ok: false; error: string };

/** The file's identity and contents as far as `stat` tells: a change of any means "read it again". */
function stampOf(file: string): string | null {
  try {
    const s = fs.statSync(file);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return null;
  }
}

/**
 * CAMPAIGN_CREDENTIALS_FILE, read again whenever it changes, so credentials are updated without a
 * restart: the folder is watched (an editor or a secret mount replaces the file by a rename), and
 * its `stat` is compared every `pollMs` in case an event is missed (network file systems, some
 * containers). A new file that cannot be read or is not JSON is reported, and the last good one is
 * kept; entries of a new file that are unusable are reported by name and left out.
 */
export class CredentialsSource implements CredentialLookup {
  private current: Credentials;
  private stamp: string | null;
  private error: string | null = null;
  private watcher: fs.FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private debounce: NodeJS.Timeout | null = null;
  private readonly listeners: ((result: ReloadResult) => void)[] = [];

  /** Reads the file now: at start, a file that cannot be read stops the start (as a bad config does). */
  constructor(
    readonly file: string,
    private readonly logger: Logger,
  ) {
    this.stamp = file ? stampOf(file) : null;
    this.current = Credentials.load(file);
    this.report(this.current.problems);
  }

  private report(problems: readonly CredentialProblem[]): void {
    for (const p of problems)
      this.logger.warn('credentials entry not used', {
        entry: p.entry,
        code: p.code,
        detail: p.detail,
      });
  }

  /** Reads the file again; on failure the last good credentials stay in use. */
  reload(): ReloadResult {
    if (!this.file) return { ok: true, changed: false, entries: 0, problems: [] };
    const stamp = stampOf(this.file);
    let next: Credentials;
    try {
      next = Credentials.load(this.file);
    } catch (err) {
      const error = (err as Error).message;
      if (error !== this.error)
        this.logger.error('credentials file not reloaded; the last good one is kept', {
          err: error,
        });
      this.error = error;
      this.stamp = stamp;
      const result: ReloadResult = { ok: false, error };
      this.listeners.forEach((l) => l(result));
      return result;
    }
    const changed =
      JSON.stringify(next.entries()) !== JSON.stringify(this.current.entries()) ||
      JSON.stringify(next.problems) !== JSON.stringify(this.current.problems);
    this.current = next;
    this.error = null;
    this.stamp = stamp;
    if (changed) {
      this.logger.info('credentials file reloaded', {
        entries: next.entries().length,
        problems: next.problems.length,
      });
      this.report(next.problems);
    }
    const result: ReloadResult = {
      ok: true,
      changed,
      entries: next.entries().length,
      problems: next.problems,
    };
    this.listeners.forEach((l) => l(result));
    return result;
  }

  /** Told after every reload (the pre-flight reports a bad file at once). */
  onReload(listener: (result: ReloadResult) => void): void {
    this.listeners.push(listener);
  }

  private changedOnDisk(): void {
    if (stampOf(this.file) !== this.stamp) this.reload();
  }

  /** Watches the file's folder, and compares the file's stat every `pollMs` as a fallback. */
  watch(pollMs: number): void {
    if (!this.file || this.timer) return;
    const base = path.basename(this.file);
    try {
      this.watcher = fs.watch(path.dirname(path.resolve(this.file)), (_event, name) => {
        if (name !== null && name !== base) return;
        // Several events come for one save: read once they settle.
        if (this.debounce) clearTimeout(this.debounce);
        this.debounce = setTimeout(() => this.changedOnDisk(), 50);
        this.debounce.unref();
      });
      this.watcher.unref();
      this.watcher.on('error', () => undefined);
    } catch (err) {
      this.logger.warn('credentials file not watched; checked every poll only', {
        err: (err as Error).message,
      });
    }
    this.timer = setInterval(() => this.changedOnDisk(), pollMs);
    this.timer.unref();
  }

  close(): void {
    this.watcher?.close();
    if (this.timer) clearInterval(this.timer);
    if (this.debounce) clearTimeout(this.debounce);
    this.watcher = null;
    this.timer = null;
  }

  /** The credentials in use now. */
  snapshot(): Credentials {
    return this.current;
  }

  /** Why the last reload failed (the last good file is in use), or null. */
  fileError(): string | null {
    return this.error;
  }

  get(account: Account, channel: Channel, language: Language): Credential | undefined {
    return this.current.get(account, channel, language);
  }

  entryOf(account: Account, channel: Channel, language: Language): string | undefined {
    return this.current.entryOf(account, channel, language);
  }

  missing(account: Account, channel: Channel, language: Language, required: readonly string[]) {
    return this.current.missing(account, channel, language, required);
  }
}
