import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from '../lib/paths';
import { foldedPhrase } from './nlu/text';
import {
  corpusFileSchema,
  KnowledgeRecord,
  Language,
  LANGUAGES,
  isSpecialIntent,
  PhoneLine,
  phoneLineSchema,
  recordSchema,
} from './schema';

/** Where the shipped knowledge lives. */
export const KNOWLEDGE_DIR = path.join(PROJECT_ROOT, 'knowledge');

/** A load problem, naming the file, the record and the field so the data can be fixed. */
export class KnowledgeLoadError extends Error {
  constructor(
    readonly file: string,
    readonly record: string | null,
    readonly field: string | null,
    problem: string,
  ) {
    super(
      `Knowledge base: ${file}${record ? `, record "${record}"` : ''}${field ? `, field "${field}"` : ''}: ${problem}`,
    );
    this.name = 'KnowledgeLoadError';
  }
}

export type Corpus = Record<Language, Map<string, string[]>>;

export interface KnowledgeBase {
  readonly records: readonly KnowledgeRecord[];
  readonly byId: ReadonlyMap<string, KnowledgeRecord>;
  readonly corpus: Corpus;
  /** Phone lines by id (knowledge/contacts). */
  readonly lines: ReadonlyMap<string, PhoneLine>;
  /** Hash of every data and corpus file: the trained model is keyed by it. */
  readonly version: string;
}

/** A JSON file's text and value; a file that cannot be read or parsed stops the load naming it. */
export function readJsonFile(file: string): { raw: string; json: unknown } {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new KnowledgeLoadError(file, null, null, `cannot be read (${(err as Error).message})`);
  }
  try {
    return { raw, json: JSON.parse(raw) };
  } catch (err) {
    throw new KnowledgeLoadError(file, null, null, `is not valid JSON (${(err as Error).message})`);
  }
}

/**
 * The load error for a schema problem in a `{ "<list>": [ … ] }` file: the item is named by its id
 * when the problem is inside one, the field by its path within the item.
 */
export function schemaError(
  file: string,
  json: unknown,
  list: string,
  issue: z.ZodIssue,
): KnowledgeLoadError {
  const [top, index, ...field] = issue.path;
  if (top !== list || typeof index !== 'number')
    return new KnowledgeLoadError(file, null, issue.path.join('.') || null, issue.message);
  const items = (json as Record<string, Array<{ id?: unknown }> | undefined>)[list];
  return new KnowledgeLoadError(
    file,
    String(items?.[index]?.id ?? `#${index + 1}`),
    field.join('.') || null,
    issue.message,
  );
}

/** The ids of a file's items, which must be unique: a repeated one stops the load naming it. */
export function uniqueIds(file: string, items: ReadonlyArray<{ id: string }>): Set<string> {
  const ids = new Set<string>();
  for (const { id } of items) {
    if (ids.has(id)) throw new KnowledgeLoadError(file, id, 'id', 'duplicate id');
    ids.add(id);
  }
  return ids;
}

function readJson(file: string, hash: crypto.Hash): unknown {
  const { raw, json } = readJsonFile(file);
  hash.update(path.basename(file)).update(raw);
  return json;
}

function jsonFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) throw new KnowledgeLoadError(dir, null, null, 'folder is missing');
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  if (files.length === 0) throw new KnowledgeLoadError(dir, null, null, 'holds no .json file');
  return files.map((f) => path.join(dir, f));
}

/**
 * Every item of every JSON file of a folder, validated: `{ "<key>": [ … ] }` files whose items each
 * have a unique id across the folder. The first problem stops the load naming file, item and field.
 */
function loadItems<T extends { id: string }>(
  dir: string,
  key: string,
  itemSchema: z.ZodType<T, z.ZodTypeDef, unknown>,
  hash: crypto.Hash,
): { items: T[]; fileOf: Map<string, string> } {
  const items: T[] = [];
  const fileOf = new Map<string, string>();
  const fileSchema = z.object({ [key]: z.array(z.unknown()) }).strict();
  for (const file of jsonFiles(dir)) {
    const parsedFile = fileSchema.safeParse(readJson(file, hash));
    if (!parsedFile.success)
      throw new KnowledgeLoadError(file, null, key, `the file must be { "${key}": [ … ] }`);
    (parsedFile.data[key] as unknown[]).forEach((raw, index) => {
      const label = (raw as { id?: unknown })?.id;
      const parsed = itemSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new KnowledgeLoadError(
          file,
          typeof label === 'string' ? label : `#${index + 1}`,
          issue.path.join('.') || null,
          issue.message,
        );
      }
      const { id } = parsed.data;
      if (fileOf.has(id))
        throw new KnowledgeLoadError(file, id, 'id', `duplicate id (also in ${fileOf.get(id)})`);
      fileOf.set(id, file);
      items.push(parsed.data);
    });
  }
  return { items, fileOf };
}

