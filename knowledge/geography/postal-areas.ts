import path from 'node:path';
import { z } from 'zod';
import { KNOWLEDGE_DIR, KnowledgeLoadError, readJsonFile, schemaError } from '../load';
import { inOntario } from './ontario';

export const POSTAL_AREAS_FILE = path.join(KNOWLEDGE_DIR, 'geography', 'data', 'postal-areas.json');

/** How an area's point was decided from the three sources (see scripts/geography/generate-postal-areas.js). */
export const POSTAL_AREA_BASES = [
  'all-agree',
  'two-agree',
  'closest-pair',
  'single-source',
  'reviewed',
] as const;
export const POSTAL_AREA_SOURCES = ['geonames', 'statcan-2021', 'zipcodes'] as const;

const postalAreaSchema = z
  .object({
    fsa: z.string().regex(/^[KLMNP]\d[A-Z]$/, 'must be an Ontario forward sortation area (K1N)'),
    name: z.string().min(1).nullable(),
    rural: z.boolean(),
    lat: z.number(),
    lon: z.number(),
    basis: z.enum(POSTAL_AREA_BASES),
    sources: z.array(z.enum(POSTAL_AREA_SOURCES)).min(1),
    /** The farthest a kept source is from the point, in km. */
    spreadKm: z.number().min(0),
    note: z.string().min(1).optional(),
    source: z.string().regex(/^[a-z0-9-]+#[A-Z0-9]+$/, 'must be a source id followed by #FSA'),
  })
  .strict();
const fileSchema = z
  .object({
    generatedBy: z.string().min(1),
    checked: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    sources: z
      .array(
        z
          .object({
            id: z.string().min(1),
            description: z.string().min(1),
            url: z.string().url(),
            licence: z.string().min(1),
          })
          .strict(),
      )
      .min(1),
    areas: z.array(postalAreaSchema).min(1),
  })
  .strict();

export type PostalArea = z.infer<typeof postalAreaSchema>;

/**
 * Ontario's postal areas (the first three characters of a postal code) with a checked point each:
 * the sources that agree, averaged, with the hard cases decided by review. A malformed area, a
 * repeated one or a point outside Ontario stops the load, naming it.
 */
export class PostalAreas {
  private readonly byFsa = new Map<string, PostalArea>();
  readonly checked: string;

  constructor(file: string = POSTAL_AREAS_FILE) {
    const { json } = readJsonFile(file);
    const parsed = fileSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const [top, index, ...field] = issue.path;
      const fsa =
        top === 'areas' && typeof index === 'number'
          ? (json as { areas?: Array<{ fsa?: unknown }> }).areas?.[index]?.fsa
          : undefined;
      if (typeof fsa === 'string')
        throw new KnowledgeLoadError(file, fsa, field.join('.') || null, issue.message);
      throw schemaError(file, json, 'areas', issue);
    }
    const known = new Set(parsed.data.sources.map((s) => s.id));
    for (const area of parsed.data.areas) {
      if (this.byFsa.has(area.fsa))
        throw new KnowledgeLoadError(file, area.fsa, 'fsa', 'duplicate postal area');
      if (!known.has(area.source.split('#')[0]))
        throw new KnowledgeLoadError(
          file,
          area.fsa,
          'source',
          `names unknown source "${area.source}"`,
        );
      if (!inOntario(area))
        throw new KnowledgeLoadError(
          file,
          area.fsa,
          'lat',
          `point ${area.lat}, ${area.lon} is outside Ontario`,
        );
      this.byFsa.set(area.fsa, area);
    }
    this.checked = parsed.data.checked;
  }

  /** The area of a postal code or its first three characters ("K1N 5T5", "k1n"), if known. */
  get(code: string): PostalArea | undefined {
    return this.byFsa.get(code.trim().slice(0, 3).toUpperCase());
  }

  all(): IterableIterator<PostalArea> {
    return this.byFsa.values();
  }

  get size(): number {
    return this.byFsa.size;
  }
}

let shared: PostalAreas | null = null;

/** The postal areas of the project's data file, read once per process. */
export function postalAreas(): PostalAreas {
  shared ??= new PostalAreas();
  return shared;
}
