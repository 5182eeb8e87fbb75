import type { Server } from 'restify';
import { z } from 'zod';
import type { Database } from '../../lib/database';
import { I18n } from '../../lib/i18n';
import { Logger } from '../../lib/logger';
import { check, errorTable, parseOrThrow, problem } from '../../lib/validation';
import { EXPORT_TABLES, ExportTable, insights, insightsCsv } from '../../knowledge/usage/insights';
import { torontoDay, UsageStore } from '../../knowledge/usage/usage-store';
import { KnowledgeRepository } from '../../knowledge/repository';
import type { StaffVerifier } from '../auth/authenticator';
import { requireStaff } from '../auth/require-staff';
import { queryString, requestLanguage, route } from '../http';
import type { Request } from 'restify';

export interface InsightsDeps {
  i18n: I18n;
  logger: Logger;
  tokens: StaffVerifier;
  database: Database;
  repo: KnowledgeRepository;
  usage: UsageStore;
  now?: () => Date;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_DAYS = 366;

const insightsError = errorTable({
  bad_date: 'badDate',
  bad_range: 'badRange',
  bad_table: 'badTable',
});

const noon = (day: string) => Date.parse(`${day}T12:00:00Z`);

const day = (name: string) =>
  check<string>((v, ctx) =>
    typeof v === 'string' && DAY.test(v) && !Number.isNaN(noon(v))
      ? v
      : problem(ctx, 'bad_date', { name, value: String(v).slice(0, 20) }),
  );

const period = z.object({ from: day('from'), to: day('to') }).superRefine(({ from, to }, ctx) => {
  if (from === undefined || to === undefined) return;
  const days = (noon(to) - noon(from)) / 86_400_000;
  if (days < 0 || days > MAX_DAYS) problem(ctx, 'bad_range', { max: MAX_DAYS });
});

const exportTable = check<ExportTable>((v, ctx) =>
  EXPORT_TABLES.includes(v as ExportTable)
    ? (v as ExportTable)
    : problem(ctx, 'bad_table', { tables: EXPORT_TABLES.join(', ') }),
);

/** from/to as Toronto days; the last 30 days by default; at most a year. */
function range(req: Request, now: Date): { from: string; to: string } {
  const to = queryString(req, 'to') ?? torontoDay(now);
  const from = queryString(req, 'from') ?? torontoDay(new Date(now.getTime() - 29 * 86_400_000));
  return parseOrThrow(period, { from, to }, insightsError);
}

/** Managers' measures (role admin): JSON for the page, CSV for spreadsheets. */
export function registerInsightsRoutes(server: Server, deps: InsightsDeps): void {
  const now = deps.now ?? (() => new Date());
  server.get(
    '/api/insights',
    route(deps, async (req, res) => {
      await requireStaff(deps.tokens, req, ['admin']);
      await deps.usage.flush();
      res.send(
        200,
        await insights(deps.database, deps.repo, range(req, now()), requestLanguage(req)),
      );
    }),
  );
  server.get(
    '/api/insights/export.csv',
    route(deps, async (req, res) => {
      await requireStaff(deps.tokens, req, ['admin']);
      const table = parseOrThrow(exportTable, queryString(req, 'table') ?? 'daily', insightsError);
      await deps.usage.flush();
      const r = range(req, now());
      const data = await insights(deps.database, deps.repo, r, requestLanguage(req));
      const csv = insightsCsv(data, table);
      res.sendRaw(200, csv, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="insights-${table}-${r.from}-${r.to}.csv"`,
      });
    }),
  );
}
