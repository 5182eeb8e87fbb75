import fs from 'node:fs';
import path from 'node:path';
import { parseCsvTable } from '../../lib/csv';
import { formatJson } from '../../lib/json-format';
import { PROJECT_ROOT } from '../../lib/paths';
import { INVENTORY_FILE } from './load';
import { InventoryFile, InventoryService, inventoryFileSchema } from './schema';

export const DEFAULT_CSV = path.join(
  PROJECT_ROOT,
  '..',
  'shared',
  'data',
  'gc_service_inventory_2019-2020_compact.csv',
);

const CHANNELS: Record<string, InventoryService['channels'][number]> = {
  onl: 'online',
  tel: 'telephone',
  person: 'in-person',
  post: 'mail',
  eml: 'email',
  fax: 'fax',
  oth: 'other',
};

/** Client groups a member of the public or a business belongs to (not only other governments). */
const PUBLIC_CLIENTS = new Set(['person', 'econom']);
/** Links that only work inside the government network, or staging copies. */
const INTERNAL_LINK = /intranet|\.stage\.|gcpedia|gcconnex|\.ssc-spc\.gc\.ca/i;

function link(en: string, fr: string): InventoryService['url'] {
  if (!en || !fr || INTERNAL_LINK.test(en) || INTERNAL_LINK.test(fr)) return null;
  try {
    return { en: new URL(en).href, fr: new URL(fr).href };
  } catch {
    return null;
  }
}

/**
 * The public-facing services of the inventory CSV (Treasury Board's open data), in the project's own
 * format: services for people or businesses only, internal links dropped.
 */
export function inventoryFromCsv(text: string, refreshed: string): InventoryFile {
  const { rows } = parseCsvTable(text);
  const services: InventoryService[] = [];
  for (const { values: v } of rows) {
    const clients = v.client_target_groups.split(',').map((c) => c.trim());
    if (!clients.some((c) => PUBLIC_CLIENTS.has(c))) continue;
    if (!v.service_name_en || !v.service_name_fr || !v.department_name_en || !v.department_name_fr)
      continue;
    services.push({
      id: `gc-${v.service_id}`,
      name: { en: v.service_name_en, fr: v.service_name_fr },
      department: { en: v.department_name_en, fr: v.department_name_fr },
      url: link(v.service_url_en, v.service_url_fr),
      channels: [
        ...new Set(
          v.service_channels
            .split(',')
            .map((c) => CHANNELS[c.trim()])
            .filter(Boolean),
        ),
      ],
    });
  }
  return inventoryFileSchema.parse({
    source:
      'Government of Canada Service Inventory 2019-2020, Treasury Board of Canada Secretariat (Open Government Licence – Canada)',
    sourceUrl: 'https://open.canada.ca/data/en/dataset/3ac0d080-6149-499a-8b06-7ce5f00ec56c',
    asOf: '2019-2020',
    refreshed,
    services,
  });
}

/** `npm run kb:inventory [-- path/to/inventory.csv]`: rewrites knowledge/inventory/gc-services.json. */
export async function main(argv: string[] = []): Promise<void> {
  const csv = argv[0] ?? DEFAULT_CSV;
  const file = inventoryFromCsv(
    fs.readFileSync(csv, 'utf8'),
    new Date().toISOString().slice(0, 10),
  );
  fs.writeFileSync(INVENTORY_FILE, formatJson(file));
  process.stdout.write(
    `${file.services.length} public federal services written to ${path.relative(PROJECT_ROOT, INVENTORY_FILE)}\n`,
  );
}