function checkReferences(
  records: KnowledgeRecord[],
  fileOf: Map<string, string>,
  lines: Map<string, PhoneLine>,
): void {
  const byId = new Map(records.map((r) => [r.id, r]));
  for (const r of records) {
    const file = fileOf.get(r.id) as string;
    r.contacts.forEach((ref, i) => {
      if (!lines.has(ref))
        throw new KnowledgeLoadError(
          file,
          r.id,
          `contacts.${i}`,
          `names unknown phone line "${ref}"`,
        );
    });
    if (new Set(r.contacts).size !== r.contacts.length)
      throw new KnowledgeLoadError(file, r.id, 'contacts', 'names a phone line twice');
    if (r.kind === 'service' && r.jurisdiction !== 'municipal' && r.contacts.length === 0) {
      throw new KnowledgeLoadError(
        file,
        r.id,
        'contacts',
        'a federal or provincial service needs at least one phone line',
      );
    }
    r.related.forEach((ref, i) => {
      if (!byId.has(ref))
        throw new KnowledgeLoadError(file, r.id, `related.${i}`, `names unknown record "${ref}"`);
    });
    if (r.kind === 'bundle') {
      r.steps.forEach((step, i) => {
        const target = byId.get(step.service);
        if (!target)
          throw new KnowledgeLoadError(
            file,
            r.id,
            `steps.${i}.service`,
            `names unknown service "${step.service}"`,
          );
        if (target.kind !== 'service')
          throw new KnowledgeLoadError(
            file,
            r.id,
            `steps.${i}.service`,
            `"${step.service}" is a bundle, not a service`,
          );
      });
    }
  }
}

function loadCorpus(dir: string, byId: Map<string, KnowledgeRecord>, hash: crypto.Hash): Corpus {
  const corpus = {} as Corpus;
  for (const lang of LANGUAGES) {
    const intents = new Map<string, string[]>();
    const intentOf = new Map<string, string>();
    for (const file of jsonFiles(path.join(dir, lang))) {
      const parsed = corpusFileSchema.safeParse(readJson(file, hash));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new KnowledgeLoadError(
          file,
          String(issue.path[0] ?? ''),
          null,
          `corpus entries must be lists of utterances (${issue.message})`,
        );
      }
      for (const [intent, utterances] of Object.entries(parsed.data)) {
        if (!isSpecialIntent(intent) && !byId.has(intent))
          throw new KnowledgeLoadError(
            file,
            intent,
            null,
            'corpus intent names no knowledge record',
          );
        for (const u of utterances) {
          // The same words taught as two different answers is a contradiction the model cannot learn.
          const key = foldedPhrase(u);
          const other = intentOf.get(key);
          if (other !== undefined && other !== intent)
            throw new KnowledgeLoadError(
              file,
              intent,
              null,
              `the utterance "${u}" is also an example of "${other}"`,
            );
          intentOf.set(key, intent);
        }
        intents.set(intent, [...(intents.get(intent) ?? []), ...utterances]);
      }
    }
    corpus[lang] = intents;
  }
  const [a, b] = LANGUAGES;
  for (const intent of new Set([...corpus[a].keys(), ...corpus[b].keys()])) {
    const missing = LANGUAGES.find((l) => !corpus[l].has(intent));
    if (missing)
      throw new KnowledgeLoadError(
        path.join(dir, missing),
        intent,
        null,
        `intent has no ${missing} utterances`,
      );
  }
  return corpus;
}

/** The folders whose files make the knowledge base, in the order its version hashes them. */
const VERSIONED_FOLDERS = ['contacts', 'data', ...LANGUAGES.map((l) => path.join('corpus', l))];

/**
 * The version `loadKnowledge` gives, from the files alone (nothing parsed or checked): what the
 * cluster's primary reads to know whether the NLU model for this knowledge is already saved.
 */
export function knowledgeVersion(root: string = KNOWLEDGE_DIR): string {
  const hash = crypto.createHash('sha256');
  for (const folder of VERSIONED_FOLDERS)
    for (const file of jsonFiles(path.join(root, folder)))
      hash.update(path.basename(file)).update(fs.readFileSync(file, 'utf8'));
  return hash.digest('hex').slice(0, 16);
}

/**
 * Loads, validates and cross-checks the whole knowledge base. Any problem stops the load with a
 * `KnowledgeLoadError`: there is never a half-loaded knowledge base.
 */
export function loadKnowledge(root: string = KNOWLEDGE_DIR): KnowledgeBase {
  const hash = crypto.createHash('sha256');
  const lines = new Map(
    loadItems(path.join(root, 'contacts'), 'lines', phoneLineSchema, hash).items.map((l) => [
      l.id,
      l,
    ]),
  );
  const { items: records, fileOf } = loadItems<KnowledgeRecord>(
    path.join(root, 'data'),
    'records',
    recordSchema,
    hash,
  );
  checkReferences(records, fileOf, lines);
  const byId = new Map(records.map((r) => [r.id, r]));
  const corpus = loadCorpus(path.join(root, 'corpus'), byId, hash);
  return { records, byId, corpus, lines, version: hash.digest('hex').slice(0, 16) };
}
