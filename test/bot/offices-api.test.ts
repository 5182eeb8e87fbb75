import { getJson, startTestApp, TestApp } from '../helpers/app';

// Tuesday 11 March 2025, 10:00 in Toronto.
const NOW = new Date('2025-03-11T10:00:00-04:00');

describe('office finder API', () => {
  let app: TestApp;
  let officeSo: string;
  let officeSc: string;
  let agent: string;
  const api = (p: string) => `${app.baseUrl}${p}`;
  const put = (p: string, body: unknown, token?: string) =>
    getJson(api(p), {
      method: 'PUT',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    });
  const post = (p: string, body: unknown, token?: string) =>
    getJson(api(p), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    app = await startTestApp({}, { redis: false, clock: () => NOW });
    officeSo = (await app.tokens.issue({ role: 'office', org: 'serviceontario' })).token;
    officeSc = (await app.tokens.issue({ role: 'office', org: 'service-canada' })).token;
    agent = (await app.tokens.issue({ role: 'agent', org: 'service-canada' })).token;
  });
  afterAll(() => app.close());

  it('answers the nearest offices with the contract fields, in the request language', async () => {
    const { status, body } = await getJson(
      api('/api/offices/nearest?service=health-card&near=K7L%203N6'),
    );
    expect(status).toBe(200);
    expect(body.origin).toMatchObject({
      lat: expect.any(Number),
      lon: expect.any(Number),
      label: expect.stringContaining('K7L'),
    });
    expect(body.online).toBeNull();
    expect(body.offices).toHaveLength(3);
    for (const o of body.offices) {
      expect(o).toMatchObject({
        id: expect.any(String),
        name: expect.any(String),
        organization: 'serviceontario',
        address: expect.any(String),
        lat: expect.any(Number),
        lon: expect.any(Number),
        distanceKm: expect.any(Number),
        openNow: true,
        waitMinutes: expect.any(Number),
        waitObservedAt: null,
        waitStale: true,
        estimatedMinutes: expect.any(Number),
        waitSource: 'typical',
        hoursTodayText: '08:30–17:00',
        mapUrl: expect.stringMatching(/^https:\/\//),
      });
    }
    const fr = await getJson(
      api('/api/offices/nearest?service=sin&near=Grand%20Sudbury&lang=fr&limit=5'),
    );
    expect(fr.status).toBe(200);
    expect(fr.body.online.url).toMatch(/\/fr\//);
    expect(fr.body.offices[0].name).toBe('Centre Service Canada de Sudbury');
    expect(fr.body.offices).toHaveLength(5);
  });

  it.each([
    ['service=health-card', 400, 'missing_near'],
    ['near=K7L', 400, 'missing_service'],
    ['service=no-such-thing&near=K7L', 400, 'unknown_service'],
    ['service=health-card&near=Atlantis', 400, 'unplaceable'],
    ['service=health-card&near=40.7128,-74.0060', 400, 'outside_canada'],
    ['service=health-card&near=95,10', 400, 'bad_coordinates'],
    ['service=health-card&near=K7L&limit=0', 400, 'bad_limit'],
    ['service=health-card&near=K7L&lang=de', 400, 'bad_lang'],
  ])('refuses %s with %i %s', async (query, status, code) => {
    const res = await getJson(api(`/api/offices/nearest?${query}`));
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toEqual(expect.any(String));
  });

  it('says in French what it could not place', async () => {
    const res = await getJson(
      api('/api/offices/nearest?service=health-card&near=Atlantis&lang=fr'),
      { headers: { 'accept-language': 'fr' } },
    );
    expect(res.body.error.message).toMatch(/^Nous n'avons pas pu situer « Atlantis »/);
  });

  describe('PUT /api/offices/ID/wait', () => {
    const target = 'so-kingston-12180';
    it.each([
      [undefined, 401, 'unauthorized'],
      ['agent', 403, 'forbidden'],
      ['officeSc', 403, 'wrong_organization'],
    ])('refuses token %s with %i', async (who, status, code) => {
      const token = who === 'agent' ? agent : who === 'officeSc' ? officeSc : undefined;
      const res = await put(`/api/offices/${target}/wait`, { minutes: 10 }, token);
      expect([res.status, res.body.error.code]).toEqual([status, code]);
    });

    it.each([
      [{ minutes: -1 }, 'invalid_field'],
      [{ minutes: 1441 }, 'invalid_field'],
      [{ minutes: 99999 }, 'invalid_field'],
      [{ minutes: 2.5 }, 'invalid_field'],
      [{ minutes: '10' }, 'invalid_field'],
      [{}, 'invalid_field'],
      [{ minutes: 10, colour: 'red' }, 'unknown_fields'],
      [{ minutes: 10, service: 'no-such-thing' }, 'unknown_service'],
      [{ minutes: 10, service: 'passport' }, 'service_not_at_office'],
      [{ minutes: 10, observedAt: '2025-03-11T12:00:00-04:00' }, 'invalid_field'],
      [{ minutes: 10, observedAt: 'yesterday' }, 'invalid_field'],
    ])('refuses %j with 400 %s', async (body, code) => {
      const res = await put(`/api/offices/${target}/wait`, body, officeSo);
      expect([res.status, res.body.error.code]).toEqual([400, code]);
    });

    it('answers 404 for an unknown office', async () => {
      const res = await put('/api/offices/so-nowhere-1/wait', { minutes: 5 }, officeSo);
      expect([res.status, res.body.error.code]).toEqual([404, 'unknown_office']);
    });

    it('records a report (204) that the ranking then uses, and keeps it in the history', async () => {
      const res = await put(
        `/api/offices/${target}/wait`,
        { minutes: 7, service: 'health-card', observedAt: '2025-03-11T09:45:00-04:00' },
        officeSo,
      );
      expect(res.status).toBe(204);
      const { body } = await getJson(
        api('/api/offices/nearest?service=health-card&near=Kingston&limit=5'),
      );
      expect(body.offices.find((o: { id: string }) => o.id === target)).toMatchObject({
        waitMinutes: 7,
        waitSource: 'live',
        waitObservedAt: '2025-03-11T09:45:00-04:00',
        waitStale: false,
      });
      const history = await getJson(api(`/api/offices/${target}/waits`), {
        headers: { authorization: `Bearer ${officeSo}` },
      });
      expect(history.body.reports[0]).toMatchObject({
        minutes: 7,
        serviceId: 'health-card',
        source: 'staff',
      });
    });
  });

  describe('outreach visits and closures', () => {
    it('schedules a visit that GET /api/outreach lists near the community', async () => {
      const visit = {
        site: 'sc-outreach-webequie-first-nation',
        date: '2025-04-02',
        start: '09:30',
        end: '15:00',
        services: ['sin', 'oas'],
        note: { en: 'At the band office', fr: 'Au bureau de bande' },
      };
      expect((await post('/api/outreach/visits', visit)).status).toBe(401);
      expect((await post('/api/outreach/visits', visit, agent)).status).toBe(403);
      const created = await post('/api/outreach/visits', visit, officeSc);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        siteId: visit.site,
        startsAt: '2025-04-02T09:30:00-04:00',
        endsAt: '2025-04-02T15:00:00-04:00',
        organization: 'service-canada',
      });
      expect((await post('/api/outreach/visits', visit, officeSc)).status).toBe(409);
      const list = await getJson(api('/api/outreach?near=Webequie&lang=fr'));
      expect(list.body.visits[0]).toMatchObject({
        id: created.body.id,
        note: 'Au bureau de bande',
        services: ['oas', 'sin'],
      });
      const del = await getJson(api(`/api/outreach/visits/${created.body.id}`), {
        method: 'DELETE',
        headers: { authorization: `Bearer ${officeSc}` },
      });
      expect(del.status).toBe(204);
      expect((await getJson(api('/api/outreach?near=Webequie'))).body.visits).toEqual([]);
    });

    it.each([
      [{ site: 'nowhere', date: '2025-04-02', start: '09:00', end: '10:00' }, 'unknown_office'],
      [
        { site: 'sc-outreach-wawa', date: '2025-03-01', start: '09:00', end: '10:00' },
        'invalid_field',
      ],
      [
        { site: 'sc-outreach-wawa', date: '2025-04-02', start: '11:00', end: '10:00' },
        'invalid_field',
      ],
      [
        { site: 'sc-outreach-wawa', date: '2025-04-02', start: '9h', end: '10:00' },
        'invalid_field',
      ],
      [
        {
          site: 'sc-outreach-wawa',
          date: '2025-04-02',
          start: '09:00',
          end: '10:00',
          services: ['bogus'],
        },
        'unknown_service',
      ],
      [
        {
          site: 'sc-outreach-wawa',
          date: '2025-04-02',
          start: '09:00',
          end: '10:00',
          note: { en: 'only English' },
        },
        'invalid_field',
      ],
    ])('refuses the visit %j', async (body, code) => {
      const res = await post('/api/outreach/visits', body, officeSc);
      expect([res.status, res.body.error.code]).toEqual([400, code]);
    });

    it('closes an office with a reason in both languages, and lifts the closure', async () => {
      const bad = await post(
        '/api/closures',
        { office: 'sc-timmins', reason: { en: 'Power failure' } },
        officeSc,
      );
      expect([bad.status, bad.body.error.code]).toEqual([400, 'invalid_field']);
      expect(
        (
          await post(
            '/api/closures',
            { office: 'sc-timmins', reason: { en: 'x', fr: 'x' } },
            officeSo,
          )
        ).status,
      ).toBe(403);
      const created = await post(
        '/api/closures',
        {
          office: 'sc-timmins',
          reason: { en: 'Power failure', fr: 'Panne de courant' },
          until: '2025-03-11T15:00:00-04:00',
        },
        officeSc,
      );
      expect(created.status).toBe(201);
      const { body } = await getJson(api('/api/offices/nearest?service=sin&near=Timmins&lang=fr'));
      expect(body.offices[0].id).not.toBe('sc-timmins');
      expect(body.excluded[0]).toMatchObject({
        id: 'sc-timmins',
        reason: { code: 'emergency_closure', message: expect.stringContaining('Panne de courant') },
      });
      expect((await getJson(api('/api/closures'))).body.closures).toHaveLength(1);
      const lift = await getJson(api(`/api/closures/${created.body.id}`), {
        method: 'DELETE',
        headers: { authorization: `Bearer ${officeSc}` },
      });
      expect(lift.status).toBe(204);
      expect(
        (await getJson(api('/api/offices/nearest?service=sin&near=Timmins'))).body.offices[0].id,
      ).toBe('sc-timmins');
    });

    it('closes an area named by a postal code', async () => {
      const res = await post(
        '/api/closures',
        { area: { near: 'P7B', radiusKm: 40 }, reason: { en: 'Storm', fr: 'Tempête' } },
        officeSc,
      );
      expect(res.status).toBe(201);
      const { body } = await getJson(api('/api/offices/nearest?service=sin&near=Thunder%20Bay'));
      expect(body.offices.every((o: { distanceKm: number }) => o.distanceKm > 30)).toBe(true);
      await getJson(api(`/api/closures/${res.body.id}`), {
        method: 'DELETE',
        headers: { authorization: `Bearer ${officeSc}` },
      });
    });
  });
});
