import type { OfficeRegistry } from './registry';
import type { WaitReport } from './wait-store';

/**
 * The wait-time feed (WAIT_FEED_URL) is JSON:
 *
 *   { "generatedAt": "2025-03-10T09:30:00-04:00",
 *     "reports": [ { "office": "sc-barrie", "minutes": 25, "service": "passport", "observedAt": "2025-03-10T09:28:00-04:00" } ] }
 *
 * `office` is a registry id; `minutes` a whole number 0..1440; `service` (optional) a catalogue id the
 * office delivers; `observedAt` (optional, ISO 8601 with offset) defaults to `generatedAt`, then to
 * the time of the poll. Reports are checked one by one: a bad one is skipped and named, the rest kept.
 */
export interface FeedParse {
  reports: WaitReport[];
  problems: string[];
  /** Set when the payload as a whole is unusable (nothing recorded). */
  fatal: string | null;
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const MAX_REPORTS = 10_000;
const FUTURE_SKEW_MS = 5 * 60_000;

function time(value: unknown): Date | null {
  if (typeof value !== 'string' || !ISO_WITH_OFFSET.test(value)) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t);
}

export function parseWaitFeed(payload: unknown, registry: OfficeRegistry, now: Date): FeedParse {
  const body = payload as { generatedAt?: unknown; reports?: unknown } | null;
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return { reports: [], problems: [], fatal: 'the feed must be a JSON object' };
  if (!Array.isArray(body.reports))
    return { reports: [], problems: [], fatal: 'the feed has no "reports" list' };
  if (body.reports.length > MAX_REPORTS)
    return { reports: [], problems: [], fatal: `the feed has more than ${MAX_REPORTS} reports` };
  const generatedAt = body.generatedAt === undefined ? now : time(body.generatedAt);
  if (!generatedAt)
    return {
      reports: [],
      problems: [],
      fatal: '"generatedAt" is not an ISO 8601 time with an offset',
    };
  const reports: WaitReport[] = [];
  const problems: string[] = [];
  body.reports.forEach((raw, i) => {
    const r = raw as {
      office?: unknown;
      minutes?: unknown;
      service?: unknown;
      observedAt?: unknown;
    } | null;
    const at = `reports[${i}]`;
    if (!r || typeof r !== 'object') return problems.push(`${at}: not an object`);
    const office = typeof r.office === 'string' ? registry.get(r.office) : undefined;
    if (!office)
      return problems.push(
        `${at}.office: unknown office ${JSON.stringify(r.office)?.slice(0, 60)}`,
      );
    if (
      typeof r.minutes !== 'number' ||
      !Number.isInteger(r.minutes) ||
      r.minutes < 0 ||
      r.minutes > 1440
    )
      return problems.push(`${at}.minutes: must be a whole number 0..1440`);
    if (
      r.service !== undefined &&
      (typeof r.service !== 'string' || !office.services.has(r.service))
    ) {
      return problems.push(
        `${at}.service: ${JSON.stringify(r.service)?.slice(0, 60)} is not a service this office delivers`,
      );
    }
    const observedAt = r.observedAt === undefined ? generatedAt : time(r.observedAt);
    if (!observedAt || observedAt.getTime() > now.getTime() + FUTURE_SKEW_MS)
      return problems.push(
        `${at}.observedAt: must be an ISO 8601 time with an offset, not in the future`,
      );
    reports.push({
      officeId: office.id,
      serviceId: (r.service as string | undefined) ?? null,
      minutes: r.minutes,
      observedAt,
      source: 'feed',
    });
  });
  return { reports, problems, fatal: null };
}
