import { z } from 'zod';
import { bilingual, checkedDate } from '../schema';

const url = z.string().url('must be an absolute URL');

/**
 * One federal service of the Government of Canada Service Inventory, as the project states it:
 * less detailed than a curated record (no answer, no phone line), used for the questions the
 * curated catalogue does not cover.
 */
export const inventoryServiceSchema = z
  .object({
    /** `gc-` and the inventory's service id. */
    id: z.string().regex(/^gc-\d+$/, 'must be gc- followed by the inventory service id'),
    name: bilingual,
    department: bilingual,
    /** The service's page as the inventory lists it; null when it lists none. */
    url: z.object({ en: url, fr: url }).strict().nullable(),
    /** How the service is delivered: online, telephone, in person, mail, e-mail, fax, other. */
    channels: z.array(
      z.enum(['online', 'telephone', 'in-person', 'mail', 'email', 'fax', 'other']),
    ),
  })
  .strict();

export const inventoryFileSchema = z
  .object({
    source: z.string().min(1),
    sourceUrl: z.string().url(),
    /** The inventory's reporting year: its facts are as of then. */
    asOf: z.string().min(4),
    refreshed: checkedDate,
    services: z.array(inventoryServiceSchema),
  })
  .strict();

export type InventoryService = z.infer<typeof inventoryServiceSchema>;
export type InventoryFile = z.infer<typeof inventoryFileSchema>;

/** Words people use for inventory services, written for this project (the inventory's names are terse). */
export const inventoryKeywordsFileSchema = z
  .object({
    note: z.string().optional(),
    services: z.record(
      z.string().regex(/^gc-\d+$/, 'must be gc- followed by the inventory service id'),
      z
        .object({ en: z.array(z.string().trim().min(2)), fr: z.array(z.string().trim().min(2)) })
        .strict(),
    ),
  })
  .strict();
export type InventoryKeywords = z.infer<typeof inventoryKeywordsFileSchema>['services'];
