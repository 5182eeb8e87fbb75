import type { Server } from 'restify';
import { AppError, notFound } from '../../lib/errors';
import { upcomingVisits, visitAnswer } from '../../knowledge/offices/answer';
import { DuplicateVisitError, NewClosure, NewVisit } from '../../knowledge/offices/outreach-store';
import type { OfficeOrganization } from '../../knowledge/offices/schema';
import { isoLocal, localTime, parseHhmm } from '../../knowledge/offices/time';
import type { Language } from '../../knowledge/schema';
import { requireStaff } from '../auth/require-staff';
import type { StaffIdentity } from '../auth/token-store';
import { queryString, requestLanguage, route } from '../http';
import { parseLang } from './lookup';
import {
  Fields,
  limitParam,
  nearParam,
  OfficeRouteDeps,
  officeParam,
  serviceParam,
} from './offices-input';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const MAX_DAYS_AHEAD = 731;

/** Checks one visit (from the API or a CSV row) and resolves its services. */
export function parseVisit(
  deps: OfficeRouteDeps,
  fields: Fields,
  raw: unknown,
  staff: Pick<StaffIdentity, 'role' | 'org'>,
  now: Date,
): NewVisit {
  const body = fields.object(raw, ['site', 'date', 'start', 'end', 'services', 'note']);
  if (typeof body.site !== 'string') throw fields.invalid('site', 'office');
  const site = officeParam(deps.finder, body.site, 400);
  const today = localTime(now).date;
  const date = body.date;
  if (
    typeof date !== 'string' ||
    !DATE.test(date) ||
    Number.isNaN(Date.parse(date)) ||
    date < today
  )
    throw fields.invalid('date', 'date');
  if ((Date.parse(date) - Date.parse(today)) / 86_400_000 > MAX_DAYS_AHEAD)
    throw fields.invalid('date', 'date');
  if (typeof body.start !== 'string' || !HHMM.test(body.start))
    throw fields.invalid('start', 'hhmm');
  if (typeof body.end !== 'string' || !HHMM.test(body.end) || body.end <= body.start)
    throw fields.invalid('end', 'endAfterStart');
  const organization: OfficeOrganization =
    staff.role === 'admin' ? site.record.organization : staff.org;
  let services: string[];
  if (body.services === undefined) {
    // By default a visit offers what its organization's outreach (or centres) offer.
    services = [
      ...(deps.finder.registry.typeServices.get(
        organization === 'service-canada' ? 'service-canada-outreach' : 'serviceontario',
      ) ?? []),
    ];
  } else {
    if (!Array.isArray(body.services) || body.services.length === 0 || body.services.length > 60)
      throw fields.invalid('services', 'services');
    services = body.services.map((s) => {
      if (typeof s !== 'string') throw fields.invalid('services', 'services');
      return serviceParam(deps.repo, s, 'services').id;
    });
  }
  const note = body.note === undefined ? null : fields.bilingual(body.note, 'note');
  return {
    siteId: site.id,
    organization,
    date,
    startMin: parseHhmm(body.start),
    endMin: parseHhmm(body.end),
    services: [...new Set(services)].sort(),
    note,
  };
}

/** Checks one closure (from the API or a CSV row); area `near` is geocoded. */
export function parseClosure(
  deps: OfficeRouteDeps,
  fields: Fields,
  raw: unknown,
  staff: Pick<StaffIdentity, 'role' | 'org'>,
  now: Date,
): NewClosure {
  const body = fields.object(raw, ['office', 'area', 'reason', 'from', 'until']);
  if ((body.office === undefined) === (body.area === undefined))
    throw fields.invalid('office/area', 'officeOrArea');
  let officeId: string | null = null;
  let area: NewClosure['area'] = null;
  if (body.office !== undefined) {
    if (typeof body.office !== 'string') throw fields.invalid('office', 'office');
    const office = officeParam(deps.finder, body.office, 400);
    if (staff.role !== 'admin' && staff.org !== office.record.organization) {
      throw new AppError(403, 'wrong_organization', 'wrongOrganization', {
        org: staff.org,
        office: office.record.organization,
      });
    }
    officeId = office.id;
  } else {
    const a = body.area as {
      near?: unknown;
      lat?: unknown;
      lon?: unknown;
      radiusKm?: unknown;
    } | null;
    if (
      !a ||
      typeof a !== 'object' ||
      typeof a.radiusKm !== 'number' ||
      !(a.radiusKm >= 0.1 && a.radiusKm <= 500)
    )
      throw fields.invalid('area', 'area');
    if (typeof a.near === 'string') {
      const origin = nearParam(deps.finder, a.near);
      area = { lat: origin.lat, lon: origin.lon, radiusKm: a.radiusKm, label: origin.label };
    } else if (
      typeof a.lat === 'number' &&
      typeof a.lon === 'number' &&
      Math.abs(a.lat) <= 90 &&
      Math.abs(a.lon) <= 180
    ) {
      area = { lat: a.lat, lon: a.lon, radiusKm: a.radiusKm, label: null };
    } else throw fields.invalid('area', 'area');
  }
  const reason = fields.bilingual(body.reason, 'reason');
  const from = body.from === undefined ? now : fields.time(body.from, 'from');
  const until =
    body.until === undefined || body.until === null
      ? null
      : fields.time(body.until, 'until', 'untilAfterFrom');
  if (until && (until <= from || until <= now)) throw fields.invalid('until', 'untilAfterFrom');
  return { officeId, area, from, until, reason };
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
      const visit = parseVisit(deps, new Fields(deps.i18n, lang), req.body, staff, now);
      try {
        const [saved] = finder.outreach.addVisits([{ ...visit, createdBy: staff.tokenId }], now);
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
      if (!finder.outreach.cancelVisit(id, deps.clock()))
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
      const closure = parseClosure(deps, new Fields(deps.i18n, lang), req.body, staff, now);
      const [saved] = finder.outreach.addClosures([{ ...closure, createdBy: staff.tokenId }], now);
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
      if (!finder.outreach.liftClosure(id, deps.clock()))
        throw notFound('unknown_closure', 'unknownClosure', { id: id.slice(0, 80) });
      res.send(204);
    }),
  );
}
