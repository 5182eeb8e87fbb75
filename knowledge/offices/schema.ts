import { z } from 'zod';
import { ORGANIZATIONS } from '../../lib/vocabulary';
import { LANGUAGES, OFFICE_TYPES } from '../schema';

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const HOLIDAY_CALENDARS = ['ontario', 'federal'] as const;
export type HolidayCalendar = (typeof HOLIDAY_CALENDARS)[number];

const text = z.string().trim().min(1, 'must not be empty');

/**
 * How an office's point was found: its street address, its full postal code (a block in a town, the
 * whole place in a rural area), its postal area (FSA), a neighbourhood, its town, or its community.
 */
export const PLACEMENTS = [
  'address',
  'postal-code',
  'postal-area',
  'neighbourhood',
  'town',
  'community',
] as const;
export type Placement = (typeof PLACEMENTS)[number];
const id = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a kebab-case id');
/** Every fact names where it comes from: a source id, optionally with `#key` (the row in that source). */
export const sourceRef = z
  .string()
  .regex(/^[a-z0-9-]+(#.+)?$/, 'must be a source id, optionally followed by #key');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:MM');
const interval = z.tuple([hhmm, hhmm]).refine(([a, b]) => a < b, 'must open before it closes');
export const weeklyHoursSchema = z
  .object(
    Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(interval).optional()])) as Record<
      Weekday,
      z.ZodOptional<z.ZodArray<typeof interval>>
    >,
  )
  .strict();
export type WeeklyHours = z.infer<typeof weeklyHoursSchema>;

const sourced = <T extends z.ZodTypeAny>(value: T) =>
  z.object({ value, source: sourceRef }).strict();

export const sourceSchema = z
  .object({ id, description: text, url: z.string().url(), licence: text })
  .strict();
export const sourcesFileSchema = z.object({ sources: z.array(sourceSchema).min(1) }).strict();

export const officeTypeSchema = z
  .object({
    type: z.enum(OFFICE_TYPES),
    organization: z.enum(ORGANIZATIONS),
    name: z.object({ en: text, fr: text }).strict(),
    /** null: no weekly hours (outreach sites open only during scheduled visits). */
    hours: sourced(weeklyHoursSchema.nullable()),
    holidays: sourced(z.enum(HOLIDAY_CALENDARS)),
    typicalWaitMinutes: sourced(z.number().int().min(0).max(1440)),
  })
  .strict();
export const officeTypesFileSchema = z.object({ types: z.array(z.unknown()) }).strict();

export const officeSchema = z
  .object({
    id,
    organization: z.enum(ORGANIZATIONS),
    type: z.enum(OFFICE_TYPES),
    /** Finer kind within the type, e.g. a Service Canada Centre consolidated with a passport office. */
    category: z.enum(['consolidated']).optional(),
    name: z.object({ en: text, fr: text, source: sourceRef }).strict(),
    address: z
      .object({
        street: text,
        /** The building or mall the office is in ("Federal Building"). */
        building: text.optional(),
        postalCode: z
          .string()
          .regex(/^[KLMNP]\d[A-Z] \d[A-Z]\d$/, 'must be an Ontario postal code (K1A 0B1)')
          .optional(),
        town: text,
        townFr: text,
        source: sourceRef,
      })
      .strict(),
    location: z
      .object({
        lat: z.number().min(41.5).max(57),
        lon: z.number().min(-95.2).max(-74.3),
        /** True when the point stands for an area (a town, a postal area) rather than the office's own place. */
        approximate: z.boolean(),
        placement: z.enum(PLACEMENTS),
        place: text,
        source: sourceRef,
      })
      .strict()
      .refine(
        (l) => l.placement === 'postal-code' || l.approximate === (l.placement !== 'address'),
        {
          message: 'an address point is exact; a town, area or community point is approximate',
          path: ['approximate'],
        },
      ),
    /** Something to know before going ("by appointment only: call first"). */
    notice: z.object({ en: text, fr: text, source: sourceRef }).strict().optional(),
    /** A closure with no known end, stated by the office's own listing. */
    closedSince: z
      .object({
        date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        reason: z.object({ en: text, fr: text }).strict(),
        source: sourceRef,
      })
      .strict()
      .optional(),
    languages: sourced(z.array(z.enum(LANGUAGES)).min(1)).optional(),
    /** Per-office exceptions to the services the office type delivers (catalogue ids). */
    services: z
      .object({ add: z.array(id).default([]), remove: z.array(id).default([]), source: sourceRef })
      .strict()
      .optional(),
    /** Replaces the type's weekly hours for this office. */
    hours: sourced(weeklyHoursSchema).optional(),
    /** Offices in the same building (the partner's, or a land registry office beside a centre). */
    colocatedWith: sourced(z.array(id).min(1)).optional(),
    accessibility: z.object({ en: text, fr: text, source: sourceRef }).strict().optional(),
    url: z
      .object({ en: z.string().url(), fr: z.string().url(), source: sourceRef })
      .strict()
      .optional(),
  })
  .strict();
export const officesFileSchema = z
  .object({ generatedBy: text.optional(), offices: z.array(z.unknown()) })
  .strict();

/** A service only some offices of its types deliver in person (see select-services.json). */
export const selectServiceSchema = z
  .object({
    service: id,
    /** The only offices that deliver it in person; null when the sources do not say which. */
    offices: z.array(id).min(1).nullable(),
    note: z.object({ en: text, fr: text }).strict(),
    source: sourceRef,
  })
  .strict();
export const selectServicesFileSchema = z
  .object({ note: text, services: z.array(selectServiceSchema) })
  .strict();
export type SelectService = z.infer<typeof selectServiceSchema>;

export const frenchPlacesFileSchema = z
  .object({ note: text, places: z.record(text, text) })
  .strict();

export type OfficeRecord = z.infer<typeof officeSchema>;
export type OfficeTypeRecord = z.infer<typeof officeTypeSchema>;
export type SourceRecord = z.infer<typeof sourceSchema>;
