import { z } from 'zod';

/** The two official languages. Every person-facing text exists in both. */
import { Language, LANGUAGES } from '../lib/vocabulary';

export { LANGUAGES };
export type { Language };

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
export const httpsUrl = z
  .string()
  .url('must be an absolute URL')
  .refine((u) => u.startsWith('https://'), 'must use https');

/** A text in both official languages. */
export const bilingual = z
  .object({ en: text, fr: text }, { required_error: 'must have en and fr' })
  .strict();
const bilingualList = z
  .object({
    en: z.array(text).min(1, 'must list at least one item'),
    fr: z.array(text).min(1, 'must list at least one item'),
  })
  .strict();
const bilingualUrl = z.object({ en: httpsUrl, fr: httpsUrl }).strict();
const id = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a kebab-case id');

const link = z.object({ label: bilingual, url: bilingualUrl }).strict();

/** The day a fact was last checked against its source (YYYY-MM-DD). */
export const checkedDate = z
  .string()
  .regex(/^20\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a date written YYYY-MM-DD');

/**
 * A phone number as dialled in Ontario: 811, 310-2222 (a province-wide 310 number, no area code),
 * 1-800-622-6232 or 416-314-5518, optionally with an extension.
 */
export const phoneNumber = z
  .string()
  .regex(
    /^(\d{3}|310-\d{4}|1-\d{3}-\d{3}-\d{4}|\d{3}-\d{3}-\d{4})( ext\. \d{1,5})?$/,
    'must be written 811, 310-2222, 1-800-555-0199 or 416-555-0199',
  );

/**
 * A phone line people can call: the number, a separate French line where one exists, TTY, the
 * number from outside Canada, and when someone answers. Records name the lines they point to.
 */
export const phoneLineSchema = z
  .object({
    id,
    /** Whose line and for what ("Employment Insurance enquiries"). */
    name: bilingual,
    phone: phoneNumber,
    /** Where French callers have their own number. */
    phoneFr: phoneNumber.optional(),
    tty: phoneNumber.optional(),
    outsideCanada: phoneNumber.optional(),
    /** When an agent answers (time zone named), or "24 hours a day, 7 days a week". */
    hours: bilingual,
    /** Anything a caller must know: which option to choose, what to have ready. */
    note: bilingual.optional(),
    source: httpsUrl,
    checked: checkedDate,
  })
  .strict();
export type PhoneLine = z.infer<typeof phoneLineSchema>;

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
  /** When those facts were last checked against the source. */
  checked: checkedDate,
  /**
   * Phone lines (ids of knowledge/contacts lines), the most useful first. Municipal services may
   * have none: their line is the person's municipality's.
   */
  contacts: z.array(id),
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

export type ServiceRecord = z.infer<typeof serviceSchema>;
export type BundleRecord = z.infer<typeof bundleSchema>;
export type KnowledgeRecord = ServiceRecord | BundleRecord;
export type Bilingual = z.infer<typeof bilingual>;

/** Per-locale NLU corpus file: intent id to example utterances. */
export const corpusFileSchema = z.record(id, z.array(text).min(1));
/** The intent that stands for "not a government-services question". */
export const OUT_OF_SCOPE_INTENT = 'out-of-scope';

/**
 * Intents for government questions outside the catalogue, by the government they belong to: the
 * model learns where the catalogue ends, so such questions get "not sure, ask this government"
 * instead of the nearest unrelated record.
 */
export const OUTSIDE_INTENTS = {
  federal: 'outside-federal',
  provincial: 'outside-provincial',
  municipal: 'outside-municipal',
} as const;
export type OutsideJurisdiction = keyof typeof OUTSIDE_INTENTS;

/** The government an outside intent stands for, or null for a record (or out of scope). */
export function outsideJurisdiction(intent: string): OutsideJurisdiction | null {
  for (const [j, name] of Object.entries(OUTSIDE_INTENTS))
    if (name === intent) return j as OutsideJurisdiction;
  return null;
}

/** Corpus intents that name no record. */
export function isSpecialIntent(intent: string): boolean {
  return intent === OUT_OF_SCOPE_INTENT || outsideJurisdiction(intent) !== null;
}
