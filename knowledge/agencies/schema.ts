import { z } from 'zod';
import { bilingual, checkedDate, httpsUrl, phoneNumber } from '../schema';

const keywordList = z.array(z.string().trim().min(1, 'must not be empty')).min(1);

/**
 * A government body people contact (an agency, regulator, tribunal, ombudsman, Crown corporation or
 * program office) that no curated record covers: named with what it handles, its page and its line.
 * Less detailed than a record; answers show it when they are not sure of a record.
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
