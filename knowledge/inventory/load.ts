import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { KNOWLEDGE_DIR, KnowledgeLoadError } from '../load';
import { InventoryFile, inventoryFileSchema } from './schema';

export const INVENTORY_FILE = path.join(KNOWLEDGE_DIR, 'inventory', 'gc-services.json');

export interface Inventory extends InventoryFile {
  /** Hash of the file: the search index is rebuilt when it changes. */
  version: string;
}

/** Loads and validates the federal service inventory; a bad file stops the start naming the service and field. */
export function loadInventory(file: string = INVENTORY_FILE): Inventory {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new KnowledgeLoadError(file, null, null, `cannot be read (${(err as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new KnowledgeLoadError(file, null, null, `is not valid JSON (${(err as Error).message})`);
  }
  const parsed = inventoryFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const [, index, ...field] = issue.path;
    const services = (json as { services?: Array<{ id?: unknown }> }).services;
    const record = issue.path[0] === 'services' && typeof index === 'number' ? String(services?.[index]?.id ?? `#${index + 1}`) : null;
    throw new KnowledgeLoadError(file, record, (record ? field : issue.path).join('.') || null, issue.message);
  }
  const ids = new Set<string>();
  for (const s of parsed.data.services) {
    if (ids.has(s.id)) throw new KnowledgeLoadError(file, s.id, 'id', 'duplicate id');
    ids.add(s.id);
  }
  return { ...parsed.data, version: crypto.createHash('sha256').update(raw).digest('hex').slice(0, 16) };
}
