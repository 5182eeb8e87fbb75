import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { KNOWLEDGE_DIR } from '../load';
import type { KnowledgeRecord } from '../schema';
import {
  frenchPlacesFileSchema,
  officeSchema,
  officesFileSchema,
  officeTypeSchema,
  officeTypesFileSchema,
  OfficeRecord,
  OfficeTypeRecord,
  SourceRecord,
  selectServicesFileSchema,
  SelectService,
  sourcesFileSchema,
} from './schema';
import { inOntario } from '../geography/ontario';

export const OFFICES_DATA_DIR = path.join(KNOWLEDGE_DIR, 'offices', 'data');
/** Files in the data folder that are not office lists. */
const SPECIAL_FILES = new Set([
  'sources.json',
  'office-types.json',
  'places-fr.json',
  'select-services.json',
]);

/** A registry load problem, naming the file, the record and the field so the data can be fixed. */
export class OfficeLoadError extends Error {
  constructor(
    readonly file: string,
    readonly record: string | null,
    readonly field: string | null,
    problem: string,
  ) {
    super(
      `Office registry: ${file}${record ? `, record "${record}"` : ''}${field ? `, field "${field}"` : ''}: ${problem}`,
    );
    this.name = 'OfficeLoadError';
  }
}

export interface OfficeRegistryData {
  offices: OfficeRecord[];
  types: OfficeTypeRecord[];
  sources: SourceRecord[];
  /** French place name → English place name. */
  frenchPlaces: Record<string, string>;
  /** Services only some offices of a type deliver in person. */
  selectServices: SelectService[];
}

function readJson(file: string): unknown {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new OfficeLoadError(file, null, null, `cannot be read (${(err as Error).message})`);
  }
  try {
    return JSON.parse(raw);
  } catch (err) {
    throw new OfficeLoadError(file, null, null, `is not valid JSON (${(err as Error).message})`);
  }
}

function parseFile<T>(file: string, schema: z.ZodType<T, z.ZodTypeDef, unknown>): T {
  const parsed = schema.safeParse(readJson(file));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new OfficeLoadError(file, null, issue.path.join('.') || null, issue.message);
  }
  return parsed.data;
}

function parseRecords<T>(
  file: string,
  list: unknown[],
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  label: (raw: unknown) => unknown,
): T[] {
  return list.map((raw, index) => {
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const name = label(raw);
    const issue = parsed.error.issues[0];
    throw new OfficeLoadError(
      file,
      typeof name === 'string' ? name : `#${index + 1}`,
      issue.path.join('.') || null,
      issue.message,
    );
  });
}

const sourceIdOf = (ref: string) => ref.split('#')[0];

/** Every `source` field anywhere in a record, with its path. */
function sourceFields(value: unknown, at: string[] = []): { path: string; ref: string }[] {
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) =>
    k === 'source' && typeof v === 'string'
      ? [{ path: [...at, k].join('.'), ref: v }]
      : sourceFields(v, [...at, k]),
  );
}

