import type { Server } from 'restify';
import { badRequest } from '../../lib/errors';
import { Db } from '../../lib/db';
import { I18n } from '../../lib/i18n';
import { Logger } from '../../lib/logger';
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
  db: Db;
  repo: KnowledgeRepository;
  usage: UsageStore;
  now?: () => Date;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_DAYS = 366;

/** from/to as Toronto days; the last 30 days by default; at most a year. */
function range(req: Request, now: Date): { from: string; to: string } {
  const to = queryString(req, 'to') ?? torontoDay(now);
  const from = queryString(req, 'from') ?? torontoDay(new Date(now.getTime() - 29 * 86_400_000));
  for (const [name, v] of [
    ['from', from],
    ['to', to],
  ] as const) {
    if (!DAY.test(v) || Number.isNaN(Date.parse(`${v}T12:00:00Z`)))
      throw badRequest('bad_date', 'badDate', { name, value: v.slice(0, 20) });
  }
  const days = (Date.parse(`${to}T12:00:00Z`) - Date.parse(`${from}T12:00:00Z`)) / 86_400_000;
  if (days < 0 || days > MAX_DAYS) throw badRequest('bad_range', 'badRange', { max: MAX_DAYS });
  return { from, to };
}

/** Managers' measures (role admin): JSON for the page, CSV for spreadsheets. */
export function registerInsightsRoutes(server: Server, deps: InsightsDeps): void {
  const now = deps.now ?? (() => new Date());
  server.get(
    '/api/insights',
    route(deps, async (req, res) => {
      await requireStaff(deps.tokens, req, ['admin']);
      deps.usage.flush();
      res.send(200, insights(deps.db, deps.repo, range(req, now()), requestLanguage(req)));
    }),
  );
  server.get(
    '/api/insights/export.csv',
    route(deps, async (req, res) => {
      await requireStaff(deps.tokens, req, ['admin']);
      const table = (queryString(req, 'table') ?? 'daily') as ExportTable;
      if (!EXPORT_TABLES.includes(table))
        throw badRequest('bad_table', 'badTable', { tables: EXPORT_TABLES.join(', ') });
      deps.usage.flush();
      const r = range(req, now());
      const csv = insightsCsv(insights(deps.db, deps.repo, r, requestLanguage(req)), table);
      res.sendRaw(200, csv, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="insights-${table}-${r.from}-${r.to}.csv"`,
      });
    }),
  );
}
