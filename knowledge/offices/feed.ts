import { check, isObject, Problem, problem, validate } from '../../lib/validation';
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

const shown = (value: unknown) => JSON.stringify(value)?.slice(0, 60);

/** What each problem of the feed says in the log (problems of a report are named by their path). */
const MESSAGES: Record<string, (params: Record<string, unknown>) => string> = {
  type: () => 'not an object',
  not_feed: () => 'the feed must be a JSON object',
  no_reports: () => 'the feed has no "reports" list',
  too_many_reports: ({ max }) => `the feed has more than ${String(max)} reports`,
  bad_generated_at: () => '"generatedAt" is not an ISO 8601 time with an offset',
  unknown_office: ({ value }) => `unknown office ${String(value)}`,
  bad_minutes: () => 'must be a whole number 0..1440',
  unknown_service: ({ value }) => `${String(value)} is not a service this office delivers`,
  bad_observed_at: () => 'must be an ISO 8601 time with an offset, not in the future',
};

const message = ({ path, code, params = {} }: Problem) => {
  const text = MESSAGES[code](params);
  return path ? `${path}: ${text}` : text;
};

/** The feed around its reports: the list (not read yet) and the time its reports default to. */
const envelope = (now: Date) =>
  check<{ generatedAt: Date; reports: unknown[] }>((v, ctx) => {
    if (!isObject(v)) return problem(ctx, 'not_feed');
    if (!Array.isArray(v.reports)) return problem(ctx, 'no_reports');
    if (v.reports.length > MAX_REPORTS)
      return problem(ctx, 'too_many_reports', { max: MAX_REPORTS });
    const generatedAt = v.generatedAt === undefined ? now : time(v.generatedAt);
    if (!generatedAt) return problem(ctx, 'bad_generated_at');
    return { generatedAt, reports: v.reports };
  });

/** One report, read against the registry; its first problem is the one named. */
const report = (registry: OfficeRegistry, generatedAt: Date, now: Date) =>
  check<WaitReport>((v, ctx) => {
    if (!isObject(v)) return problem(ctx, 'type');
    const office = typeof v.office === 'string' ? registry.get(v.office) : undefined;
    if (!office) return problem(ctx, 'unknown_office', { value: shown(v.office) }, ['office']);
    const minutes = v.minutes;
    if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 0 || minutes > 1440)
      return problem(ctx, 'bad_minutes', {}, ['minutes']);
    const service = v.service;
    if (service !== undefined && (typeof service !== 'string' || !office.services.has(service)))
      return problem(ctx, 'unknown_service', { value: shown(service) }, ['service']);
    const observedAt = v.observedAt === undefined ? generatedAt : time(v.observedAt);
    if (!observedAt || observedAt.getTime() > now.getTime() + FUTURE_SKEW_MS)
      return problem(ctx, 'bad_observed_at', {}, ['observedAt']);
    return { officeId: office.id, serviceId: service ?? null, minutes, observedAt, source: 'feed' };
  });

export function parseWaitFeed(payload: unknown, registry: OfficeRegistry, now: Date): FeedParse {
  const feed = validate(envelope(now), payload);
  if ('problems' in feed) return { reports: [], problems: [], fatal: message(feed.problems[0]) };
  const each = report(registry, feed.value.generatedAt, now);
  const reports: WaitReport[] = [];
  const problems: string[] = [];
  feed.value.reports.forEach((raw, i) => {
    const read = validate(each, raw, `reports[${i}]`);
    if ('problems' in read) problems.push(message(read.problems[0]));
    else reports.push(read.value);
  });
  return { reports, problems, fatal: null };
}
