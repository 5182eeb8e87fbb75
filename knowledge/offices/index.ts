import type { Database } from '../../lib/database';
import type { KnowledgeBase } from '../load';
import { Geocoder } from './geocode';
import { loadOfficeRegistryData, OFFICES_DATA_DIR } from './load';
import { OutreachStore } from './outreach-store';
import { OfficeRegistry } from './registry';
import { WaitStore } from './wait-store';

/** The office finder's parts, built once by the composition root (and by the worker and the CLI). */
export interface OfficeFinder {
  registry: OfficeRegistry;
  geocoder: Geocoder;
  waits: WaitStore;
  outreach: OutreachStore;
  /** Re-reads waits, visits and closures written by other processes into the in-memory copies. */
  refresh(): Promise<void>;
  /**
   * Refreshes every `ms` until `stop()`. A failed refresh (database down) keeps serving the last
   * copy and is reported once per outage through `onError`, its recovery through `onRecovered`.
   */
  startRefreshing(ms: number, report: RefreshReport): void;
  /** False while the periodic refresh fails (the shared database cannot be reached). */
  refreshing(): boolean;
  stop(): void;
}

export interface RefreshReport {
  onError(err: Error): void;
  onRecovered(): void;
}

/** Builds the finder and reads the current waits, visits and closures once. */
export async function createOfficeFinder(
  database: Database,
  kb: Pick<KnowledgeBase, 'records' | 'byId'>,
  dataDir: string = OFFICES_DATA_DIR,
): Promise<OfficeFinder> {
  const data = loadOfficeRegistryData(new Map(kb.byId), dataDir);
  const registry = new OfficeRegistry(data, kb.records);
  registry.warm();
  const waits = new WaitStore(database);
  const outreach = new OutreachStore(database);
  const refresh = async () => {
    await waits.sync();
    await outreach.refresh();
  };
  await refresh();
  let timer: NodeJS.Timeout | null = null;
  let failing = false;
  return {
    registry,
    geocoder: new Geocoder(data),
    waits,
    outreach,
    refresh,
    startRefreshing(ms, report) {
      let busy = false;
      timer ??= setInterval(() => {
        // A refresh still waiting on a database that does not answer is not joined by another.
        if (busy) return;
        busy = true;
        refresh()
          .finally(() => (busy = false))
          .then(
            () => {
              if (failing) report.onRecovered();
              failing = false;
            },
            (err: Error) => {
              if (!failing) report.onError(err);
              failing = true;
            },
          );
      }, ms);
      timer.unref();
    },
    refreshing: () => !failing,
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
