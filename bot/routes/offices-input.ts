import type { Request } from 'restify';
import { AppError, badRequest } from '../../lib/errors';
import type { I18n } from '../../lib/i18n';
import type { Logger } from '../../lib/logger';
import type { StaffVerifier } from '../auth/authenticator';
import type { KnowledgeRepository } from '../../knowledge/repository';
import type { Language, ServiceRecord } from '../../knowledge/schema';
import { GeocodeError, Origin } from '../../knowledge/offices/geocode';
import type { OfficeFinder } from '../../knowledge/offices/index';
import type { Office } from '../../knowledge/offices/registry';

/** What the office routes are built from. */
export interface OfficeRouteDeps {
  i18n: I18n;
  logger: Logger;
  repo: KnowledgeRepository;
  tokens: StaffVerifier;
  finder: OfficeFinder;
  freshMinutes: number;
  clock: () => Date;
}

export const MAX_NEAR_LENGTH = 100;
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const GEOCODE_ERRORS: Record<GeocodeError['reason'], string> = {
  unplaceable: 'unplaceable',
  unknown_postal_code: 'unknownPostalCode',
  outside_canada: 'outsideCanada',
  bad_coordinates: 'badCoordinates',
  outside_ontario: 'outsideOntario',
  ambiguous_place: 'ambiguousPlace',
};

/** Builds 400s naming the field and, in the request language, what it expects. */
export class Fields {
  constructor(
    private readonly i18n: I18n,
    readonly lang: Language,
  ) {}

  invalid(field: string, expect: string): AppError {
    return badRequest('invalid_field', 'invalidField', {
      field,
      expected: this.i18n.t(this.lang, `offices:expect.${expect}`),
    });
  }

  object(body: unknown, allowed: readonly string[]): Record<string, unknown> {
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw this.invalid('body', 'object');
    const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
    if (unknown.length)
      throw badRequest('unknown_fields', 'unknownFields', {
        fields: unknown.map((k) => k.slice(0, 40)).join(', '),
      });
    return body as Record<string, unknown>;
  }

  /** An ISO 8601 time with an offset. */
  time(value: unknown, field: string, expect = 'futureTime'): Date {
    if (
      typeof value !== 'string' ||
      !ISO_WITH_OFFSET.test(value) ||
      Number.isNaN(Date.parse(value))
    )
      throw this.invalid(field, expect);
    return new Date(value);
  }

  bilingual(value: unknown, field: string): { en: string; fr: string } {
    const v = value as { en?: unknown; fr?: unknown } | null;
    const ok = (s: unknown) => typeof s === 'string' && s.trim().length > 0 && s.length <= 500;
    if (
      !v ||
      typeof v !== 'object' ||
      !ok(v.en) ||
      !ok(v.fr) ||
      Object.keys(v).some((k) => k !== 'en' && k !== 'fr')
    )
      throw this.invalid(field, 'bilingual');
    return { en: (v.en as string).trim(), fr: (v.fr as string).trim() };
  }
}

/** A service record by id (400 when unknown or a bundle: the query names a service). */
export function serviceParam(
  repo: KnowledgeRepository,
  id: string | undefined,
  field = 'service',
): ServiceRecord {
  if (id === undefined || id.trim() === '') throw badRequest('missing_service', 'missingService');
  const record = repo.get(id.trim());
  if (!record)
    throw badRequest('unknown_service', 'unknownService', { id: id.slice(0, 80), field });
  if (record.kind !== 'service')
    throw badRequest('not_a_service', 'notAService', { id: record.id });
  return record;
}

export function officeParam(finder: OfficeFinder, id: string, status: 400 | 404 = 404): Office {
  const office = finder.registry.get(id);
  if (!office)
    throw new AppError(status, 'unknown_office', 'unknownOffice', { id: id.slice(0, 80) });
  return office;
}

/** Where `near` is (400 saying why when it cannot be placed). */
export function nearParam(finder: OfficeFinder, near: string | undefined): Origin {
  if (near === undefined || near.trim() === '') throw badRequest('missing_near', 'missingNear');
  if (near.length > MAX_NEAR_LENGTH)
    throw badRequest('near_too_long', 'nearTooLong', { max: MAX_NEAR_LENGTH });
  try {
    return finder.geocoder.geocode(near);
  } catch (err) {
    if (err instanceof GeocodeError) {
      // What was understood, so the person (or the agent) can see why and send a postal code instead.
      const understood = err.candidates.map((c) => ({
        name: c.name,
        province: c.province || null,
      }));
      const places = understood
        .map((c) => (c.province ? `${c.name}, ${c.province}` : c.name))
        .join('; ');
      const params = { near: near.trim().slice(0, MAX_NEAR_LENGTH), places };
      throw new AppError(
        400,
        err.reason,
        GEOCODE_ERRORS[err.reason],
        params,
        understood.length ? { understood } : {},
      );
    }
    throw err;
  }
}

export function limitParam(value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > max) throw badRequest('bad_limit', 'badLimit', { max });
  return n;
}

export function bearerPresent(req: Request): boolean {
  return typeof req.headers.authorization === 'string';
}
