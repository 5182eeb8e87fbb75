import type { Server } from 'restify';
import { AppError, badRequest } from '../../lib/errors';
import { nearestOffices } from '../../knowledge/offices/answer';
import { requireStaff } from '../auth/require-staff';
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
import { registerOutreachRoutes } from './offices-outreach';

export type { OfficeRouteDeps };

export const DEFAULT_OFFICES = 3;
export const MAX_OFFICES = 20;
/** A report may be backdated this far (a late upload of a paper log), not more. */
const MAX_REPORT_AGE_MS = 30 * 86_400_000;
/** Clock skew tolerated on observedAt. */
const FUTURE_SKEW_MS = 5 * 60_000;

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
      const fields = new Fields(deps.i18n, requestLanguage(req));
      const office = officeParam(finder, String(req.params.id ?? ''));
      if (staff.role !== 'admin' && staff.org !== office.record.organization) {
        throw new AppError(403, 'wrong_organization', 'wrongOrganization', {
          org: staff.org,
          office: office.record.organization,
        });
      }
      const body = fields.object(req.body, ['minutes', 'observedAt', 'service']);
      const minutes = body.minutes;
      if (
        typeof minutes !== 'number' ||
        !Number.isInteger(minutes) ||
        minutes < 0 ||
        minutes > 1440
      )
        throw fields.invalid('minutes', 'minutes');
      const now = deps.clock();
      let observedAt = now;
      if (body.observedAt !== undefined) {
        observedAt = fields.time(body.observedAt, 'observedAt', 'time');
        const age = now.getTime() - observedAt.getTime();
        if (age < -FUTURE_SKEW_MS || age > MAX_REPORT_AGE_MS)
          throw fields.invalid('observedAt', 'time');
      }
      let serviceId: string | null = null;
      if (body.service !== undefined) {
        if (typeof body.service !== 'string') throw fields.invalid('service', 'service');
        serviceId = serviceParam(deps.repo, body.service).id;
        if (!office.services.has(serviceId))
          throw badRequest('service_not_at_office', 'serviceNotAtOffice', {
            office: office.id,
            service: serviceId,
          });
      }
      finder.waits.record(
        {
          officeId: office.id,
          serviceId,
          minutes,
          observedAt,
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
      res.send(200, { office: office.id, reports: finder.waits.history(office.id, limit) });
    }),
  );

  registerOutreachRoutes(server, deps);
}
