import { z } from 'zod';
import { bilingual, checkedDate, httpsUrl, phoneNumber } from '../schema';

const keywordList = z.array(z.string().trim().min(1, 'must not be empty')).min(1);

/**
 * A government body people contact (an agency, regulator, tribunal, ombudsman, Crown corporation or
 * program office): named with what it handles, its page and its line. Less detailed than a record;
 * answers show it when they are not sure of a record. Where curated records answer part (or all) of
 * what it handles, it names them in `records` and gives way to them.
 */
export const governmentBodySchema = z
  .object({
    /** `on-` for an Ontario body, `ca-` for a federal one. */
    id: z.string().regex(/^(on|ca)-[a-z0-9]+(-[a-z0-9]+)*$/, 'must be on- or ca- and kebab-case'),
    jurisdiction: z.enum(['provincial', 'federal']),
    name: bilingual,
    /** What people contact it for, in one sentence. */
    about: bilingual,
    url: z.object({ en: httpsUrl, fr: httpsUrl }).strict(),
    phone: phoneNumber.nullable(),
    hours: bilingual.nullable(),
    /** The words people use for what it does. */
    keywords: z.object({ en: keywordList, fr: keywordList }).strict(),
    /**
     * The curated records that answer some of its questions in full (ids of knowledge/data records):
     * a question naming the body that the model is sure is one of them is answered by the record,
     * and their names and keywords are not taught as questions outside the catalogue.
     */
    records: z
      .array(z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a kebab-case record id'))
      .min(1, 'must name at least one record, or be left out')
      .refine((ids) => new Set(ids).size === ids.length, 'names a record twice')
      .optional(),
    source: httpsUrl,
    checked: checkedDate,
  })
  .strict()
  .refine((b) => b.id.startsWith(b.jurisdiction === 'federal' ? 'ca-' : 'on-'), {
    message: 'an Ontario body is on-…, a federal one ca-…',
    path: ['id'],
  });

export const bodiesFileSchema = z
  .object({ source: httpsUrl, bodies: z.array(governmentBodySchema) })
  .strict();

export type GovernmentBody = z.infer<typeof governmentBodySchema>;
