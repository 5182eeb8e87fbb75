import { getJson, startTestApp, TestApp } from '../helpers/app';
import { freePort } from '../helpers/ports';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({}, { redis: false });
});
afterAll(async () => app.close());

const lookup = (qs: string) => getJson(`${app.baseUrl}/api/lookup?${qs}`);

describe('GET /api/lookup', () => {
  it('routes a lost SIN card to Service Canada, in English', async () => {
    const { status, body } = await lookup('q=' + encodeURIComponent('I lost my SIN card'));
    expect(status).toBe(200);
    expect(body.language).toBe('en');
    expect(body.outOfScope).toBe(false);
    expect(body.results[0]).toMatchObject({ id: 'sin', kind: 'service', jurisdiction: 'federal' });
    expect(body.results[0].deliveredBy).toMatch(/Service Canada/);
    expect(body.results[0].url).toMatch(/^https:\/\/www\.canada\.ca\/en\//);
    expect(typeof body.results[0].score).toBe('number');
    expect(typeof body.results[0].name).toBe('string');
  });

  it('answers in French when the question is French', async () => {
    const { body } = await lookup('q=' + encodeURIComponent("j'ai perdu mon NAS"));
    expect(body.language).toBe('fr');
    expect(body.results[0].id).toBe('sin');
    expect(body.results[0].name).toMatch(/assurance sociale/i);
    expect(body.results[0].url).toMatch(/\/fr\//);
  });

  it('lets lang override the detected language', async () => {
    const { body } = await lookup('q=' + encodeURIComponent('renew my health card') + '&lang=fr');
    expect(body.language).toBe('fr');
    expect(body.results[0].id).toBe('health-card');
    expect(body.results[0].name).toMatch(/Carte Santé/);
  });

  it('returns a life-event bundle as shared, with its steps and their governments', async () => {
    const { body } = await lookup('q=' + encodeURIComponent('we just had a baby'));
    expect(body.results[0]).toMatchObject({
      id: 'bundle-newborn',
      kind: 'bundle',
      jurisdiction: 'shared',
    });
    expect(body.results[0].steps.map((s: any) => s.jurisdiction)).toEqual([
      'federal',
      'provincial',
      'provincial',
      'provincial',
      'federal',
      'federal',
    ]);
  });

  it('ranks results best first', async () => {
    const { body } = await lookup('q=' + encodeURIComponent('marriage'));
    const scores = body.results.map((r: any) => r.score);
    expect(scores).toEqual([...scores].sort((a: number, b: number) => b - a));
  });

  it('says a question about no government service is out of scope', async () => {
    const { status, body } = await lookup('q=' + encodeURIComponent('tell me a joke about cats'));
    expect(status).toBe(200);
    expect(body).toMatchObject({ outOfScope: true, results: [] });
  });

  it.each([
    ['', 'missing_q'],
    ['q=', 'empty_q'],
    ['q=%20%20%20', 'empty_q'],
    ['q=' + 'a'.repeat(501), 'q_too_long'],
    ['q=passport&lang=de', 'bad_lang'],
    ['q=passport&q=sin', 'bad_parameter'],
  ])('rejects "%s" with 400 %s', async (qs, code) => {
    const { status, body } = await lookup(qs);
    expect(status).toBe(400);
    expect(body.error.code).toBe(code);
    expect(typeof body.error.message).toBe('string');
  });

  it('writes error messages in the requested language', async () => {
    const { body } = await lookup('lang=fr');
    expect(body.error.message).toMatch(/question est absente/);
  });

  it('accepts exactly 500 characters', async () => {
    const { status } = await lookup(
      'q=' + encodeURIComponent('passport renewal '.repeat(40).slice(0, 500)),
    );
    expect(status).toBe(200);
  });
});

describe('GET /api/services/ID', () => {
  it('returns the whole bilingual record', async () => {
    const { status, body } = await getJson(`${app.baseUrl}/api/services/health-card`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: 'health-card', jurisdiction: 'provincial', kind: 'service' });
    expect(body.name.en).toMatch(/health card/i);
    expect(body.name.fr).toMatch(/Carte Santé/);
    expect(body.bring.fr.length).toBeGreaterThan(0);
  });

  it('answers 404 with a JSON error for an unknown id', async () => {
    const { status, body } = await getJson(`${app.baseUrl}/api/services/no-such-thing?lang=fr`);
    expect(status).toBe(404);
    expect(body.error.code).toBe('unknown_service');
    expect(body.error.message).toMatch(/no-such-thing/);
  });

  it('rejects an unknown lang', async () => {
    const { status, body } = await getJson(`${app.baseUrl}/api/services/sin?lang=xx`);
    expect(status).toBe(400);
    expect(body.error.code).toBe('bad_lang');
  });
});

describe('health and unknown routes', () => {
  it('answers /healthz and /readyz', async () => {
    expect((await getJson(`${app.baseUrl}/healthz`)).status).toBe(200);
    const ready = await getJson(`${app.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ db: 'ok', database: 'ok', redis: 'down', nlu: 'ok' });
  });

  it('answers an unknown route with a JSON 404 and keeps serving', async () => {
    const { status, body } = await getJson(`${app.baseUrl}/nothing/here`);
    expect(status).toBe(404);
    expect(body.error.code).toBe('not_found');
    expect((await getJson(`${app.baseUrl}/healthz`)).status).toBe(200);
  });

  it('never logs the raw question when it holds a personal number', async () => {
    await lookup('q=' + encodeURIComponent('my SIN 046 454 286 is lost'));
    expect(app.logLines.join('\n')).not.toMatch(/046 454 286/);
  });
});

describe('GET /api/lookup: phone lines, the municipality and honest uncertainty', () => {
  it('gives every federal and provincial answer its phone lines, in the answer language', async () => {
    const { body } = await lookup('q=' + encodeURIComponent('renouveler ma carte Santé'));
    const contacts = body.results[0].contacts;
    expect(contacts.length).toBeGreaterThan(0);
    expect(contacts[0]).toMatchObject({
      phone: expect.stringMatching(/^(\d{3}|1-\d{3}-\d{3}-\d{4}|\d{3}-\d{3}-\d{4})/),
      hours: expect.stringMatching(/lundi|24 heures/),
    });
  });

  it.each([
    ["What's the phone number for EI?", 'ei-regular', '1-800-206-7218'],
    ['numéro de téléphone de Service Canada', 'service-canada-contact', '1-800-622-6232'],
    ['comment joindre ServiceOntario', 'serviceontario-contact', '1-800-267-8097'],
    // The words around the ask name the line: the whole question is the surer reading.
    [
      'numéro de téléphone de Service Canada pour parler à un agent en français',
      'service-canada-contact',
      '1-800-622-6232',
    ],
  ])('answers "%s" with the number: %s, %s', async (q, id, phone) => {
    const { body } = await lookup('q=' + encodeURIComponent(q));
    expect(body.contactRequest).toBe(true);
    expect(body.results[0].id).toBe(id);
    expect(body.results[0].contacts.map((c: { phone: string }) => c.phone)).toContain(phone);
  });

  it('names the municipality a question names, with its website and 311 only where it has it', async () => {
    const toronto = (await lookup('q=' + encodeURIComponent('pothole on my street in Scarborough')))
      .body;
    expect(toronto.results[0]).toMatchObject({ id: 'roads-potholes', jurisdiction: 'municipal' });
    expect(toronto.municipality).toMatchObject({
      id: 'toronto',
      name: 'Toronto',
      website: 'https://www.toronto.ca',
      matched: 'Scarborough',
      line: { phone: '311', is311: true },
    });
    const kingston = (
      await lookup('q=' + encodeURIComponent('how do I pay my water bill in Kingston'))
    ).body;
    expect(kingston.municipality).toMatchObject({
      id: 'kingston',
      line: { is311: false, phone: '613-546-0000' },
    });
  });

  it('names the municipality of the postal code given as near, and none when it is not known', async () => {
    const near = (
      await lookup(
        'q=' + encodeURIComponent('when is garbage day') + '&near=' + encodeURIComponent('K1N 5T2'),
      )
    ).body;
    expect(near.municipality).toMatchObject({ id: 'ottawa', matched: 'K1N' });
    expect(
      (await lookup('q=' + encodeURIComponent('when is garbage day'))).body.municipality,
    ).toBeNull();
  });

  it('says it is not sure rather than naming an unrelated service, with the likely government and who to call', async () => {
    const { body } = await lookup(
      // Outside the catalogue (a liquor licence was, until its record of 2026-12-05).
      'q=' + encodeURIComponent('how do I become a real estate agent in Ontario'),
    );
    expect(body).toMatchObject({ outOfScope: false, confident: false, results: [] });
    expect(body.whoToAsk.jurisdiction).toBe('provincial');
    expect(body.whoToAsk.contacts.map((c: { id: string }) => c.id)).toContain('serviceontario');
    // The body that handles it, from the directory, with its page, line and the day it was checked.
    expect(body.bodies[0]).toMatchObject({
      id: 'on-reco',
      jurisdiction: 'provincial',
      url: expect.stringMatching(/^https:\/\/reco\.on\.ca/),
      phone: '1-800-245-6910',
      checked: expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
    });
  });

  it('answers a body asked for by its name with the record it names, with the same number, rather than a record that mentions another ombudsman', async () => {
    const { body } = await lookup(
      'q=' + encodeURIComponent("numéro de téléphone de l'ombudsman de l'Ontario"),
    );
    // The Ontario Ombudsman body names the ombudsman-complaint record in its `records`.
    expect(body).toMatchObject({ confident: true, bodies: [], contactRequest: true });
    expect(body.results[0]).toMatchObject({ id: 'ombudsman-complaint' });
    expect(body.results[0].contacts[0]).toMatchObject({ phone: '1-800-263-1830' });
  });

  it('names a body asked for by its name, with its number, when the model is not sure of a record', async () => {
    const { body } = await lookup('q=' + encodeURIComponent('Transport Canada phone number'));
    expect(body).toMatchObject({ confident: false, results: [], contactRequest: true });
    expect(body.bodies[0]).toMatchObject({ id: 'ca-transport-canada', phone: null });
    expect(body.whoToAsk.jurisdiction).toBe('federal');
  });

  it('names a federal body outside the catalogue and the inventory, in French too', async () => {
    const { body } = await lookup(
      'q=' + encodeURIComponent("j'ai perdu la clé de ma boîte postale communautaire"),
    );
    expect(body).toMatchObject({ language: 'fr', confident: false, results: [] });
    expect(body.bodies[0]).toMatchObject({ id: 'ca-canada-post', name: 'Postes Canada' });
    expect(body.bodies[0].about).toMatch(/boîte postale communautaire/);
    expect(body.whoToAsk.jurisdiction).toBe('federal');
  });

  it('answers a federal service outside the catalogue from the service inventory, marked with its year', async () => {
    const { body } = await lookup(
      'q=' + encodeURIComponent('apply for a ham radio operator certificate'),
    );
    expect(body.results).toEqual([]);
    expect(body.federalServices[0]).toMatchObject({
      jurisdiction: 'federal',
      department: 'Innovation, Science and Economic Development Canada',
      asOf: '2019-2020',
    });
    expect(body.whoToAsk.jurisdiction).toBe('federal');
  });

  it('falls back on the nearest listing when no listing matches precisely, never when the question names the province', async () => {
    const charts = (
      await lookup(
        'q=' + encodeURIComponent('il me faut des cartes marines pour naviguer la baie James'),
      )
    ).body;
    expect(charts.results).toEqual([]);
    expect(charts.federalServices).toEqual([
      expect.objectContaining({ department: 'Pêches et Océans Canada', asOf: '2019-2020' }),
    ]);
    expect(charts.federalServices[0].url).toMatch(/^https?:\/\//);
    expect(charts.whoToAsk.jurisdiction).toBe('federal');
    const provincial = (
      await lookup(
        'q=' + encodeURIComponent('je veux des cartes marines provinciales pour la baie James'),
      )
    ).body;
    expect(provincial.federalServices).toEqual([]);
  });

  it.each([
    ['near=', 'bad_near'],
    ['near=' + 'x'.repeat(101), 'bad_near'],
  ])('rejects %s with a clear 400 and keeps serving', async (qs, code) => {
    const { status, body } = await lookup('q=passport&' + qs);
    expect(status).toBe(400);
    expect(body.error.code).toBe(code);
    expect((await lookup('q=passport')).status).toBe(200);
  });
});

describe('per-conversation turn limit on /api/messages', () => {
  it('answers 429 with Retry-After once a conversation exceeds its turns, other conversations unaffected', async () => {
    const limited = await startTestApp(
      { RATE_LIMIT_PER_CONVERSATION: '2', RATE_LIMIT_WINDOW_SECONDS: '60' },
      { redis: false },
    );
    try {
      // A reply address nothing listens on: the replies come back in the response.
      const serviceUrl = `http://127.0.0.1:${await freePort()}/`;
      const turn = (conversation: string) =>
        fetch(`${limited.baseUrl}/api/messages`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({
            type: 'message',
            text: 'passport',
            channelId: 'test',
            serviceUrl,
            deliveryMode: 'expectReplies',
            from: { id: 'u' },
            recipient: { id: 'b' },
            conversation: { id: conversation },
          }),
        });
      const statuses = [(await turn('c1')).status, (await turn('c1')).status];
      const third = await turn('c1');
      expect(statuses).toEqual([200, 200]);
      expect(third.status).toBe(429);
      expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await third.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
      expect((await turn('c2')).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
