import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { KNOWLEDGE_DIR, KnowledgeLoadError, readJsonFile, schemaError } from '../load';
import { bodiesFileSchema, GovernmentBody } from './schema';

export const BODIES_DIR = path.join(KNOWLEDGE_DIR, 'agencies', 'data');

export interface Bodies {
  bodies: GovernmentBody[];
  /** Hash of the files: changes when any body changes. */
  version: string;
}

/** The records the bodies may name (the knowledge base's `byId`, or any set of ids). */
export interface KnownRecords {
  has(id: string): boolean;
}

/**
 * Loads every `*.json` of the directory of government bodies; a malformed body, an id used twice
 * (across files too) or, when `records` is given, a record id it does not hold stops the start
 * naming the file, body and field.
 */
export function loadBodies(dir: string = BODIES_DIR, records?: KnownRecords): Bodies {
  const hash = crypto.createHash('sha256');
  const bodies: GovernmentBody[] = [];
  const seen = new Map<string, string>();
  const files = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort()
    : [];
  for (const name of files) {
    const file = path.join(dir, name);
    const { raw, json } = readJsonFile(file);
    const parsed = bodiesFileSchema.safeParse(json);
    if (!parsed.success) throw schemaError(file, json, 'bodies', parsed.error.issues[0]);
    for (const body of parsed.data.bodies) {
      const other = seen.get(body.id);
      if (other)
        throw new KnowledgeLoadError(
          file,
          body.id,
          'id',
          `is also used in ${path.basename(other)}`,
        );
      body.records?.forEach((id, i) => {
        if (records && !records.has(id))
          throw new KnowledgeLoadError(
            file,
            body.id,
            `records.${i}`,
            `names unknown record "${id}"`,
          );
      });
      seen.set(body.id, file);
      bodies.push(body);
    }
    hash.update(name).update(raw);
  }
  return { bodies, version: hash.digest('hex').slice(0, 16) };
}
