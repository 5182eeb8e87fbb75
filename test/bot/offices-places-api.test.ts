import { getJson, startTestApp, TestApp } from '../helpers/app';

interface Office {
  id: string;
  address: string;
  town: string;
  approximateLocation: boolean;
  placement: string;
  available: boolean;
  status: string;
  reason: { code: string; message: string } | null;
  waitMinutes: number;
  notice: string | null;
  hoursTypical: boolean;
}
interface Nearest {
  offices: Office[];
  excluded: Office[];
  notInPerson: { code: string } | null;
  serviceNote: string | null;
  sameTown: { town: string; officeIds: string[] }[];
}

describe('office finder API: exact places, per-office services, holidays', () => {
  let app: TestApp;
  // Monday 7 December 2026, 10:00 in Toronto (a working day).
  let now = new Date('2026-12-07T10:00:00-05:00');
  const nearest = async (query: string) => {
    const { status, body } = await getJson(`${app.baseUrl}/api/offices/nearest?${query}`);
    expect(status).toBe(200);
    return body as Nearest;
  };

  beforeAll(async () => {
    app = await startTestApp({}, { redis: false, clock: () => now });
  });
  afterAll(() => app.close());
  beforeEach(() => {
    now = new Date('2026-12-07T10:00:00-05:00');
  });

  it('sends a legal name change to the one counter that does it, and says it can be mailed', async () => {
    for (const near of ['K1N', 'P7B', 'M5C']) {
      const body = await nearest(`service=name-change&near=${near}&limit=3`);
      expect(body.offices.map((o) => o.id)).toEqual(['so-toronto-11801']);
      expect(body.offices[0].address).toMatch(/^47 Sheppard Avenue East/);
      expect(body.serviceNote).toMatch(/by mail/);
    }
    const fr = await nearest('service=name-change&near=K1N&lang=fr');
    expect(fr.serviceNote).toMatch(/par la poste/);
  });

  it('finds birth certificates only at the Registrar General counters (Ottawa for Ottawa)', async () => {
    const body = await nearest('service=birth-certificate&near=K1N&limit=3');
    expect(body.offices.map((o) => o.id)).toEqual(['so-ottawa-12089', 'so-toronto-11801']);
  });

  it('offers land registration online only: its counters closed to walk-ins in 2020', async () => {
    const body = await nearest('service=land-registry&near=K7L');
    expect(body.offices).toEqual([]);
    expect(body.notInPerson).toMatchObject({ code: 'not_in_person' });
  });

  it('warns that only participating centres sell Outdoors Cards', async () => {
    const body = await nearest('service=outdoors-card-fishing&near=P7B');
    expect(body.offices.length).toBeGreaterThan(0);
    expect(body.serviceNote).toMatch(/participating/);
  });

  it('does not order Toronto centres placed at the city centre by distance: it says so, lists them by wait, with addresses', async () => {
    const first = await nearest('service=health-card&near=M5C&limit=5');
    const group = first.sameTown.find((g) => g.town === 'Toronto');
    expect(group).toBeDefined();
    const ids = (group as { officeIds: string[] }).officeIds;
    expect(ids.length).toBeGreaterThan(1);
    // Report a long wait at the first of them: it drops below the others of its town.
    const office = (await app.tokens.issue({ role: 'office', org: 'serviceontario' })).token;
    const put = await getJson(`${app.baseUrl}/api/offices/${ids[0]}/wait`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${office}` },
      body: JSON.stringify({ minutes: 90 }),
    });
    expect(put.status).toBe(204);
    const second = await nearest('service=health-card&near=M5C&limit=5');
    const toronto = second.offices.filter((o) => o.approximateLocation && o.town === 'Toronto');
    for (const o of toronto) expect(o.address).toMatch(/^\d+[A-Z]? \S+.*, Toronto, ON/);
    const waits = toronto.map((o) => o.waitMinutes);
    expect(waits).toEqual([...waits].sort((a, b) => a - b));
    expect(toronto.map((o) => o.id)).not.toContain(ids[0]);
    expect(toronto[0].hoursTypical).toBe(true);
  });

  it('places Service Canada offices at their street address and says when an office is by appointment only', async () => {
    const body = await nearest('service=sin&near=K7L%203N6&limit=3');
    const kingston = body.offices.find((o) => o.id === 'sc-kingston') as Office;
    expect(kingston).toMatchObject({
      approximateLocation: false,
      placement: 'address',
      address: '294 King Street East, Kingston, ON K7L 3B2',
    });
    expect(kingston.notice).toMatch(/appointment only/);
  });

  it('leaves out an office its listing says is closed, saying why', async () => {
    const body = await nearest('service=sin&near=Arnprior&limit=3');
    expect(body.offices.map((o) => o.id)).not.toContain('sc-arnprior');
    const arnprior = body.excluded.find((o) => o.id === 'sc-arnprior');
    expect(arnprior).toMatchObject({ status: 'closure', reason: { code: 'emergency_closure' } });
  });

  it.each([
    ['2026-08-03T10:00:00-04:00', 'civicHoliday', true, true],
    ['2026-09-30T10:00:00-04:00', 'truthReconciliation', false, true],
    ['2026-11-11T10:00:00-05:00', 'remembranceDay', true, true],
  ])(
    'on %s (%s) closes ServiceOntario: %s, Service Canada: %s',
    async (at, holiday, provincial, federal) => {
      now = new Date(at);
      const so = await nearest('service=health-card&near=K7L&limit=1');
      const sc = await nearest('service=sin&near=K7L&limit=1');
      const closedFor = (b: Nearest) =>
        [...b.offices, ...b.excluded].some((o) => o.reason?.code === 'holiday' && !o.available);
      expect(closedFor(so)).toBe(provincial);
      expect(closedFor(sc)).toBe(federal);
      // The nearest ServiceOntario centre is closed for the day exactly when the holiday is Ontario's.
      expect(so.offices[0].available).toBe(!provincial);
    },
  );
});

describe('office finder API: places it cannot use', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({}, { redis: false });
  });
  afterAll(() => app.close());
  const ask = (near: string, lang = 'en') =>
    getJson(
      `${app.baseUrl}/api/offices/nearest?service=health-card&near=${encodeURIComponent(near)}&lang=${lang}`,
    );

  it.each([
    ['Springfield', 'unplaceable', /"Springfield".*postal code/],
    ['K9Z', 'unknown_postal_code', /"K9Z".*postal code/],
    [
      'Richmond',
      'ambiguous_place',
      /"Richmond" could be more than one place \(Richmond, ON; Richmond, BC\): send a postal code/,
    ],
    ['Vancouver', 'outside_ontario', /as Vancouver, BC, outside Ontario.*Ontario postal code/],
    ['H2X 1Y4', 'outside_ontario', /QC, outside Ontario/],
  ])(
    'answers near=%s with a 400 %s naming what it understood and asking for a postal code',
    async (near, code, message) => {
      const { status, body } = await ask(near);
      expect(status).toBe(400);
      expect(body.error.code).toBe(code);
      expect(body.error.message).toMatch(message);
    },
  );

  it('lists the places it understood, and says it in French', async () => {
    const { body } = await ask('Richmond', 'fr');
    expect(body.error.understood).toEqual([
      { name: 'Richmond', province: 'ON' },
      { name: 'Richmond', province: 'BC' },
    ]);
    expect(body.error.message).toMatch(
      /^« Richmond » peut désigner plus d'un endroit .* code postal/,
    );
    const ok = await ask('Gatineau');
    expect(ok.status).toBe(200);
  });
});