function crossCheck(
  offices: { file: string; office: OfficeRecord }[],
  types: OfficeTypeRecord[],
  sources: Set<string>,
  services: Map<string, KnowledgeRecord>,
  typesFile: string,
  select: { file: string; entries: SelectService[] },
): void {
  const byId = new Map<string, string>();
  const typeOf = new Map(types.map((t) => [t.type, t]));
  for (const t of types) {
    for (const f of sourceFields(t))
      if (!sources.has(sourceIdOf(f.ref)))
        throw new OfficeLoadError(typesFile, t.type, f.path, `names unknown source "${f.ref}"`);
  }
  for (const { file, office } of offices) {
    if (byId.has(office.id))
      throw new OfficeLoadError(
        file,
        office.id,
        'id',
        `duplicate id (also in ${byId.get(office.id)})`,
      );
    byId.set(office.id, file);
    const type = typeOf.get(office.type);
    if (!type)
      throw new OfficeLoadError(
        file,
        office.id,
        'type',
        `office type "${office.type}" is not described in office-types.json`,
      );
    if (type.organization !== office.organization)
      throw new OfficeLoadError(
        file,
        office.id,
        'organization',
        `a ${office.type} office belongs to ${type.organization}`,
      );
    for (const f of sourceFields(office))
      if (!sources.has(sourceIdOf(f.ref)))
        throw new OfficeLoadError(file, office.id, f.path, `names unknown source "${f.ref}"`);
    if (!inOntario(office.location))
      throw new OfficeLoadError(
        file,
        office.id,
        'location',
        `point ${office.location.lat}, ${office.location.lon} is outside Ontario`,
      );
    for (const key of ['add', 'remove'] as const) {
      office.services?.[key].forEach((sid, i) => {
        const record = services.get(sid);
        if (!record || record.kind !== 'service')
          throw new OfficeLoadError(
            file,
            office.id,
            `services.${key}.${i}`,
            `names unknown service "${sid}"`,
          );
      });
    }
  }
  for (const { file, office } of offices) {
    office.colocatedWith?.value.forEach((other, i) => {
      if (!byId.has(other))
        throw new OfficeLoadError(
          file,
          office.id,
          `colocatedWith.value.${i}`,
          `names unknown office "${other}"`,
        );
    });
  }
  const seen = new Set<string>();
  for (const entry of select.entries) {
    const record = services.get(entry.service);
    if (!record || record.kind !== 'service')
      throw new OfficeLoadError(
        select.file,
        entry.service,
        'service',
        `names unknown service "${entry.service}"`,
      );
    if (seen.has(entry.service))
      throw new OfficeLoadError(select.file, entry.service, 'service', 'is listed twice');
    seen.add(entry.service);
    if (!sources.has(sourceIdOf(entry.source)))
      throw new OfficeLoadError(
        select.file,
        entry.service,
        'source',
        `names unknown source "${entry.source}"`,
      );
    entry.offices?.forEach((id, i) => {
      if (!byId.has(id))
        throw new OfficeLoadError(
          select.file,
          entry.service,
          `offices.${i}`,
          `names unknown office "${id}"`,
        );
    });
  }
}

/**
 * Loads and validates the office registry (the data files in knowledge/offices/data). Any problem
 * stops the load with an `OfficeLoadError` naming the file, the record and the field.
 */
export function loadOfficeRegistryData(
  services: Map<string, KnowledgeRecord>,
  dir: string = OFFICES_DATA_DIR,
): OfficeRegistryData {
  const sourcesFile = path.join(dir, 'sources.json');
  const typesFile = path.join(dir, 'office-types.json');
  const sources = parseFile(sourcesFile, sourcesFileSchema).sources;
  const typeList = parseFile(typesFile, officeTypesFileSchema).types;
  const types = parseRecords(
    typesFile,
    typeList,
    officeTypeSchema,
    (r) => (r as { type?: unknown })?.type,
  );
  const frenchPlaces = parseFile(path.join(dir, 'places-fr.json'), frenchPlacesFileSchema).places;
  const selectFile = path.join(dir, 'select-services.json');
  const selectServices = fs.existsSync(selectFile)
    ? parseFile(selectFile, selectServicesFileSchema).services
    : [];
  if (!fs.existsSync(dir)) throw new OfficeLoadError(dir, null, null, 'folder is missing');
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !SPECIAL_FILES.has(f))
    .sort();
  if (files.length === 0) throw new OfficeLoadError(dir, null, null, 'holds no office file');
  const offices: { file: string; office: OfficeRecord }[] = [];
  for (const name of files) {
    const file = path.join(dir, name);
    const list = parseFile(file, officesFileSchema).offices;
    for (const office of parseRecords(file, list, officeSchema, (r) => (r as { id?: unknown })?.id))
      offices.push({ file, office });
  }
  crossCheck(offices, types, new Set(sources.map((s) => s.id)), services, typesFile, {
    file: selectFile,
    entries: selectServices,
  });
  return { offices: offices.map((o) => o.office), types, sources, frenchPlaces, selectServices };
}
