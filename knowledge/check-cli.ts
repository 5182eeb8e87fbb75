import { loadBodies } from './agencies/load';
import type { GovernmentBody } from './agencies/schema';
import { KnowledgeBase, KnowledgeLoadError, loadKnowledge } from './load';
import { foldedPhrase } from './nlu/text';
import { isSpecialIntent, Language, LANGUAGES } from './schema';

/** An intent taught with fewer examples than this is listed: the model will barely know it. */
export const FEW_EXAMPLES = 15;
/** Facts checked longer ago than this are listed for a new check. */
export const STALE_DAYS = 365;

export interface CatalogueReport {
  services: Record<'federal' | 'provincial' | 'municipal', number>;
  bundles: number;
  lines: number;
  /** Problems that must be fixed: two records with one name, a phone line nobody can reach. */
  errors: string[];
  /** Worth a look: thin corpora, stale facts, keywords several records claim, unused lines. */
  warnings: string[];
  /** Municipal services, answered with the person's municipality rather than a line of their own. */
  withoutPhone: string[];
  /** Government bodies of the directory. */
  bodies: number;
  /** Bodies whose phone number could not be confirmed: answers give their website only. */
  bodiesWithoutPhone: string[];
}

/** A page as links are compared: host without "www.", path without its trailing slash, lower case (no query). */
function pageOf(url: string): string {
  const u = new URL(url);
  return `${u.hostname.replace(/^www\./, '')}${u.pathname.replace(/\/+$/, '')}`.toLowerCase();
}

/**
 * Bodies that share a phone number or a page with a service record of their government they do not
 * name in `records`:
 * the same question would have two answers, the body's less detailed (errors). And bodies whose
 * phone is not a line of a record they name: the two answers give different numbers (warnings).
 */
