import { performance } from 'node:perf_hooks';
import { SHARED_MIGRATIONS } from '../../bot/migrations';
import { openSharedDatabase } from '../../lib/database';
import { openDatabase } from '../../lib/db';
import { migrateAll } from '../../lib/migrations';
import { createI18n } from '../../lib/i18n';
import { loadKnowledge } from '../../knowledge/load';
import { nearestOffices } from '../../knowledge/offices/answer';
import { Geocoder } from '../../knowledge/offices/geocode';
import { loadOfficeRegistryData, OfficeRegistryData } from '../../knowledge/offices/load';
import { OutreachStore } from '../../knowledge/offices/outreach-store';
import { OfficeRegistry } from '../../knowledge/offices/registry';
import type { OfficeRecord } from '../../knowledge/offices/schema';
import { WaitStore } from '../../knowledge/offices/wait-store';
import type { ServiceRecord } from '../../knowledge/schema';

const QUERIES = Number(process.env.BENCH_QUERIES ?? 3000);
const WARMUP = 300;
const kb = loadKnowledge();
const i18n = createI18n();

/** A small deterministic generator, so every run measures the same queries. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** Synthetic offices spread over Ontario's extent, with the shipped types' mix. */
export function synthetic(base: OfficeRegistryData, count: number): OfficeRegistryData {
  const rand = rng(7);
  const kinds: [OfficeRecord['type'], OfficeRecord['organization']][] = [
    ['serviceontario', 'serviceontario'],
    ['serviceontario', 'serviceontario'],
    ['land-registry', 'serviceontario'],
    ['service-canada', 'service-canada'],
    ['service-canada', 'service-canada'],
    ['passport', 'service-canada'],
    ['service-canada-outreach', 'service-canada'],
  ];
  const offices: OfficeRecord[] = [];
  for (let i = 0; i < count; i++) {
    const [type, organization] = kinds[Math.floor(rand() * kinds.length)];
    const lat = 42 + rand() * 14;
    const lon = -95 + rand() * 20.5;
    offices.push({
      id: `syn-${i}`,
      organization,
      type,
      name: { en: `Office ${i}`, fr: `Bureau ${i}`, source: 'manual-town-centre' },
      address: {
        street: `${i} Main Street`,
        town: `Town ${i}`,
        townFr: `Ville ${i}`,
        source: 'manual-town-centre',
      },
      location: {
        lat,
        lon,
        approximate: true,
        placement: 'town',
        place: `Town ${i}`,
        source: 'manual-town-centre',
      },
    });
  }
  return { ...base, offices };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function measure(
  label: string,
  data: OfficeRegistryData,
  geocoder: Geocoder,
): Promise<{ p50: number; p99: number; max: number }> {
  const registry = new OfficeRegistry(data, kb.records);
  registry.warm();
  // The shared stores on DATABASE_URL when set (PostgreSQL), else an in-memory SQLite database.
  const database = openSharedDatabase({
    url: process.env.DATABASE_URL ?? '',
    poolMax: 4,
    sqlite: openDatabase(':memory:'),
  });
  await migrateAll(database, SHARED_MIGRATIONS);
  const waits = new WaitStore(database);
  const outreach = new OutreachStore(database);
  const rand = rng(42);
  // History: 20 reports for each of 500 offices, at random hours over the past weeks.
  const start = new Date('2025-03-11T10:00:00-04:00').getTime();
  for (let i = 0; i < 500; i++) {
    const office = registry.offices[Math.floor(rand() * registry.offices.length)];
    for (let k = 0; k < 20; k++)
      await waits.record({
        officeId: office.id,
        minutes: Math.floor(rand() * 90),
        observedAt: new Date(start - rand() * 28 * 86_400_000),
        source: 'feed',
      });
  }
  const services = kb.records.filter(
    (r): r is ServiceRecord => r.kind === 'service' && registry.officesFor(r.id).length > 0,
  );
  const places = [
    'K7L 3N6',
    'M5V',
    'Grand Sudbury',
    'Sault-Sainte-Marie',
    'Timmins',
    'P7B',
    'Ottawa',
    'N6A',
    'Kenora',
    'Sandy Lake',
    '45.42,-75.69',
    '43.65,-79.38',
    '48.38,-89.25',
  ];
  const times = [
    '2025-03-11T10:00:00-04:00',
    '2025-03-11T16:40:00-04:00',
    '2025-03-11T22:00:00-04:00',
    '2025-03-15T11:00:00-04:00',
    '2025-02-17T10:00:00-05:00',
  ];
  const samples: number[] = [];
  for (let i = 0; i < WARMUP + QUERIES; i++) {
    const service = services[Math.floor(rand() * services.length)];
    const near = places[Math.floor(rand() * places.length)];
    const now = new Date(times[Math.floor(rand() * times.length)]);
    const t0 = performance.now();
    const origin = geocoder.geocode(near);
    nearestOffices(
      { registry, waits, outreach, now, freshMs: 3_600_000, t: i18n.t },
      { service, origin, lang: i % 2 ? 'fr' : 'en', limit: 3 },
    );
    const ms = performance.now() - t0;
    if (i >= WARMUP) samples.push(ms);
  }
  samples.sort((a, b) => a - b);
  const figures = {
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    max: samples[samples.length - 1],
  };
  process.stdout.write(
    `${label}: ${registry.offices.length} offices, ${QUERIES} queries (geocoding included): p50 ${figures.p50.toFixed(2)} ms  p99 ${figures.p99.toFixed(2)} ms  max ${figures.max.toFixed(2)} ms\n`,
  );
  await database.close();
  return figures;
}

/** `npm run bench:offices`: nearest-office latency with the real registry and a synthetic 20,000-office one. */
export async function main(): Promise<void> {
  const data = loadOfficeRegistryData(new Map(kb.byId));
  const geocoder = new Geocoder(data);
  const real = await measure('real registry', data, geocoder);
  if (process.env.BENCH_ONLY_REAL) return;
  const big = await measure('synthetic registry', synthetic(data, 20_000), geocoder);
  const ok = real.p99 <= 5 && big.p99 <= 20;
  process.stdout.write(
    `targets: real p99 <= 5 ms ${real.p99 <= 5 ? 'met' : 'MISSED'}; synthetic p99 <= 20 ms ${big.p99 <= 20 ? 'met' : 'MISSED'}\n`,
  );
  if (!ok) process.exitCode = 1;
}
