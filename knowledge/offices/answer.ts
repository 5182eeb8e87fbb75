import type { Translate } from '../../lib/i18n';
import { localeOf } from '../../lib/vocabulary';
import type {
  NearestAnswer,
  OfficeAnswer,
  OutreachSiteAnswer,
  Reason,
  VisitAnswer,
} from '../answer-types';
import type { Language, ServiceRecord } from '../schema';
import { distanceKm, Point, sharedPointGroups } from './geo';
import { dayPlan } from './hours';
import type { Visit } from './outreach-store';
import { Candidate, rankOffices, RankContext } from './rank';
import type { Office } from './registry';
import { formatHhmm, HOME_ZONE, isoLocal, localTime } from './time';

export type { NearestAnswer, OfficeAnswer, OutreachSiteAnswer, Reason, VisitAnswer };

/** How far an outreach site with no known visit date is still "in or near the person's community". */
export const LOCAL_SITE_KM = 25;
/**
 * From this straight-line distance to the nearest office, for a person in the north, the answer warns
 * that the driving time is a road estimate (Moosonee to Kapuskasing is 243 km, and Moosonee has no
 * road out). In the south a far office is a service offered in few places (a name change in Toronto),
 * which the service note explains.
 */
export const REMOTE_OFFICE_KM = 150;
/** North of this latitude lie the Ontario communities without a year-round road (Moosonee 51.3°, Sandy Lake 53.1°). */
export const NORTH_LATITUDE = 50;

