import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../lib/paths';
import { tokenize } from './nlu/text';
import {
  corpusFileSchema,
  KnowledgeRecord,
  Language,
  LANGUAGES,
  isSpecialIntent,
  PhoneLine,
  phoneLineFileSchema,
  phoneLineSchema,
  recordFileSchema,
  recordSchema,
} from './schema';

/** Where the shipped knowledge lives. */
export const KNOWLEDGE_DIR = path.join(PROJECT_ROOT, 'knowledge');

/** A load problem, naming the file, the record and the field so the data can be fixed. */
export class KnowledgeLoadError extends Error {
  constructor(readonly file: string, readonly record: string | null, readonly field: string | null, problem: string) {
    super(`Knowledge base: ${file}${record ? `, record "${record}"` : ''}${field ? `, field "${field}"` : ''}: ${problem}`);
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

function readJson(file: string, hash: crypto.Hash): unknown {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new KnowledgeLoadError(file, null, null, `cannot be read (${(err as Error).message})`);
  }
  hash.update(path.basename(file)).update(raw);
  try {
    return JSON.parse(raw);
  } catch (err) {
    throw new KnowledgeLoadError(file, null, null, `is not valid JSON (${(err as Error).message})`);
  }
}

function jsonFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) throw new KnowledgeLoadError(dir, null, null, 'folder is missing');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) throw new KnowledgeLoadError(dir, null, null, 'holds no .json file');
  return files.map((f) => path.join(dir, f));
}

function loadRecords(dir: string, hash: crypto.Hash): { records: KnowledgeRecord[]; fileOf: Map<string, string> } {
  const records: KnowledgeRecord[] = [];
  const fileOf = new Map<string, string>();
  for (const file of jsonFiles(dir)) {
    const parsedFile = recordFileSchema.safeParse(readJson(file, hash));
    if (!parsedFile.success) throw new KnowledgeLoadError(file, null, 'records', 'the file must be { "records": [ … ] }');
    parsedFile.data.records.forEach((raw, index) => {
      const label = (raw as { id?: unknown })?.id;
      const name = typeof label === 'string' ? label : `#${index + 1}`;
      const parsed = recordSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new KnowledgeLoadError(file, name, issue.path.join('.') || null, issue.message);
      }
      if (fileOf.has(parsed.data.id)) {
        throw new KnowledgeLoadError(file, parsed.data.id, 'id', `duplicate id (also in ${fileOf.get(parsed.data.id)})`);
      }
      fileOf.set(parsed.data.id, file);
      records.push(parsed.data);
    });
  }
  return { records, fileOf };
}

function loadLines(dir: string, hash: crypto.Hash): Map<string, PhoneLine> {
  const lines = new Map<string, PhoneLine>();
  const fileOf = new Map<string, string>();
  for (const file of jsonFiles(dir)) {
    const parsedFile = phoneLineFileSchema.safeParse(readJson(file, hash));
    if (!parsedFile.success) throw new KnowledgeLoadError(file, null, 'lines', 'the file must be { "lines": [ … ] }');
    parsedFile.data.lines.forEach((raw, index) => {
      const label = (raw as { id?: unknown })?.id;
      const parsed = phoneLineSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new KnowledgeLoadError(file, typeof label === 'string' ? label : `#${index + 1}`, issue.path.join('.') || null, issue.message);
      }
      const line = parsed.data;
      if (lines.has(line.id)) throw new KnowledgeLoadError(file, line.id, 'id', `duplicate phone line id (also in ${fileOf.get(line.id)})`);
      lines.set(line.id, line);
      fileOf.set(line.id, file);
    });
  }
  return lines;
}

function checkReferences(records: KnowledgeRecord[], fileOf: Map<string, string>, lines: Map<string, PhoneLine>): void {
  const byId = new Map(records.map((r) => [r.id, r]));
  for (const r of records) {
    const file = fileOf.get(r.id) as string;
    r.contacts.forEach((ref, i) => {
      if (!lines.has(ref)) throw new KnowledgeLoadError(file, r.id, `contacts.${i}`, `names unknown phone line "${ref}"`);
    });
    if (new Set(r.contacts).size !== r.contacts.length) throw new KnowledgeLoadError(file, r.id, 'contacts', 'names a phone line twice');
    if (r.kind === 'service' && r.jurisdiction !== 'municipal' && r.contacts.length === 0) {
      throw new KnowledgeLoadError(file, r.id, 'contacts', 'a federal or provincial service needs at least one phone line');
    }
    r.related.forEach((ref, i) => {
      if (!byId.has(ref)) throw new KnowledgeLoadError(file, r.id, `related.${i}`, `names unknown record "${ref}"`);
    });
    if (r.kind === 'bundle') {
      r.steps.forEach((step, i) => {
        const target = byId.get(step.service);
        if (!target) throw new KnowledgeLoadError(file, r.id, `steps.${i}.service`, `names unknown service "${step.service}"`);
        if (target.kind !== 'service') throw new KnowledgeLoadError(file, r.id, `steps.${i}.service`, `"${step.service}" is a bundle, not a service`);
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
        throw new KnowledgeLoadError(file, String(issue.path[0] ?? ''), null, `corpus entries must be lists of utterances (${issue.message})`);
      }
      for (const [intent, utterances] of Object.entries(parsed.data)) {
        if (!isSpecialIntent(intent) && !byId.has(intent)) throw new KnowledgeLoadError(file, intent, null, 'corpus intent names no knowledge record');
        for (const u of utterances) {
          // The same words taught as two different answers is a contradiction the model cannot learn.
          const key = tokenize(u).join(' ');
          const other = intentOf.get(key);
          if (other !== undefined && other !== intent) throw new KnowledgeLoadError(file, intent, null, `the utterance "${u}" is also an example of "${other}"`);
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
    if (missing) throw new KnowledgeLoadError(path.join(dir, missing), intent, null, `intent has no ${missing} utterances`);
  }
  return corpus;
}

/**
 * Loads, validates and cross-checks the whole knowledge base. Any problem stops the load with a
 * `KnowledgeLoadError`: there is never a half-loaded knowledge base.
 */
export function loadKnowledge(root: string = KNOWLEDGE_DIR): KnowledgeBase {
  const hash = crypto.createHash('sha256');
  const lines = loadLines(path.join(root, 'contacts'), hash);
  const { records, fileOf } = loadRecords(path.join(root, 'data'), hash);
  checkReferences(records, fileOf, lines);
  const byId = new Map(records.map((r) => [r.id, r]));
  const corpus = loadCorpus(path.join(root, 'corpus'), byId, hash);
  return { records, byId, corpus, lines, version: hash.digest('hex').slice(0, 16) };
}
