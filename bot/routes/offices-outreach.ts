import type { Server } from 'restify';
import { z } from 'zod';
import { AppError, notFound } from '../../lib/errors';
import { check, parseOrThrow, problem, within } from '../../lib/validation';
import { upcomingVisits, visitAnswer } from '../../knowledge/offices/answer';
import { DuplicateVisitError, NewClosure, NewVisit } from '../../knowledge/offices/outreach-store';
import type { Organization } from '../../lib/vocabulary';
import { isoLocal, localTime, parseHhmm } from '../../knowledge/offices/time';
import type { Language } from '../../knowledge/schema';
import { requireStaff } from '../auth/require-staff';
import type { StaffIdentity } from '../auth/token-store';
import { queryString, requestLanguage, route } from '../http';
import { parseLang } from './lookup';
import {
  bilingual,
  body,
  invalid,
  isoTime,
  limitParam,
  nearParam,
  office,
  officeInputError,
  OfficeRouteDeps,
  place,
  service,
  serviceParam,
} from './offices-input';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const MAX_DAYS_AHEAD = 731;
const MAX_SERVICES = 60;

type Staff = Pick<StaffIdentity, 'role' | 'org'>;

/** A time HH:MM, after `after` when given. */
const hhmm = (expect: string, after: unknown = '') =>
  check<string>((v, ctx) =>
    typeof v === 'string' && HHMM.test(v) && v > (typeof after === 'string' ? after : '')
      ? v
      : invalid(ctx, expect),
  );

/** A list of catalogue service ids (each a service, not a bundle). */
const serviceList = (deps: OfficeRouteDeps) =>
  check<string[]>((v, ctx) => {
    if (!Array.isArray(v) || v.length === 0 || v.length > MAX_SERVICES)
      return invalid(ctx, 'services');
    const ids: string[] = [];
    for (const id of v) {
      if (typeof id !== 'string') return invalid(ctx, 'services');
      const record = within(service(deps.repo, 'services'), id, ctx);
      if (!record) return undefined;
      ids.push(record.id);
    }
    return ids;
  });

/** A visit's fields, in the order their problems are answered. */
function visitSchema(deps: OfficeRouteDeps, now: Date) {
  const today = localTime(now).date;
  return body(['site', 'date', 'start', 'end', 'services', 'note'], (raw) =>
    z.object({
      site: office(deps.finder),
      date: check<string>((v, ctx) =>
        typeof v === 'string' &&
        DATE.test(v) &&
        !Number.isNaN(Date.parse(v)) &&
        v >= today &&
        (Date.parse(v) - Date.parse(today)) / 86_400_000 <= MAX_DAYS_AHEAD
          ? v
          : invalid(ctx, 'date'),
      ),
      start: hhmm('hhmm'),
      // Compared with the start as sent: when the start is wrong, its own problem comes first.
      end: hhmm('endAfterStart', raw.start),
      services: check((v, ctx) => (v === undefined ? null : within(serviceList(deps), v, ctx))),
      note: check((v, ctx) => (v === undefined ? null : within(bilingual, v, ctx))),
    }),
  );
}

/** Checks one visit (from the API or a CSV row) and resolves its services; throws the first problem. */
export function parseVisit(
  deps: OfficeRouteDeps,
  lang: Language,
  raw: unknown,
  staff: Staff,
  now: Date,
): NewVisit {
  const v = parseOrThrow(visitSchema(deps, now), raw, officeInputError(deps.i18n, lang));
  const organization: Organization =
    staff.role === 'admin' ? v.site.record.organization : staff.org;
  // By default a visit offers what its organization's outreach (or centres) offer.
  const services = v.services ?? [
    ...(deps.finder.registry.typeServices.get(
      organization === 'service-canada' ? 'service-canada-outreach' : 'serviceontario',
    ) ?? []),
  ];
  return {
    siteId: v.site.id,
    organization,
    date: v.date,
    startMin: parseHhmm(v.start),
    endMin: parseHhmm(v.end),
    services: [...new Set(services)].sort(),
    note: v.note,
  };
}

/** An office the staff member's organization runs (403 for another's). */
const ownOffice = (deps: OfficeRouteDeps, staff: Staff) =>
  check((v, ctx) => {
    const found = within(office(deps.finder), v, ctx);
    if (!found) return undefined;
    if (staff.role !== 'admin' && staff.org !== found.record.organization)
      return problem(ctx, 'wrong_organization', {
        org: staff.org,
        office: found.record.organization,
      });
    return found.id;
  });

/** A circle around a place (geocoded) or a point, with a radius from 0.1 to 500 km. */
const area = (deps: OfficeRouteDeps) =>
  check<NonNullable<NewClosure['area']>>((v, ctx) => {
    const a = v as { near?: unknown; lat?: unknown; lon?: unknown; radiusKm?: unknown } | null;
    if (
      !a ||
      typeof a !== 'object' ||
      typeof a.radiusKm !== 'number' ||
      !(a.radiusKm >= 0.1 && a.radiusKm <= 500)
    )
      return invalid(ctx, 'area');
    if (typeof a.near === 'string') {
      const origin = within(place(deps.finder), a.near, ctx);
      return (
        origin && { lat: origin.lat, lon: origin.lon, radiusKm: a.radiusKm, label: origin.label }
      );
    }
    if (
      typeof a.lat === 'number' &&
      typeof a.lon === 'number' &&
      Math.abs(a.lat) <= 90 &&
      Math.abs(a.lon) <= 180
    )
      return { lat: a.lat, lon: a.lon, radiusKm: a.radiusKm, label: null };
    return invalid(ctx, 'area');
  });

