import { z } from 'zod';

/** The two official languages. Every person-facing text exists in both. */
export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];

export const JURISDICTIONS = ['federal', 'provincial', 'municipal', 'shared'] as const;
export type Jurisdiction = (typeof JURISDICTIONS)[number];

/**
 * Kinds of in-person office that can deliver a service. The office registry (offices issue)
 * assigns each office one of these types.
 */
export const OFFICE_TYPES = [
  'serviceontario',
  'service-canada',
  'passport',
  'service-canada-outreach',
  'drivetest',
  'land-registry',
  'municipal',
  'social-services',
] as const;
export type OfficeType = (typeof OFFICE_TYPES)[number];

const text = z.string().trim().min(1, 'must not be empty');
const httpsUrl = z
  .string()
  .url('must be an absolute URL')
  .refine((u) => u.startsWith('https://'), 'must use https');

/** A text in both official languages. */
export const bilingual = z.object({ en: text, fr: text }, { required_error: 'must have en and fr' }).strict();
const bilingualList = z
  .object({ en: z.array(text).min(1, 'must list at least one item'), fr: z.array(text).min(1, 'must list at least one item') })
  .strict();
const bilingualUrl = z.object({ en: httpsUrl, fr: httpsUrl }).strict();
const id = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a kebab-case id');

const link = z.object({ label: bilingual, url: bilingualUrl }).strict();

const common = {
  id,
  name: bilingual,
  /** Who the person actually deals with (may differ from who is responsible). */
  deliveredBy: bilingual,
  /** Two or three sentences: which government handles it and how to get it. */
  answer: bilingual,
  /** Official links, the primary online service first. */
  links: z.array(link),
  /** Words people use for it: abbreviations, synonyms, informal words. Used by search and NLU. */
  keywords: bilingualList,
  related: z.array(id).default([]),
  /** Where the facts in this record come from. */
  source: httpsUrl,
};

export const serviceSchema = z
  .object({
    ...common,
    kind: z.literal('service'),
    jurisdiction: z.enum(['federal', 'provincial', 'municipal']),
    /** True when the whole service can be done online (then the office finder shows the link first). */
    online: z.boolean(),
    bring: bilingualList,
    eligibility: bilingual,
    officeTypes: z.array(z.enum(OFFICE_TYPES)),
  })
  .strict();

export const bundleStepSchema = z
  .object({
    service: id,
    /** What to do at this step, in this life event. */
    note: bilingual,
  })
  .strict();

export const bundleSchema = z
  .object({
    ...common,
    kind: z.literal('bundle'),
    jurisdiction: z.literal('shared'),
    steps: z.array(bundleStepSchema).min(2, 'a bundle needs at least two steps'),
  })
  .strict();

export const recordSchema = z.discriminatedUnion('kind', [serviceSchema, bundleSchema]);
export const recordFileSchema = z.object({ records: z.array(z.unknown()) }).strict();

export type ServiceRecord = z.infer<typeof serviceSchema>;
export type BundleRecord = z.infer<typeof bundleSchema>;
export type KnowledgeRecord = ServiceRecord | BundleRecord;
export type Bilingual = z.infer<typeof bilingual>;

/** Per-locale NLU corpus file: intent id to example utterances. */
export const corpusFileSchema = z.record(id, z.array(text).min(1));
/** The intent that stands for "not a government-services question". */
export const OUT_OF_SCOPE_INTENT = 'out-of-scope';
