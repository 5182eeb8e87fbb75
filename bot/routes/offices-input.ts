import type { Request } from 'restify';
import { z } from 'zod';
import { AppError, badRequest } from '../../lib/errors';
import type { I18n } from '../../lib/i18n';
import type { Logger } from '../../lib/logger';
import { check, errorTable, parseOrThrow, Problem, problem, within } from '../../lib/validation';
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

// The office routes answer one error: the first problem of their input, in field order. Besides
// `invalid_field` (the field, and what it expects in the request language), each problem code
// answers with its message key in errors.json.
const officeError = errorTable({
  unknown_fields: 'unknownFields',
  unknown_office: 'unknownOffice',
  wrong_organization: { key: 'wrongOrganization', status: 403 },
  missing_service: 'missingService',
  unknown_service: 'unknownService',
  not_a_service: 'notAService',
  service_not_at_office: 'serviceNotAtOffice',
  missing_near: 'missingNear',
  near_too_long: 'nearTooLong',
  bad_limit: 'badLimit',
  // What was understood goes beside the message, so the person (or the agent) can see why.
  ...Object.fromEntries(
    Object.entries(GEOCODE_ERRORS).map(([code, key]) => [code, { key, details: ['understood'] }]),
  ),
});

/** The first problem of an office input as its 400 (or 403), messages in `lang`. */
export function officeInputError(i18n: I18n, lang: Language) {
  return (p: Problem): AppError =>
    p.code === 'invalid_field'
      ? badRequest('invalid_field', 'invalidField', {
          field: p.path,
          expected: i18n.t(lang, `offices:expect.${String(p.params?.expect)}`),
        })
      : officeError(p);
}

/** Records that the field is missing or invalid; `expect` names what it takes (offices:expect.*). */
export const invalid = (ctx: z.RefinementCtx, expect: string, path: string[] = []) =>
  problem(ctx, 'invalid_field', { expect }, path);

type Body = Record<string, unknown>;

/**
 * A JSON object of the `allowed` fields (nothing else), read by `schema(body)`: built from the body
 * when one field's rule reads another.
 */
export function body<T>(
  allowed: readonly string[],
  schema: (body: Body) => z.ZodType<T, z.ZodTypeDef, unknown>,
) {
  return check<T>((v, ctx) => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return invalid(ctx, 'object', ['body']);
    const unknown = Object.keys(v).filter((k) => !allowed.includes(k));
    if (unknown.length)
      return problem(ctx, 'unknown_fields', {
        fields: unknown.map((k) => k.slice(0, 40)).join(', '),
      });
    return within(schema(v as Body), v, ctx);
  });
}

/** An ISO 8601 time with an offset. */
export const isoTime = (expect: string) =>
  check<Date>((v, ctx) =>
    typeof v === 'string' && ISO_WITH_OFFSET.test(v) && !Number.isNaN(Date.parse(v))
      ? new Date(v)
      : invalid(ctx, expect),
  );

/** A text in both languages, each at most 500 characters; it reads trimmed. */
export const bilingual = check<{ en: string; fr: string }>((v, ctx) => {
  const t = v as { en?: unknown; fr?: unknown } | null;
  const ok = (s: unknown): s is string =>
    typeof s === 'string' && s.trim().length > 0 && s.length <= 500;
  if (
    !t ||
    typeof t !== 'object' ||
    !ok(t.en) ||
    !ok(t.fr) ||
    Object.keys(t).some((k) => k !== 'en' && k !== 'fr')
  )
    return invalid(ctx, 'bilingual');
  return { en: t.en.trim(), fr: t.fr.trim() };
});

/** A service of the catalogue by id (not a bundle: the input names a service). */
export const service = (repo: KnowledgeRepository, field = 'service') =>
  check<ServiceRecord>((v, ctx) => {
    if (typeof v !== 'string' || v.trim() === '') return problem(ctx, 'missing_service');
    const record = repo.get(v.trim());
    if (!record) return problem(ctx, 'unknown_service', { id: v.slice(0, 80), field });
    if (record.kind !== 'service') return problem(ctx, 'not_a_service', { id: record.id });
    return record;
  });

/** An office of the registry by id (in a body: a 400, not the 404 of an address). */
export const office = (finder: OfficeFinder) =>
  check<Office>((v, ctx) => {
    if (typeof v !== 'string') return invalid(ctx, 'office');
    return finder.registry.get(v) ?? problem(ctx, 'unknown_office', { id: v.slice(0, 80) });
  });

/** Where a place is: a postal code, a town or LAT,LON (the problem says why it cannot be placed). */
export const place = (finder: OfficeFinder) =>
  check<Origin>((v, ctx) => {
    if (typeof v !== 'string' || v.trim() === '') return problem(ctx, 'missing_near');
    if (v.length > MAX_NEAR_LENGTH) return problem(ctx, 'near_too_long', { max: MAX_NEAR_LENGTH });
    try {
      return finder.geocoder.geocode(v);
    } catch (err) {
      if (!(err instanceof GeocodeError)) throw err;
      const understood = err.candidates.map((c) => ({
        name: c.name,
        province: c.province || null,
      }));
      const places = understood
        .map((c) => (c.province ? `${c.name}, ${c.province}` : c.name))
        .join('; ');
      return problem(ctx, err.reason, {
        near: v.trim().slice(0, MAX_NEAR_LENGTH),
        places,
        ...(understood.length ? { understood } : {}),
      });
    }
  });

const limit = (fallback: number, max: number) =>
  check<number>((v, ctx) => {
    if (v === undefined) return fallback;
    const n = Number(v);
    return typeof v === 'string' && /^\d+$/.test(v) && n >= 1 && n <= max
      ? n
      : problem(ctx, 'bad_limit', { max });
  });

/** A service record by id from a query (400 when missing, unknown or a bundle). */
export function serviceParam(
  repo: KnowledgeRepository,
  id: string | undefined,
  field = 'service',
): ServiceRecord {
  return parseOrThrow(service(repo, field), id, officeError);
}

/** An office named by the address (404 when unknown). */
export function officeParam(finder: OfficeFinder, id: string): Office {
  const office = finder.registry.get(id);
  if (!office) throw new AppError(404, 'unknown_office', 'unknownOffice', { id: id.slice(0, 80) });
  return office;
}

/** Where `near` is (400 saying why when it cannot be placed). */
export function nearParam(finder: OfficeFinder, near: string | undefined): Origin {
  return parseOrThrow(place(finder), near, officeError);
}

export function limitParam(value: string | undefined, fallback: number, max: number): number {
  return parseOrThrow(limit(fallback, max), value, officeError);
}

export function bearerPresent(req: Request): boolean {
  return typeof req.headers.authorization === 'string';
}