/** A closure's fields, in the order their problems are answered: an office or an area, first. */
function closureSchema(deps: OfficeRouteDeps, staff: Staff, now: Date) {
  const fields = z
    .object({
      office: check((v, ctx) => (v === undefined ? null : within(ownOffice(deps, staff), v, ctx))),
      area: check((v, ctx) => (v === undefined ? null : within(area(deps), v, ctx))),
      reason: bilingual,
      from: check((v, ctx) => (v === undefined ? now : within(isoTime('futureTime'), v, ctx))),
      until: check((v, ctx) =>
        v === undefined || v === null ? null : within(isoTime('untilAfterFrom'), v, ctx),
      ),
    })
    .superRefine(({ from, until }, ctx) => {
      if (from && until && (until <= from || until <= now))
        invalid(ctx, 'untilAfterFrom', ['until']);
    });
  return body(['office', 'area', 'reason', 'from', 'until'], (raw) =>
    (raw.office === undefined) === (raw.area === undefined)
      ? check<z.output<typeof fields>>((_, ctx) => invalid(ctx, 'officeOrArea', ['office/area']))
      : fields,
  );
}

/** Checks one closure (from the API or a CSV row); area `near` is geocoded; throws the first problem. */
export function parseClosure(
  deps: OfficeRouteDeps,
  lang: Language,
  raw: unknown,
  staff: Staff,
  now: Date,
): NewClosure {
  const c = parseOrThrow(closureSchema(deps, staff, now), raw, officeInputError(deps.i18n, lang));
  return { officeId: c.office, area: c.area, from: c.from, until: c.until, reason: c.reason };
}

function closureJson(
  c: {
    id: string;
    officeId: string | null;
    area: unknown;
    fromMs: number;
    untilMs: number | null;
    reason: { en: string; fr: string };
  },
  lang: Language,
) {
  return {
    id: c.id,
    office: c.officeId,
    area: c.area,
    from: isoLocal(new Date(c.fromMs)),
    until: c.untilMs === null ? null : isoLocal(new Date(c.untilMs)),
    reason: c.reason[lang],
    reasons: c.reason,
  };
}

export function registerOutreachRoutes(server: Server, deps: OfficeRouteDeps): void {
  const { finder } = deps;

  server.get(
    '/api/outreach',
    route(deps, async (req, res) => {
      const lang = parseLang(queryString(req, 'lang')) ?? requestLanguage(req);
      const origin = nearParam(finder, queryString(req, 'near'));
      const serviceQ = queryString(req, 'service');
      const serviceId = serviceQ === undefined ? undefined : serviceParam(deps.repo, serviceQ).id;
      const limit = limitParam(queryString(req, 'limit'), 10, 100);
      const days = limitParam(queryString(req, 'days'), 90, 731);
      const radiusKm = limitParam(queryString(req, 'radiusKm'), 150, 2000);
      const now = deps.clock();
      const visits = upcomingVisits(
        { registry: finder.registry, now },
        finder.outreach.snapshot(),
        origin,
        { serviceId, days, radiusKm, limit },
      );
      res.send(200, {
        origin,
        language: lang,
        at: isoLocal(now),
        visits: visits.map((v) =>
          visitAnswer(v.visit, v.office, lang, { registry: finder.registry }, origin),
        ),
      });
    }),
  );

  server.post(
    '/api/outreach/visits',
    route(deps, async (req, res) => {
      const staff = await requireStaff(deps.tokens, req, ['office']);
      const lang = requestLanguage(req);
      const now = deps.clock();
      const visit = parseVisit(deps, lang, req.body, staff, now);
      try {
        const [saved] = await finder.outreach.addVisits(
          [{ ...visit, createdBy: staff.tokenId }],
          now,
        );
        res.send(
          201,
          visitAnswer(
            saved,
            finder.registry.get(saved.siteId)!,
            lang,
            { registry: finder.registry },
            null,
          ),
        );
      } catch (err) {
        if (err instanceof DuplicateVisitError)
          throw new AppError(409, 'visit_exists', 'visitExists', {
            site: visit.siteId,
            date: visit.date,
            start: req.body.start,
          });
        throw err;
      }
    }),
  );

  server.del(
    '/api/outreach/visits/:id',
    route(deps, async (req, res) => {
      await requireStaff(deps.tokens, req, ['office']);
      const id = String(req.params.id ?? '');
      if (!(await finder.outreach.cancelVisit(id, deps.clock())))
        throw notFound('unknown_visit', 'unknownVisit', { id: id.slice(0, 80) });
      res.send(204);
    }),
  );

  server.get(
    '/api/closures',
    route(deps, async (req, res) => {
      const lang = parseLang(queryString(req, 'lang')) ?? requestLanguage(req);
      res.send(200, {
        closures: finder.outreach.activeClosures(deps.clock()).map((c) => closureJson(c, lang)),
      });
    }),
  );

  server.post(
    '/api/closures',
    route(deps, async (req, res) => {
      const staff = await requireStaff(deps.tokens, req, ['office']);
      const lang = requestLanguage(req);
      const now = deps.clock();
      const closure = parseClosure(deps, lang, req.body, staff, now);
      const [saved] = await finder.outreach.addClosures(
        [{ ...closure, createdBy: staff.tokenId }],
        now,
      );
      deps.logger.info('office closure added', {
        closure: saved.id,
        office: saved.officeId,
        area: saved.area ? saved.area.label : null,
      });
      res.send(201, closureJson(saved, lang));
    }),
  );

  server.del(
    '/api/closures/:id',
    route(deps, async (req, res) => {
      await requireStaff(deps.tokens, req, ['office']);
      const id = String(req.params.id ?? '');
      if (!(await finder.outreach.liftClosure(id, deps.clock())))
        throw notFound('unknown_closure', 'unknownClosure', { id: id.slice(0, 80) });
      res.send(204);
    }),
  );
}
