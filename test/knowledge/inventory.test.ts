import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../lib/db';
import { KnowledgeLoadError } from '../../knowledge/load';
import { INVENTORY_FILE, loadInventory } from '../../knowledge/inventory/load';
import { inventoryFromCsv } from '../../knowledge/inventory/refresh-cli';
import { InventoryIndex } from '../../knowledge/inventory/search';
import { sharedDir } from '../helpers/shared';

const inventory = loadInventory();
const index = new InventoryIndex(openDatabase(':memory:'));
index.seed(inventory);

describe('the federal service inventory (the long tail)', () => {
  it('states the public services of the shared inventory, as the refresh script writes them', () => {
    const csv = fs.readFileSync(
      path.join(sharedDir(), 'data', 'gc_service_inventory_2019-2020_compact.csv'),
      'utf8',
    );
    const fresh = inventoryFromCsv(csv, inventory.refreshed);
    expect(JSON.parse(fs.readFileSync(INVENTORY_FILE, 'utf8'))).toEqual(fresh);
    expect(inventory.services.length).toBeGreaterThan(800);
    expect(inventory.source).toMatch(/Treasury Board/);
  });

  it('keeps internal government links out', () => {
    for (const s of inventory.services)
      expect(`${s.url?.en ?? ''} ${s.url?.fr ?? ''}`).not.toMatch(/intranet|\.stage\./);
  });

  it.each([
    ['how do I register a trademark', 'en', 'Innovation, Science and Economic Development Canada'],
    ['apply for a radio licence', 'en', 'Innovation, Science and Economic Development Canada'],
    ['temporary passport', 'en', 'Immigration, Refugees and Citizenship Canada'],
    ['is there a weather warning today', 'en', 'Environment and Climate Change Canada'],
    ['où acheter des cartes marines', 'fr', 'Pêches et Océans Canada'],
  ])('finds "%s" in the inventory, with its department', (q, lang, department) => {
    const found = index.match(q, lang as 'en');
    expect(found.map((f) => f.department)).toContain(department);
  });

  it.each([
    ['best fishing lures for pike', 'en'],
    ['my microsoft office licence expired', 'en'],
    ['best pizza near me', 'en'],
    ['pension pour chien', 'fr'],
  ])('finds nothing for "%s" (no listing explains most of its words)', (q, lang) => {
    expect(index.match(q, lang as 'en' | 'fr')).toEqual([]);
  });

  it('stops the load naming the service and the field of a bad listing', () => {
    const data = JSON.parse(fs.readFileSync(INVENTORY_FILE, 'utf8'));
    data.services[5].name = { en: 'Only English' };
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'inv-')), 'gc.json');
    fs.writeFileSync(file, JSON.stringify(data));
    expect(() => loadInventory(file)).toThrow(KnowledgeLoadError);
    expect(() => loadInventory(file)).toThrow(
      new RegExp(`record "${data.services[5].id}", field "name(\\.fr)?"`),
    );
  });
});
