import type { OfficeStatus } from '../answer-types';
import { distanceKm, Point } from './geo';
import type { Holiday } from './holidays';
import { closureDuring, closuresOf, dayPlan, nextOpening } from './hours';
import type { Closure, OutreachSnapshot, Visit } from './outreach-store';
import type { Office, OfficeRegistry } from './registry';
import { LocalTime, localTime } from './time';
import { travelMinutes } from './travel';
import type { WaitEstimate, WaitStore } from './wait-store';

export interface RankContext {
  registry: OfficeRegistry;
  waits: WaitStore;
  snapshot: OutreachSnapshot;
  now: Date;
  /** A live report older than this is stale. */
  freshMs: number;
}

export type { OfficeStatus };

export interface Candidate {
  office: Office;
  km: number;
  travelMinutes: number;
  available: boolean;
  status: OfficeStatus;
  openNow: boolean;
  wait: WaitEstimate;
  /** Minutes from now until served; for unavailable offices, counted from their next opening. */
  estimatedMinutes: number;
  servedAtMs: number | null;
  /** End of the opening the person would be served in (or of the one that closes too soon). */
  closesAtMs: number | null;
  /** Next opening, for offices not available today. */
  opensAtMs: number | null;
  holiday: Holiday | null;
  closure: Closure | null;
  visit: Visit | null;
  closures: Closure[];
}

const MINUTE = 60_000;

/** Whether and when an office can serve a person who sets off now from `origin`. */
export function evaluate(
  office: Office,
  serviceId: string,
  origin: Point,
  ctx: RankContext,
  local: LocalTime,
): Candidate {
  const km = distanceKm(origin, office);
  const travel = travelMinutes(km);
  const nowMs = ctx.now.getTime();
  const nowMin = local.minutes;
  const arrivalMin = nowMin + travel;
  const plan = dayPlan(office, serviceId, local.date, ctx.snapshot, local.weekday);
  const closures = closuresOf(office, ctx.snapshot);
  const closedNow = closures.length ? (closureDuring(closures, nowMs, nowMs) ?? null) : null;
  let openNow = false;
  if (!closedNow)
    for (const [a, b] of plan.intervals) if (a <= nowMin && nowMin < b) openNow = true;
  const wait = ctx.waits.estimate(
    office.id,
    serviceId,
    ctx.now,
    ctx.freshMs,
    office.typicalWaitMinutes,
    new Date(nowMs + travel * MINUTE),
  );
  const c: Candidate = {
    office,
    km,
    travelMinutes: travel,
    available: false,
    status: 'closed',
    openNow,
    wait,
    estimatedMinutes: Infinity,
    servedAtMs: null,
    closesAtMs: null,
    opensAtMs: null,
    holiday: plan.holiday,
    closure: closedNow,
    visit: null,
    closures,
  };
  let closing: number | null = null;
  for (const [a, b] of plan.intervals) {
    if (b <= nowMin) continue;
    const startMin = Math.max(a, arrivalMin);
    const servedMin = startMin + wait.minutes;
    const servedAtMs = nowMs + (servedMin - nowMin) * MINUTE;
    const closure = closures.length ? closureDuring(closures, nowMs, servedAtMs) : undefined;
    if (closure) {
      c.status = 'closure';
      c.closure = closure;
      return c;
    }
    if (servedMin > b) {
      closing = closing ?? b;
      continue;
    }
    c.available = true;
    c.status = a <= nowMin ? 'open' : 'opens-later';
    c.estimatedMinutes = servedMin - nowMin;
    c.servedAtMs = servedAtMs;
    c.closesAtMs = nowMs + (b - nowMin) * MINUTE;
    c.visit = plan.visits.length
      ? (plan.visits.find((v) => v.startMin <= startMin && servedMin <= v.endMin) ?? null)
      : null;
    return c;
  }
  c.status = closedNow
    ? 'closure'
    : closing !== null
      ? 'closing'
      : !office.schedule && plan.visits.length === 0
        ? 'no-visit'
        : 'closed';
  if (closing !== null) c.closesAtMs = nowMs + (closing - nowMin) * MINUTE;
  return c;
}

function insertSorted(list: Candidate[], c: Candidate): void {
  let i = list.length;
  while (
    i > 0 &&
    (list[i - 1].estimatedMinutes > c.estimatedMinutes ||
      (list[i - 1].estimatedMinutes === c.estimatedMinutes && list[i - 1].km > c.km))
  )
    i--;
  list.splice(i, 0, c);
}

export interface Ranking {
  /** Available offices by estimated minutes, then (only to fill `limit`) unavailable ones by their next opening. */
  offices: Candidate[];
  /** Nearer offices left out, each with its status (why). */
  excluded: Candidate[];
}

