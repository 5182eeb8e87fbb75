import { openDatabase } from '../../lib/db';
import { AppError } from '../../lib/errors';
import { createI18n } from '../../lib/i18n';
import { createLogger } from '../../lib/logger';
import { loadKnowledge } from '../../knowledge/load';
import type { OfficeFinder } from '../../knowledge/offices/index';
import { officeFinder } from '../helpers/offices';
import { KnowledgeRepository } from '../../knowledge/repository';
import { parseWaitReport } from '../../bot/routes/offices';
import { OfficeRouteDeps } from '../../bot/routes/offices-input';
import { parseClosure, parseVisit } from '../../bot/routes/offices-outreach';
import type { TokenStore } from '../../bot/auth/token-store';

// Tuesday 11 March 2025, 10:00 in Toronto.
const NOW = new Date('2025-03-11T10:00:00-04:00');
const kb = loadKnowledge();
const db = openDatabase(':memory:');
const repo = new KnowledgeRepository(db);
repo.seed(kb);
const i18n = createI18n();
let finder: OfficeFinder;
let deps: OfficeRouteDeps;
beforeAll(async () => {
  finder = await officeFinder();
  deps = {
    i18n,
    logger: createLogger('silent'),
    repo,
    tokens: null as unknown as TokenStore,
    finder,
    freshMinutes: 60,
    clock: () => NOW,
  };
});
const sc = { role: 'office', org: 'service-canada' } as const;
const so = { role: 'office', org: 'serviceontario' } as const;

/** The error a parse throws, as the route answers it. */
function refusal(parse: () => unknown, lang: 'en' | 'fr' = 'en') {
  try {
    parse();
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    const message = i18n.t(lang, `errors:${err.messageKey}`, err.params);
    return {
      status: err.status,
      code: err.code,
      params: err.params,
      details: err.details,
      message,
    };
  }
  throw new Error('accepted');
}
const expected = (key: string, lang: 'en' | 'fr' = 'en') => i18n.t(lang, `offices:expect.${key}`);
const visit = (o: Record<string, unknown> = {}) => ({
  site: 'sc-outreach-wawa',
  date: '2025-04-02',
  start: '09:00',
  end: '10:00',
  ...o,
});

