import { z } from 'zod';
import { bilingual, checkedDate, phoneNumber } from '../schema';

/** How to reach a municipality by phone: 311 where the city runs it, else its main line. */
export const municipalLineSchema = z
  .object({
    phone: phoneNumber,
    /** The number is 311 (only within the municipality); `phone` is then "311". */
    is311: z.boolean(),
    /** The line to dial from outside the municipality or from a cell phone that cannot reach 311. */
    fromOutside: phoneNumber.optional(),
    hours: bilingual.optional(),
    source: z.string().url(),
    checked: checkedDate,
  })
  .strict();

export const municipalitySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
    name: bilingual,
    website: z.string().url().nullable(),
    /** Single-tier (or separated) municipalities deliver every municipal service; lower-tier ones share them with their county or region. */
    tier: z.enum(['single', 'lower']),
    /** The census division: for a lower-tier municipality, its county, region or district. */
    area: z.string().min(1),
    population2021: z.number().int().nonnegative().nullable(),
    point: z
      .object({ lat: z.number().min(41).max(57), lon: z.number().min(-96).max(-74) })
      .strict(),
    /** Former municipalities and communities now part of it (Scarborough, Kanata, Stoney Creek). */
    communities: z.array(z.string().min(2)).optional(),
    /** Urban postal areas (first three characters) inside it. */
    fsas: z.array(z.string().regex(/^[KLMNP]\d[A-Z]$/)).optional(),
    line: municipalLineSchema.optional(),
  })
  .strict();

export const municipalitiesFileSchema = z
  .object({
    sources: z.record(z.string()),
    compiled: checkedDate,
    municipalities: z.array(municipalitySchema),
  })
  .strict();

export type Municipality = z.infer<typeof municipalitySchema>;
export type MunicipalLine = z.infer<typeof municipalLineSchema>;
