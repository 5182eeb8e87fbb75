import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { KNOWLEDGE_DIR, KnowledgeLoadError, readJsonFile, schemaError, uniqueIds } from '../load';
import {
  InventoryFile,
  inventoryFileSchema,
  InventoryKeywords,
  inventoryKeywordsFileSchema,
} from './schema';

export const INVENTORY_FILE = path.join(KNOWLEDGE_DIR, 'inventory', 'gc-services.json');
export const INVENTORY_KEYWORDS_FILE = path.join(KNOWLEDGE_DIR, 'inventory', 'keywords.json');

export interface Inventory extends InventoryFile {
  /** Words people use, by service id (written for the project, kept apart from the refreshed inventory). */
  keywords: InventoryKeywords;
  /** Hash of both files: the search index is rebuilt when either changes. */
  version: string;
}

function loadKeywords(
  file: string,
  ids: ReadonlySet<string>,
): { raw: string; keywords: InventoryKeywords } {
  if (!fs.existsSync(file)) return { raw: '', keywords: {} };
  const { raw, json } = readJsonFile(file);
  const parsed = inventoryKeywordsFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const [top, id, ...field] = issue.path;
    throw new KnowledgeLoadError(
      file,
      top === 'services' && id !== undefined ? String(id) : null,
      (top === 'services' ? field : issue.path).join('.') || null,
      issue.message,
    );
  }
  for (const id of Object.keys(parsed.data.services))
    if (!ids.has(id))
      throw new KnowledgeLoadError(file, id, null, 'names no service of the inventory');
  return { raw, keywords: parsed.data.services };
}

/** Loads and validates the federal service inventory and its keywords; a bad file stops the start naming the service and field. */
export function loadInventory(
  file: string = INVENTORY_FILE,
  keywordsFile: string = INVENTORY_KEYWORDS_FILE,
): Inventory {
  const { raw, json } = readJsonFile(file);
  const parsed = inventoryFileSchema.safeParse(json);
  if (!parsed.success) throw schemaError(file, json, 'services', parsed.error.issues[0]);
  const ids = uniqueIds(file, parsed.data.services);
  const { raw: keywordsRaw, keywords } = loadKeywords(keywordsFile, ids);
  return {
    ...parsed.data,
    keywords,
    version: crypto.createHash('sha256').update(raw).update(keywordsRaw).digest('hex').slice(0, 16),
  };
}