describe('office inputs answer the first problem, in field order', () => {
  it.each<[string, unknown, Record<string, unknown>]>([
    [
      'a body that is not an object',
      [],
      { code: 'invalid_field', params: { field: 'body', expected: expected('object') } },
    ],
    [
      'unknown fields before any other problem',
      { colour: 'red', site: 'nowhere' },
      { code: 'unknown_fields', params: { fields: 'colour' } },
    ],
    [
      'an unknown site before a bad date',
      visit({ site: 'nowhere', date: 'x' }),
      { status: 400, code: 'unknown_office', params: { id: 'nowhere' } },
    ],
    [
      'a bad start before an end that is not after it',
      visit({ start: '9h', end: '08:00' }),
      { code: 'invalid_field', params: { field: 'start', expected: expected('hhmm') } },
    ],
    [
      'an end not after the start before bad services',
      visit({ start: '11:00', services: [5] }),
      { code: 'invalid_field', params: { field: 'end', expected: expected('endAfterStart') } },
    ],
    [
      'a service that is not a string',
      visit({ services: ['sin', 5] }),
      { code: 'invalid_field', params: { field: 'services', expected: expected('services') } },
    ],
    [
      'an unknown service, named with its field',
      visit({ services: ['sin', 'bogus', ''] }),
      { code: 'unknown_service', params: { id: 'bogus', field: 'services' } },
    ],
    [
      'a blank service',
      visit({ services: ['', 'bogus'] }),
      { code: 'missing_service', params: {} },
    ],
  ])('visit: %s', (_what, body, answer) => {
    expect(refusal(() => parseVisit(deps, 'en', body, sc, NOW))).toMatchObject(answer);
  });

  it('says what a field expects in the request language', () => {
    expect(
      refusal(() => parseVisit(deps, 'fr', visit({ start: '9h' }), sc, NOW), 'fr').message,
    ).toBe('start est absent ou invalide : une heure HH:MM (sur 24 heures).');
    expect(
      refusal(() => parseVisit(deps, 'en', visit({ note: { en: 'x' } }), sc, NOW)).message,
    ).toBe(`note is missing or invalid: ${expected('bilingual')}`);
  });

  it("reads a visit: the organization's default services, sorted, without duplicates", () => {
    const v = parseVisit(deps, 'en', visit({ services: ['sin', 'oas', 'sin'] }), sc, NOW);
    expect(v).toMatchObject({
      siteId: 'sc-outreach-wawa',
      organization: 'service-canada',
      date: '2025-04-02',
      startMin: 540,
      endMin: 600,
      services: ['oas', 'sin'],
      note: null,
    });
    const byDefault = parseVisit(deps, 'en', visit(), sc, NOW);
    expect(byDefault.services.length).toBeGreaterThan(0);
    expect(byDefault.services).toEqual([...byDefault.services].sort());
  });

  it.each<[string, unknown, Record<string, unknown>]>([
    [
      'both an office and an area',
      { office: 'sc-timmins', area: { near: 'P7B', radiusKm: 4 } },
      {
        code: 'invalid_field',
        params: { field: 'office/area', expected: expected('officeOrArea') },
      },
    ],
    [
      "another organization's office before a bad reason (403)",
      { office: 'so-kingston-12180', reason: { en: 'x' } },
      {
        status: 403,
        code: 'wrong_organization',
        params: { org: 'service-canada', office: 'serviceontario' },
      },
    ],
    [
      'an ambiguous place, with what was understood beside the message',
      { area: { near: 'Richmond', radiusKm: 4 }, reason: { en: 'x', fr: 'x' } },
      {
        code: 'ambiguous_place',
        params: { near: 'Richmond' },
        details: { understood: expect.any(Array) },
      },
    ],
    [
      'a bad start before a bad end',
      { office: 'sc-timmins', reason: { en: 'x', fr: 'x' }, from: 'x', until: 'y' },
      { code: 'invalid_field', params: { field: 'from', expected: expected('futureTime') } },
    ],
    [
      'an end before the start',
      {
        office: 'sc-timmins',
        reason: { en: 'x', fr: 'x' },
        from: '2025-03-11T12:00:00-04:00',
        until: '2025-03-11T11:00:00-04:00',
      },
      { code: 'invalid_field', params: { field: 'until', expected: expected('untilAfterFrom') } },
    ],
  ])('closure: %s', (_what, body, answer) => {
    expect(refusal(() => parseClosure(deps, 'en', body, sc, NOW))).toMatchObject(answer);
  });

  it('reads a closure of an area around a postal code, from now on', () => {
    const c = parseClosure(
      deps,
      'en',
      { area: { near: 'P7B', radiusKm: 40 }, reason: { en: ' Storm ', fr: 'Tempête' } },
      so,
      NOW,
    );
    expect(c).toMatchObject({
      officeId: null,
      area: { radiusKm: 40, label: expect.stringContaining('P7B') },
      from: NOW,
      until: null,
      reason: { en: 'Storm', fr: 'Tempête' },
    });
  });

  it.each<[string, unknown, Record<string, unknown>]>([
    [
      'bad minutes before an unknown service',
      { minutes: 2.5, service: 'bogus' },
      { code: 'invalid_field', params: { field: 'minutes', expected: expected('minutes') } },
    ],
    [
      'an observation ahead of the clock',
      { minutes: 5, observedAt: '2025-03-11T10:06:00-04:00' },
      { code: 'invalid_field', params: { field: 'observedAt', expected: expected('time') } },
    ],
    [
      'a service the office does not offer',
      { minutes: 5, service: 'passport' },
      {
        code: 'service_not_at_office',
        params: { office: 'so-kingston-12180', service: 'passport' },
      },
    ],
  ])('wait report: %s', (_what, body, answer) => {
    const office = finder.registry.get('so-kingston-12180')!;
    expect(refusal(() => parseWaitReport(deps, office, 'en', body, NOW))).toMatchObject(answer);
  });
});