/**
 * Ranks the offices that deliver a service by estimated minutes until the person is served (travel,
 * then any wait for opening, then the queue). The spatial index is searched ring by ring outward and
 * stops once no farther office could beat the `limit`-th best, since travel alone would exceed it.
 */
export function rankOffices(
  serviceId: string,
  origin: Point,
  limit: number,
  ctx: RankContext,
): Ranking {
  const local = localTime(ctx.now);
  const index = ctx.registry.indexFor(serviceId);
  const best: Candidate[] = [];
  const unavailable: Candidate[] = [];
  const seen = new Set<string>();
  const consider = (office: Office) => {
    if (seen.has(office.id)) return;
    seen.add(office.id);
    const c = evaluate(office, serviceId, origin, ctx, local);
    if (c.available) insertSorted(best, c);
    else unavailable.push(c);
  };
  const lastRing = index.maxRing(origin);
  for (let ring = 0; ring <= lastRing; ring++) {
    const reach = travelMinutes(index.ringLowerBoundKm(ring));
    if (best.length >= limit && reach > best[limit - 1].estimatedMinutes) break;
    if (best.length < limit && enoughToFill(unavailable, reach)) break;
    index.forRing(origin, ring, consider);
  }
  // Offices that do not deliver the service themselves but host an outreach visit that does.
  const horizon = ctx.now.getTime() + 21 * 86_400_000;
  for (const v of ctx.snapshot.visits) {
    if (v.endsMs <= ctx.now.getTime() || v.startsMs > horizon || !v.services.includes(serviceId))
      continue;
    const office = ctx.registry.get(v.siteId);
    if (office && !office.services.has(serviceId)) consider(office);
  }
  const offices = best.slice(0, limit);
  if (offices.length < limit)
    offices.push(
      ...fillFromUnavailable(unavailable, serviceId, limit - offices.length, ctx, local.date),
    );
  const listed = new Set(offices.map((c) => c.office.id));
  const farthest = offices.reduce((m, c) => Math.max(m, c.km), 0);
  const excluded = unavailable
    .filter((c) => !listed.has(c.office.id) && c.status !== 'no-visit' && c.km <= farthest)
    .sort((a, b) => a.km - b.km)
    .slice(0, limit);
  return { offices, excluded };
}

/** How many of the nearest offices that open later are weighed when too few can serve today. */
const FILL_POOL = 10;
/** How much farther (in travel minutes) than that pool the search still looks for an office open now. */
const OPEN_NOW_MARGIN_MINUTES = 30;

/**
 * When fewer than `limit` offices can serve today (nights, weekends, closures), the search has what
 * it needs once it holds the FILL_POOL nearest offices that open later and has looked
 * OPEN_NOW_MARGIN_MINUTES of travel beyond them for an office that can still serve today.
 */
function enoughToFill(unavailable: Candidate[], reach: number): boolean {
  const travel: number[] = [];
  for (const c of unavailable)
    if (c.office.schedule !== null || c.status !== 'no-visit') travel.push(c.travelMinutes);
  if (travel.length < FILL_POOL) return false;
  travel.sort((a, b) => a - b);
  return reach > travel[FILL_POOL - 1] + OPEN_NOW_MARGIN_MINUTES;
}

/** The nearest unavailable offices, by when they would serve the person at their next opening. */
function fillFromUnavailable(
  unavailable: Candidate[],
  serviceId: string,
  count: number,
  ctx: RankContext,
  today: string,
): Candidate[] {
  const nowMs = ctx.now.getTime();
  // Outreach sites with no visit ahead never open: only offices with hours or visits can fill in.
  const nearest = unavailable
    .filter((c) => c.office.schedule !== null || ctx.snapshot.visitsBySite.has(c.office.id))
    .sort((a, b) => a.km - b.km)
    .slice(0, Math.max(FILL_POOL, count * 5));
  const scheduled: Candidate[] = [];
  for (const c of nearest) {
    const next = nextOpening(
      c.office,
      serviceId,
      today,
      nowMs + c.travelMinutes * MINUTE,
      ctx.snapshot,
      c.closures,
    );
    if (!next) continue;
    const wait = ctx.waits.estimate(
      c.office.id,
      serviceId,
      ctx.now,
      ctx.freshMs,
      c.office.typicalWaitMinutes,
      next.at,
    );
    const estimatedMinutes = (next.at.getTime() - nowMs) / MINUTE + wait.minutes;
    scheduled.push({ ...c, wait, estimatedMinutes, opensAtMs: next.at.getTime() });
  }
  return scheduled
    .sort((a, b) => a.estimatedMinutes - b.estimatedMinutes || a.km - b.km)
    .slice(0, count);
}
