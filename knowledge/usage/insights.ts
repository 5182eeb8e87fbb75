import { postalAreas } from '../geography/postal-areas';
import type { Database } from '../../lib/database';
import type { KnowledgeRepository } from '../repository';
import type { Language } from '../schema';
import type { Insights } from './insights-types';
import { populations } from './population';
import { COUNT_KEYS, type UsageTables } from './usage-store';

export type { Insights };

export interface InsightsQuery {
  from: string;
  to: string;
}

const UNANSWERED = new Set(['out_of_scope', 'fallback']);

/**
 * The measures both partners report on, for a range of Toronto days (inclusive): questions per
 * day by jurisdiction, language and channel; top services; online versus office referrals;
 * unanswered questions (redacted when recorded); demand by postal area per 10,000 residents.
 */
export async function insights(
  database: Database,
  repo: KnowledgeRepository,
  q: InsightsQuery,
  lang: Language,
): Promise<Insights> {
  const db = database.kysely.withTables<UsageTables>();
  const columns = COUNT_KEYS;
  const rows = await db
    .selectFrom('usage_counts')
    .select(columns)
    .select((eb) => eb.fn.sum<number>('count').as('n'))
    .where('day', '>=', q.from)
    .where('day', '<=', q.to)
    .groupBy(columns)
    .execute();
  const totals = { questions: 0, answered: 0, outOfScope: 0, fallback: 0, disambiguation: 0 };
  const days = new Map<string, Insights['perDay'][number]>();
  const byLanguage = { en: 0, fr: 0 };
  const byChannel: Record<string, number> = {};
  const services = new Map<string, number>();
  const referrals = { online: 0, office: 0 };
  for (const r of rows) {
    totals.questions += r.n;
    if (r.outcome === 'answered') totals.answered += r.n;
    else if (r.outcome === 'out_of_scope') totals.outOfScope += r.n;
    else if (r.outcome === 'fallback') totals.fallback += r.n;
    else if (r.outcome === 'disambiguation') totals.disambiguation += r.n;
    const d = days.get(r.day) ?? {
      day: r.day,
      total: 0,
      federal: 0,
      provincial: 0,
      municipal: 0,
      shared: 0,
      unanswered: 0,
    };
    d.total += r.n;
    if (
      r.jurisdiction === 'federal' ||
      r.jurisdiction === 'provincial' ||
      r.jurisdiction === 'municipal' ||
      r.jurisdiction === 'shared'
    )
      d[r.jurisdiction] += r.n;
    if (UNANSWERED.has(r.outcome)) d.unanswered += r.n;
    days.set(r.day, d);
    if (r.language === 'en' || r.language === 'fr') byLanguage[r.language] += r.n;
    byChannel[r.channel] = (byChannel[r.channel] ?? 0) + r.n;
    if (r.record_id && r.outcome === 'answered')
      services.set(r.record_id, (services.get(r.record_id) ?? 0) + r.n);
    if (r.referral === 'online' || r.referral === 'office') referrals[r.referral] += r.n;
  }
  const byService = [...services.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 20)
    .map(([id, count]) => {
      const rec = repo.get(id);
      return { id, name: rec?.name[lang] ?? id, jurisdiction: rec?.jurisdiction ?? '', count };
    });
  const unanswered = (
    await db
      .selectFrom('usage_unanswered')
      .select(['text', 'language'])
      .select((eb) => eb.fn.sum<number>('count').as('count'))
      .where('day', '>=', q.from)
      .where('day', '<=', q.to)
      .groupBy(['text', 'language'])
      .orderBy('count', 'desc')
      .orderBy('text')
      .limit(50)
      .execute()
  ).map((r) => ({ ...r, count: Number(r.count) })) as Insights['unanswered'];
  const pop = await populations(database);
  const areas = (
    await db
      .selectFrom('usage_demand_by_area')
      .select('fsa')
      .select((eb) => eb.fn.sum<number>('count').as('count'))
      .where('day', '>=', q.from)
      .where('day', '<=', q.to)
      .groupBy('fsa')
      .orderBy('count', 'desc')
      .execute()
  ).map(({ fsa, count: total }) => {
    const count = Number(total);
    const population = pop.get(fsa) ?? null;
    const place = postalAreas().get(fsa);
    return {
      fsa,
      count,
      population,
      per10k: population ? Math.round((count / population) * 10000 * 100) / 100 : null,
      lat: place?.lat ?? null,
      lon: place?.lon ?? null,
    };
  });
  return {
    from: q.from,
    to: q.to,
    totals,
    perDay: [...days.values()].sort((a, b) => a.day.localeCompare(b.day)),
    byLanguage,
    byChannel,
    byService,
    referrals,
    unanswered,
    areas,
    populationImported: pop.size > 0,
  };
}

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  // A leading = + - @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export const EXPORT_TABLES = ['daily', 'services', 'unanswered', 'areas'] as const;
export type ExportTable = (typeof EXPORT_TABLES)[number];

/** One table of the insights as CSV (UTF-8, header row). */
export function insightsCsv(data: Insights, table: ExportTable): string {
  const rows: unknown[][] =
    table === 'daily'
      ? [
          ['day', 'total', 'federal', 'provincial', 'municipal', 'shared', 'unanswered'],
          ...data.perDay.map((d) => [
            d.day,
            d.total,
            d.federal,
            d.provincial,
            d.municipal,
            d.shared,
            d.unanswered,
          ]),
        ]
      : table === 'services'
        ? [
            ['id', 'name', 'jurisdiction', 'count'],
            ...data.byService.map((s) => [s.id, s.name, s.jurisdiction, s.count]),
          ]
        : table === 'unanswered'
          ? [
              ['language', 'count', 'question (redacted)'],
              ...data.unanswered.map((u) => [u.language, u.count, u.text]),
            ]
          : [
              ['fsa', 'count', 'population', 'per_10000'],
              ...data.areas.map((a) => [a.fsa, a.count, a.population, a.per10k]),
            ];
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
