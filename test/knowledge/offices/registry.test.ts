import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadKnowledge } from '../../../knowledge/load';
import { holidaysOf } from '../../../knowledge/offices/holidays';
import {
  loadOfficeRegistryData,
  OFFICES_DATA_DIR,
  OfficeLoadError,
} from '../../../knowledge/offices/load';
import { GeocodeError } from '../../../knowledge/offices/geocode';
import { officeFinder } from '../../helpers/offices';
import type { OfficeFinder } from '../../../knowledge/offices/index';

const kb = loadKnowledge();
const services = new Map(kb.byId);

describe('office registry', () => {
  const data = loadOfficeRegistryData(services);
  const count = (type: string, category?: string) =>
    data.offices.filter(
      (o) => o.type === type && (category === undefined || o.category === category),
    ).length;

  it('holds every ServiceOntario centre and the Service Canada points of service the 2026 finder lists', () => {
    expect(count('serviceontario')).toBe(279);
    expect(count('land-registry')).toBe(52);
    expect(count('service-canada') - count('service-canada', 'consolidated')).toBe(80);
    expect(count('service-canada', 'consolidated')).toBe(7);
    expect(count('passport')).toBe(9);
    expect(count('service-canada-outreach')).toBe(69);
    // Offices that moved since the 2024 list are where the finder now puts them.
    expect(data.offices.find((o) => o.id === 'sc-huntsville')?.address).toMatchObject({
      street: '70 King William Street',
      town: 'Huntsville',
      postalCode: 'P1H 2A5',
    });
    expect(
      data.offices.some((o) => o.id === 'sc-bracebridge' || o.id === 'sc-passport-whitby'),
    ).toBe(false);
  });

  it('gives every office a street address, and an exact point to at least 95 staffed Service Canada offices', () => {
    for (const o of data.offices) expect(o.address.street.length).toBeGreaterThan(3);
    const staffed = data.offices.filter(
      (o) => o.type === 'service-canada' || o.type === 'passport',
    );
    const exact = staffed.filter((o) => !o.location.approximate);
    expect(staffed.length).toBe(96);
    expect(exact.length).toBeGreaterThanOrEqual(94);
    expect(
      staffed
        .filter((o) => o.location.approximate)
        .map((o) => o.id)
        .sort(),
    ).toEqual(['sc-geraldton', 'sc-marathon']);
  });

  it('names a known source for every fact and flags town-centre locations as approximate', () => {
    const ids = new Set(data.sources.map((s) => s.id));
    for (const o of data.offices) {
      for (const fact of [o.name, o.address, o.location])
        expect(ids.has(fact.source.split('#')[0])).toBe(true);
      if (o.location.placement !== 'address' && o.location.placement !== 'postal-code')
        expect(o.location.approximate).toBe(true);
    }
  });

  it('derives services from the office type, per the service records', async () => {
    const finder = await officeFinder();
    expect(finder.registry.get('sc-barrie')?.services.has('passport')).toBe(true);
    expect(finder.registry.get('sc-passport-kitchener')?.services.has('sin')).toBe(false);
    expect(
      finder.registry.officesFor('health-card').every((o) => o.record.type === 'serviceontario'),
    ).toBe(true);
    // Oshawa and Ajax now offer passport services in their Service Canada Centres.
    for (const id of ['sc-oshawa', 'sc-ajax']) {
      expect(finder.registry.get(id)?.record.category).toBe('consolidated');
      expect(finder.registry.get(id)?.services.has('passport')).toBe(true);
    }
    // A name change is done in person at one counter; certificates at the Registrar General's two.
    expect(finder.registry.officesFor('name-change').map((o) => o.id)).toEqual([
      'so-toronto-11801',
    ]);
    expect(
      finder.registry
        .officesFor('death-certificate')
        .map((o) => o.id)
        .sort(),
    ).toEqual(['so-ottawa-12089', 'so-toronto-11801']);
    // Land registry counters closed to walk-ins on October 13, 2020: the service is online or by mail only.
    expect(finder.registry.officesFor('land-registry').length).toBe(0);
  });

  it('stops the load naming the file, the record and the field of a bad fact', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'offices-data-'));
    try {
      for (const f of fs.readdirSync(OFFICES_DATA_DIR))
        fs.copyFileSync(path.join(OFFICES_DATA_DIR, f), path.join(dir, f));
      const file = path.join(dir, 'service-canada.json');
      const body = JSON.parse(fs.readFileSync(file, 'utf8'));
      const i = body.offices.findIndex((o: { id: string }) => o.id === 'sc-belleville');
      const point = { ...body.offices[i].location };
      body.offices[i].location.lat = 12;
      fs.writeFileSync(file, JSON.stringify(body));
      expect(() => loadOfficeRegistryData(services, dir)).toThrow(OfficeLoadError);
      expect(() => loadOfficeRegistryData(services, dir)).toThrow(
        /service-canada\.json, record "sc-belleville", field "location\.lat"/,
      );
      // A point inside the schema's box but outside Ontario (Rouyn-Noranda, Quebec) stops the load too.
      body.offices[i].location = { ...point, lat: 48.2366, lon: -79.0231 };
      fs.writeFileSync(file, JSON.stringify(body));
      expect(() => loadOfficeRegistryData(services, dir)).toThrow(
        /record "sc-belleville", field "location": point 48\.2366, -79\.0231 is outside Ontario/,
      );
      body.offices[i].location = point;
      body.offices[i].services = {
        add: ['no-such-service'],
        remove: [],
        source: 'service-canada-locations-2024#1',
      };
      fs.writeFileSync(file, JSON.stringify(body));
      expect(() => loadOfficeRegistryData(services, dir)).toThrow(
        /record "sc-belleville", field "services\.add\.0": names unknown service/,
      );
      delete body.offices[i].services;
      body.offices.push({ ...body.offices[i] });
      fs.writeFileSync(file, JSON.stringify(body));
      expect(() => loadOfficeRegistryData(services, dir)).toThrow(
        /record "sc-belleville", field "id": duplicate id/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('statutory holidays', () => {
  const dates = (cal: 'ontario' | 'federal', y: number) =>
    [...holidaysOf(cal, y).values()].map((h) => `${h.id}:${h.date}`);

  it('computes the days ServiceOntario closes: the Ontario public holidays, the Civic Holiday, Easter Monday and Remembrance Day', () => {
    expect(dates('ontario', 2025)).toEqual([
      'newYear:2025-01-01',
      'familyDay:2025-02-17',
      'goodFriday:2025-04-18',
      'easterMonday:2025-04-21',
      'victoriaDay:2025-05-19',
      'canadaDay:2025-07-01',
      'civicHoliday:2025-08-04',
      'labourDay:2025-09-01',
      'thanksgiving:2025-10-13',
      'remembranceDay:2025-11-11',
      'christmas:2025-12-25',
      'boxingDay:2025-12-26',
    ]);
  });

  it('adds the federal ones and moves weekend holidays to the next working day', () => {
    const fed = dates('federal', 2027);
    expect(fed).toEqual(
      expect.arrayContaining([
        'easterMonday:2027-03-29',
        'civicHoliday:2027-08-02',
        'truthReconciliation:2027-09-30',
        'remembranceDay:2027-11-11',
        'christmas:2027-12-27',
        'boxingDay:2027-12-28',
      ]),
    );
    expect(dates('ontario', 2029)).toContain('canadaDay:2029-07-02');
    expect(dates('ontario', 2022)).toContain('newYear:2022-01-03');
  });
});

describe('geocoding of near', () => {
  let finder: OfficeFinder;
  beforeAll(async () => {
    finder = await officeFinder();
  });
  const g = (s: string) => finder.geocoder.geocode(s);
  const fails = (s: string) => {
    try {
      g(s);
    } catch (err) {
      return (err as GeocodeError).reason;
    }
    return 'placed';
  };

  it('reads full and partial postal codes', () => {
    expect(g('K7L 3N6')).toMatchObject({ kind: 'postal-code', lat: expect.closeTo(44.23, 1) });
    expect(g('k7l3n6')).toEqual(g('K7L'));
    expect(g('P3E')).toMatchObject({ lat: expect.closeTo(46.5, 0) });
  });

  it('reads Ontario places in English or French, with or without accents', () => {
    const sudbury = g('Greater Sudbury');
    expect(g('Grand Sudbury')).toMatchObject({ lat: sudbury.lat, lon: sudbury.lon });
    expect(g('grand-sudbury')).toMatchObject({ lat: sudbury.lat });
    expect(g('Sault-Sainte-Marie')).toEqual(g('Sault Ste. Marie'));
    expect(g('timmins')).toMatchObject({ label: 'Timmins' });
    expect(g('Chutes du Niagara')).toMatchObject({
      lat: g('Niagara Falls').lat,
      lon: g('Niagara Falls').lon,
    });
    expect(g('City of Kingston, Ontario')).toMatchObject({ label: 'Kingston', kind: 'place' });
    expect(g('Sandy Lake First Nation')).toMatchObject({ lat: expect.closeTo(53.06, 1) });
  });

  it('reads LAT,LON inside Canada', () => {
    expect(g('45.4215, -75.6972')).toMatchObject({
      kind: 'coordinates',
      lat: 45.4215,
      lon: -75.6972,
    });
    expect(g('48.38 -89.25')).toMatchObject({ kind: 'coordinates' });
  });

  it('says why it cannot place something', () => {
    expect(fails('Atlantis')).toBe('unplaceable');
    expect(fails('Z9Z')).toBe('unplaceable');
    expect(fails('D1A')).toBe('unplaceable');
    expect(fails('40.7128,-74.0060')).toBe('outside_canada');
    expect(fails('48.8566, 2.3522')).toBe('outside_canada');
    expect(fails('42.3314,-83.0458')).toBe('outside_canada');
    expect(fails('90210')).toBe('outside_canada');
    expect(fails('95,200')).toBe('bad_coordinates');
  });
});
