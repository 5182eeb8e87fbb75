import type { Server } from 'restify';
import { z } from 'zod';
import { AppError } from '../../lib/errors';
import { andThen, check, parseOrThrow, problem, within } from '../../lib/validation';
import { nearestOffices } from '../../knowledge/offices/answer';
import type { Office } from '../../knowledge/offices/registry';
import type { Language } from '../../knowledge/schema';
import { requireStaff } from '../auth/require-staff';
import { queryString, requestLanguage, route } from '../http';
import { parseLang } from './lookup';
import {
  body,
  invalid,
  isoTime,
  limitParam,
  nearParam,
  officeInputError,
  OfficeRouteDeps,
  officeParam,
  service,
  serviceParam,
} from './offices-input';
import { registerOutreachRoutes } from './offices-outreach';

export type { OfficeRouteDeps };

export const DEFAULT_OFFICES = 3;
export const MAX_OFFICES = 20;
/** A report may be backdated this far (a late upload of a paper log), not more. */
const MAX_REPORT_AGE_MS = 30 * 86_400_000;
/** Clock skew tolerated on observedAt. */
const FUTURE_SKEW_MS = 5 * 60_000;

/** A time with an offset, not in the future (beyond clock skew) nor older than a backdated report may be. */
const observedAt = (now: Date) =>
  andThen(isoTime('time'), (at, ctx) => {
    const age = now.getTime() - at.getTime();
    return age < -FUTURE_SKEW_MS || age > MAX_REPORT_AGE_MS ? invalid(ctx, 'time') : at;
  });

/** A wait report for `office`: minutes, when it was observed (now by default), for which service. */
function waitReportSchema(deps: OfficeRouteDeps, office: Office, now: Date) {
  return body(['minutes', 'observedAt', 'service'], () =>
    z.object({
      minutes: check<number>((v, ctx) =>
        typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 1440
          ? v
          : invalid(ctx, 'minutes'),
      ),
      observedAt: check<Date>((v, ctx) =>
        v === undefined ? now : within(observedAt(now), v, ctx),
      ),
      service: check<string | null>((v, ctx) => {
        if (v === undefined) return null;
        if (typeof v !== 'string') return invalid(ctx, 'service');
        const record = within(service(deps.repo), v, ctx);
        if (!record) return undefined;
        if (!office.services.has(record.id))
          return problem(ctx, 'service_not_at_office', { office: office.id, service: record.id });
        return record.id;
      }),
    }),
  );
}

/** Checks a wait report for `office`; throws the first problem. */
export function parseWaitReport(
  deps: OfficeRouteDeps,
  office: Office,
  lang: Language,
  raw: unknown,
  now: Date,
) {
  return parseOrThrow(waitReportSchema(deps, office, now), raw, officeInputError(deps.i18n, lang));
}

export function registerOfficeRoutes(server: Server, deps: OfficeRouteDeps): void {
  const { finder } = deps;

  server.get(
    '/api/offices/nearest',
    route(deps, async (req, res) => {
      const explicit = parseLang(queryString(req, 'lang'));
      const lang = explicit ?? requestLanguage(req);
      const service = serviceParam(deps.repo, queryString(req, 'service'));
      const origin = nearParam(finder, queryString(req, 'near'));
      const limit = limitParam(queryString(req, 'limit'), DEFAULT_OFFICES, MAX_OFFICES);
      const answer = nearestOffices(
        {
          registry: finder.registry,
          waits: finder.waits,
          outreach: finder.outreach,
          now: deps.clock(),
          freshMs: deps.freshMinutes * 60_000,
          t: deps.i18n.t,
        },
        { service, origin, lang, limit },
      );
      res.send(200, answer);
    }),
  );

  server.get(
    '/api/offices/:id',
    route(deps, async (req, res) => {
      const lang = parseLang(queryString(req, 'lang')) ?? requestLanguage(req);
      const office = officeParam(finder, String(req.params.id ?? ''));
      const r = office.record;
      res.send(200, {
        id: office.id,
        organization: r.organization,
        type: r.type,
        typeName: office.type.name[lang],
        category: r.category ?? null,
        name: r.name[lang],
        address: {
          street: r.address.street,
          town: lang === 'fr' ? r.address.townFr : r.address.town,
        },
        location: r.location,
        languages: r.languages?.value ?? null,
        services: [...office.services].sort(),
        hours: r.hours?.value ?? office.type.hours.value,
        holidays: office.calendar,
        typicalWaitMinutes: office.typicalWaitMinutes,
        colocatedWith: r.colocatedWith?.value ?? [],
        accessibility: r.accessibility ? r.accessibility[lang] : null,
        url: r.url ? r.url[lang] : null,
        record: r,
      });
    }),
  );

  server.put(
    '/api/offices/:id/wait',
    route(deps, async (req, res) => {
      const staff = await requireStaff(deps.tokens, req, ['office']);
      const office = officeParam(finder, String(req.params.id ?? ''));
      if (staff.role !== 'admin' && staff.org !== office.record.organization) {
        throw new AppError(403, 'wrong_organization', 'wrongOrganization', {
          org: staff.org,
          office: office.record.organization,
        });
      }
      const now = deps.clock();
      const report = parseWaitReport(deps, office, requestLanguage(req), req.body, now);
      await finder.waits.record(
        {
          officeId: office.id,
          serviceId: report.service,
          minutes: report.minutes,
          observedAt: report.observedAt,
          source: 'staff',
          reporter: staff.tokenId,
        },
        now,
      );
      res.send(204);
    }),
  );

  server.get(
    '/api/offices/:id/waits',
    route(deps, async (req, res) => {
      await requireStaff(deps.tokens, req, ['office', 'agent']);
      const office = officeParam(finder, String(req.params.id ?? ''));
      const limit = limitParam(queryString(req, 'limit'), 50, 500);
      res.send(200, { office: office.id, reports: await finder.waits.history(office.id, limit) });
    }),
  );

  registerOutreachRoutes(server, deps);
}