export function bodyOverlaps(
  kb: KnowledgeBase,
  bodies: readonly GovernmentBody[],
): { errors: string[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  // A body overlaps its own government's services (a bundle's lines are its steps'): each
  // service's phones and pages, worked out once.
  const services = kb.records
    .filter((r) => r.kind === 'service')
    .map((r) => ({
      r,
      phones: new Set(
        r.contacts.flatMap((id) => {
          const line = kb.lines.get(id);
          return line ? [line.phone, ...(line.phoneFr ? [line.phoneFr] : [])] : [];
        }),
      ),
      pages: new Set(r.links.flatMap((l) => [l.url.en, l.url.fr]).map(pageOf)),
    }));
  for (const b of bodies) {
    const named = new Set(b.records ?? []);
    const pages = new Set([pageOf(b.url.en), pageOf(b.url.fr)]);
    for (const { r, phones, pages: recordPages } of services) {
      if (r.jurisdiction !== b.jurisdiction) continue;
      const shared = [
        ...(b.phone && phones.has(b.phone) ? [`its phone ${b.phone}`] : []),
        ...[...recordPages].filter((p) => pages.has(p)).map((p) => `its page ${p}`),
      ];
      if (shared.length > 0 && !named.has(r.id))
        errors.push(
          `body ${b.id}: shares ${shared.join(' and ')} with record ${r.id}, which it does not name in records`,
        );
      if (named.has(r.id) && b.phone && phones.size > 0 && !phones.has(b.phone))
        warnings.push(
          `body ${b.id}: its phone ${b.phone} is not a line of ${r.id}, which it names (${[...phones].join(', ')})`,
        );
    }
  }
  // Records a body names that the knowledge base does not hold stop the load (loadBodies).
  return { errors, warnings };
}

/** Duplicates, records without a phone or a recent check, and thin corpora: what `npm run kb:check` prints. */
export function checkCatalogue(
  kb: KnowledgeBase,
  today: Date = new Date(),
  bodies: readonly GovernmentBody[] = [],
): CatalogueReport {
  const report: CatalogueReport = {
    bodies: bodies.length,
    bodiesWithoutPhone: [],
    services: { federal: 0, provincial: 0, municipal: 0 },
    bundles: 0,
    lines: kb.lines.size,
    errors: [],
    warnings: [],
    withoutPhone: [],
  };
  const names = new Map<string, string>();
  const keywordOwners = new Map<string, Set<string>>();
  const usedLines = new Set<string>();
  for (const r of kb.records) {
    if (r.kind === 'bundle') report.bundles++;
    else report.services[r.jurisdiction]++;
    if (r.contacts.length === 0) report.withoutPhone.push(r.id);
    r.contacts.forEach((c) => usedLines.add(c));
    for (const lang of LANGUAGES) {
      const key = `${lang}:${foldedPhrase(r.name[lang])}`;
      const other = names.get(key);
      if (other)
        report.errors.push(
          `${r.id}: its ${lang} name "${r.name[lang]}" is also the name of ${other}`,
        );
      names.set(key, r.id);
      for (const k of r.keywords[lang]) {
        const owners = keywordOwners.get(`${lang}:${foldedPhrase(k)}`) ?? new Set<string>();
        owners.add(r.id);
        keywordOwners.set(`${lang}:${foldedPhrase(k)}`, owners);
      }
    }
    const age = (today.getTime() - Date.parse(r.checked)) / 86_400_000;
    if (age > STALE_DAYS) report.warnings.push(`${r.id}: facts last checked ${r.checked}`);
  }
  for (const [id, line] of kb.lines) {
    if (!usedLines.has(id)) report.warnings.push(`phone line ${id} is not used by any record`);
    if ((today.getTime() - Date.parse(line.checked)) / 86_400_000 > STALE_DAYS)
      report.warnings.push(`phone line ${id}: last checked ${line.checked}`);
  }
  for (const b of bodies) {
    if (!b.phone) report.bodiesWithoutPhone.push(b.id);
    for (const lang of LANGUAGES) {
      const other = names.get(`${lang}:${foldedPhrase(b.name[lang])}`);
      // A body a record already covers answers the same question twice, less well.
      if (other) report.errors.push(`body ${b.id}: its ${lang} name is also the name of ${other}`);
    }
    if ((today.getTime() - Date.parse(b.checked)) / 86_400_000 > STALE_DAYS)
      report.warnings.push(`body ${b.id}: facts last checked ${b.checked}`);
  }
  const overlaps = bodyOverlaps(kb, bodies);
  report.errors.push(...overlaps.errors);
  report.warnings.push(...overlaps.warnings);
  for (const [key, owners] of keywordOwners) {
    if (owners.size > 2)
      report.warnings.push(
        `keyword "${key}" belongs to ${owners.size} records (${[...owners].slice(0, 4).join(', ')}…)`,
      );
  }
  for (const lang of LANGUAGES) {
    for (const r of kb.records) {
      const n = kb.corpus[lang].get(r.id)?.length ?? 0;
      if (n < FEW_EXAMPLES)
        report.warnings.push(
          `${r.id}: ${n} ${lang} example questions (fewer than ${FEW_EXAMPLES})`,
        );
    }
  }
  return report;
}

/** Example questions of the records (`records`) and of the intents outside them (`outside`: out of scope, outside-*). */
function corpusSize(kb: KnowledgeBase, lang: Language): { records: number; outside: number } {
  const n = { records: 0, outside: 0 };
  for (const [intent, utterances] of kb.corpus[lang])
    n[isSpecialIntent(intent) ? 'outside' : 'records'] += utterances.length;
  return n;
}

/** `npm run kb:check`: validates the knowledge base and prints the catalogue report; exit 1 on any error. */
export async function main(): Promise<void> {
  let kb: KnowledgeBase;
  let bodies: GovernmentBody[];
  try {
    kb = loadKnowledge();
    bodies = loadBodies(undefined, kb.byId).bodies;
  } catch (err) {
    if (!(err instanceof KnowledgeLoadError)) throw err;
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 1;
    return;
  }
  const r = checkCatalogue(kb, new Date(), bodies);
  const out = [
    `Knowledge ${kb.version}: ${r.services.federal + r.services.provincial + r.services.municipal} services ` +
      `(federal ${r.services.federal}, provincial ${r.services.provincial}, municipal ${r.services.municipal}), ${r.bundles} bundles, ${r.lines} phone lines`,
    `Example questions: ${LANGUAGES.map((l) => `${l} ${corpusSize(kb, l).records}`).join(', ')} (out of scope and outside the catalogue: ${LANGUAGES.map((l) => `${l} ${corpusSize(kb, l).outside}`).join(', ')})`,
    `Without a phone line of their own (municipal: the person's municipality answers): ${r.withoutPhone.length ? r.withoutPhone.join(', ') : 'none'}`,
    `Without a source: none (the schema requires one)`,
    `Government bodies (agencies, regulators, tribunals): ${r.bodies}; without a confirmed phone number (website only): ${r.bodiesWithoutPhone.length ? r.bodiesWithoutPhone.join(', ') : 'none'}`,
    ...r.warnings.map((w) => `warning: ${w}`),
    ...r.errors.map((e) => `error: ${e}`),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  if (r.errors.length > 0) process.exitCode = 1;
}
