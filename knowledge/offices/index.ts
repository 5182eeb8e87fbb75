import type { Db } from '../../lib/db';
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
}

export function createOfficeFinder(
  db: Db,
  kb: Pick<KnowledgeBase, 'records' | 'byId'>,
  dataDir: string = OFFICES_DATA_DIR,
): OfficeFinder {
  const data = loadOfficeRegistryData(new Map(kb.byId), dataDir);
  const registry = new OfficeRegistry(data, kb.records);
  registry.warm();
  return {
    registry,
    geocoder: new Geocoder(data),
    waits: new WaitStore(db),
    outreach: new OutreachStore(db),
  };
}