export interface AnswerDeps extends Omit<RankContext, 'snapshot'> {
  outreach: { snapshot(): RankContext['snapshot'] };
  t: Translate;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

const formats = new Map<string, Intl.DateTimeFormat>();

/** "16:00" today, "Wednesday, March 12, 08:30" another day, in the answer language. */
function timeText(lang: Language, ms: number, now: Date): string {
  const sameDay = localTime(new Date(ms)).date === localTime(now).date;
  const key = `${lang}:${sameDay}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(localeOf(lang), {
      timeZone: HOME_ZONE,
      ...(sameDay ? {} : { weekday: 'long', day: 'numeric', month: 'long' }),
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(key, format);
  }
  return format.format(new Date(ms));
}

export function addressOf(office: Office, lang: Language): string {
  const a = office.record.address;
  const town = lang === 'fr' ? a.townFr : a.town;
  return `${a.street}, ${town}, ON${a.postalCode ? ` ${a.postalCode}` : ''}`;
}

export function mapUrl(office: Office): string {
  const query = addressOf(office, 'en');
  return `https://www.google.com/maps/search/?api=1&query=${encodeURIComponent(query)}`;
}

function reasonOf(c: Candidate, lang: Language, deps: AnswerDeps): Reason | null {
  const t = (key: string, params?: Record<string, unknown>) =>
    deps.t(lang, `offices:reason.${key}`, params);
  const at = (ms: number) => timeText(lang, ms, deps.now);
  switch (c.status) {
    case 'open':
      return null;
    case 'opens-later':
      return {
        code: 'opens_later',
        message: t('opensLater', { time: at((c.servedAtMs as number) - c.wait.minutes * 60_000) }),
      };
    case 'closing':
      return {
        code: 'closes_before_served',
        message: t('closesBeforeServed', {
          time: at(c.closesAtMs as number),
          minutes: Math.round(c.travelMinutes),
        }),
      };
    case 'closure': {
      const reason = c.closure?.reason[lang] ?? '';
      return c.closure?.untilMs
        ? {
            code: 'emergency_closure',
            message: t('closureUntil', { reason, time: at(c.closure.untilMs) }),
          }
        : { code: 'emergency_closure', message: t('closure', { reason }) };
    }
    case 'no-visit':
      return { code: 'no_visit_today', message: t('noVisit') };
    default:
      if (c.holiday)
        return {
          code: 'holiday',
          message: t('holiday', { holiday: deps.t(lang, `offices:holiday.${c.holiday.id}`) }),
        };
      return c.opensAtMs
        ? { code: 'closed', message: t('closedUntil', { time: at(c.opensAtMs) }) }
        : { code: 'closed', message: t('closed') };
  }
}

export function visitAnswer(
  v: Visit,
  office: Office,
  lang: Language,
  deps: Pick<AnswerDeps, 'registry'>,
  origin: Point | null,
): VisitAnswer {
  return {
    id: v.id,
    siteId: v.siteId,
    siteName: office.record.name[lang],
    organization: v.organization,
    date: v.date,
    startsAt: isoLocal(new Date(v.startsMs)),
    endsAt: isoLocal(new Date(v.endsMs)),
    hoursText: `${formatHhmm(v.startMin)}–${formatHhmm(v.endMin)}`,
    services: v.services,
    note: v.note ? v.note[lang] : null,
    distanceKm: origin ? round1(distanceKm(origin, office)) : null,
    address: addressOf(office, lang),
    mapUrl: mapUrl(office),
  };
}

export function officeAnswer(
  c: Candidate,
  serviceId: string,
  lang: Language,
  deps: AnswerDeps,
  snapshot: RankContext['snapshot'],
): OfficeAnswer {
  const o = c.office;
  const r = o.record;
  const today = dayPlan(o, serviceId, localTime(deps.now).date, snapshot).intervals.map(
    ([a, b]) => ({ opens: formatHhmm(a), closes: formatHhmm(b) }),
  );
  const iso = (ms: number | null) => (ms === null ? null : isoLocal(new Date(ms)));
  return {
    id: o.id,
    name: r.name[lang],
    organization: r.organization,
    type: r.type,
    typeName: o.type.name[lang],
    address: addressOf(o, lang),
    town: lang === 'fr' ? r.address.townFr : r.address.town,
    lat: o.lat,
    lon: o.lon,
    approximateLocation: r.location.approximate,
    placement: r.location.placement,
    postalCode: r.address.postalCode ?? null,
    building: r.address.building ?? null,
    hoursTypical: o.hoursTypical,
    notice: r.notice ? r.notice[lang] : null,
    distanceKm: round1(c.km),
    travelMinutes: Math.round(c.travelMinutes),
    available: c.available,
    status: c.status,
    reason: reasonOf(c, lang, deps),
    openNow: c.openNow,
    waitMinutes: c.wait.minutes,
    waitSource: c.wait.source,
    waitObservedAt: c.wait.observedAt,
    waitStale: c.wait.stale,
    estimatedMinutes: Number.isFinite(c.estimatedMinutes) ? Math.round(c.estimatedMinutes) : null,
    servedBy: iso(
      c.servedAtMs ?? (c.opensAtMs === null ? null : c.opensAtMs + c.wait.minutes * 60_000),
    ),
    closesAt: iso(c.closesAtMs),
    opensAt: iso(c.opensAtMs),
    hoursToday: today,
    hoursTodayText: today.length
      ? today.map((h) => `${h.opens}–${h.closes}`).join(', ')
      : deps.t(lang, 'offices:hours.closedToday'),
    closures: c.closures
      .filter((x) => x.untilMs === null || x.untilMs > deps.now.getTime())
      .map((x) => ({ reason: x.reason[lang], until: iso(x.untilMs) })),
    visit: c.visit ? visitAnswer(c.visit, o, lang, deps, null) : null,
    languages: r.languages?.value ?? null,
    accessibility: r.accessibility ? r.accessibility[lang] : null,
    colocatedWith: (r.colocatedWith?.value ?? []).flatMap((id) => {
      const other = deps.registry.get(id);
      return other
        ? [{ id, name: other.record.name[lang], organization: other.record.organization }]
        : [];
    }),
    url: r.url ? r.url[lang] : null,
    mapUrl: mapUrl(o),
  };
}

/** Upcoming outreach visits near a point, nearest first, then soonest. */
export function upcomingVisits(
  deps: Pick<AnswerDeps, 'registry' | 'now'>,
  snapshot: RankContext['snapshot'],
  origin: Point,
  opts: { serviceId?: string; days: number; radiusKm: number; limit: number },
): { visit: Visit; office: Office; km: number }[] {
  const nowMs = deps.now.getTime();
  const horizon = nowMs + opts.days * 86_400_000;
  const out: { visit: Visit; office: Office; km: number }[] = [];
  for (const visit of snapshot.visits) {
    if (visit.endsMs <= nowMs || visit.startsMs > horizon) continue;
    if (opts.serviceId && !visit.services.includes(opts.serviceId)) continue;
    const office = deps.registry.get(visit.siteId);
    if (!office) continue;
    const km = distanceKm(origin, office);
    if (km <= opts.radiusKm) out.push({ visit, office, km });
  }
  return out
    .sort(
      (a, b) => Math.round(a.km / 5) - Math.round(b.km / 5) || a.visit.startsMs - b.visit.startsMs,
    )
    .slice(0, opts.limit);
}

/**
 * Where to get a service near a point: the online link first when the whole service can be done
 * online, then the offices that will serve the person soonest, nearer offices left out with why, and
 * upcoming outreach visits nearby (for communities without an office).
 */
export function nearestOffices(
  deps: AnswerDeps,
  query: {
    service: ServiceRecord;
    origin: Point & { label: string };
    lang: Language;
    limit: number;
    outreachRadiusKm?: number;
  },
): NearestAnswer {
  const { service, origin, lang, limit } = query;
  // In-memory copies, refreshed in the background: answering never waits on the database.
  const snapshot = deps.outreach.snapshot();
  const ranking = rankOffices(service.id, origin, limit, { ...deps, snapshot });
  const visits = upcomingVisits(deps, snapshot, origin, {
    serviceId: service.id,
    days: 60,
    radiusKm: query.outreachRadiusKm ?? 150,
    limit,
  });
  const inPerson = deps.registry.officesFor(service.id).length > 0;
  const offices = ranking.offices.map((c) => officeAnswer(c, service.id, lang, deps, snapshot));
  const nearestKm = offices.length ? Math.min(...offices.map((o) => o.distanceKm)) : Infinity;
  return {
    language: lang,
    service: { id: service.id, name: service.name[lang] },
    origin: { lat: origin.lat, lon: origin.lon, label: origin.label },
    at: isoLocal(deps.now),
    online: service.online && service.links[0] ? { url: service.links[0].url[lang] } : null,
    offices,
    excluded: ranking.excluded.map((c) => officeAnswer(c, service.id, lang, deps, snapshot)),
    outreach: visits.map((v) => visitAnswer(v.visit, v.office, lang, deps, origin)),
    outreachSites: localSites(
      deps,
      service.id,
      origin,
      nearestKm,
      new Set(visits.map((v) => v.office.id)),
      lang,
    ),
    remote:
      nearestKm > REMOTE_OFFICE_KM && nearestKm !== Infinity && origin.lat >= NORTH_LATITUDE
        ? {
            code: 'remote',
            message: deps.t(lang, 'offices:reason.remote', { km: Math.round(nearestKm) }),
          }
        : null,
    notInPerson: inPerson
      ? null
      : {
          code: 'not_in_person',
          message: deps.t(lang, 'offices:reason.notInPerson', { service: service.name[lang] }),
        },
    serviceNote: deps.registry.selectNote(service.id)?.note[lang] ?? null,
    sameTown: sharedPoints(offices),
  };
}

/**
 * Outreach sites (offices open only during visits) that deliver the service within `LOCAL_SITE_KM` of
 * the person, nearer than every listed office, and have no upcoming visit in the answer: the person
 * is told the site exists and whom to ask for its next visit, rather than only a far office.
 */
function localSites(
  deps: AnswerDeps,
  serviceId: string,
  origin: Point,
  nearestKm: number,
  visited: ReadonlySet<string>,
  lang: Language,
): OutreachSiteAnswer[] {
  return deps.registry
    .officesFor(serviceId)
    .filter((o) => o.schedule === null && !visited.has(o.id))
    .map((office) => ({ office, km: distanceKm(origin, office) }))
    .filter((s) => s.km <= LOCAL_SITE_KM && s.km < nearestKm)
    .sort((a, b) => a.km - b.km)
    .slice(0, 2)
    .map(({ office, km }) => {
      const url = office.record.url ? office.record.url[lang] : null;
      const name = office.record.name[lang];
      const address = addressOf(office, lang);
      const { organization } = office.record;
      const key = `offices:outreachSite.${organization}${url ? '' : 'NoPage'}`;
      return {
        id: office.id,
        name,
        organization,
        address,
        distanceKm: round1(km),
        url,
        message: deps.t(lang, key, { site: name, address, url }),
      };
    });
}

/** Groups of listed offices placed at one approximate point (their town's centre), in listed order. */
export function sharedPoints(offices: readonly OfficeAnswer[]): NearestAnswer['sameTown'] {
  return sharedPointGroups(offices, (o) => (o.approximateLocation ? o : null)).map((g) => ({
    town: g[0].town,
    officeIds: g.map((o) => o.id),
  }));
}
