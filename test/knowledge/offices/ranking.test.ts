import { ENGINES, freshDatabaseEachTest } from '../../helpers/databases';
import { nearestAt, officeFinder, visitSandyLake } from '../../helpers/offices';

// A Tuesday that is no holiday, in the home time zone: EDT (-04:00) from 9 March 2025, EST before.
const TUESDAY = '2025-03-11';
const at = (time: string, date = TUESDAY) =>
  `${date}T${time}:00${date < '2025-03-09' ? '-05:00' : '-04:00'}`;

describe.each(ENGINES)('ranking by estimated minutes until served (%s)', (engine) => {
  const db = freshDatabaseEachTest(engine);

  it('changes when a wait is reported', async () => {
    const finder = await officeFinder(db.database);
    const before = nearestAt(finder, 'health-card', 'K7L 3N6', at('10:00'));
    const first = before.offices[0];
    expect(first.organization).toBe('serviceontario');
    expect(first.waitSource).toBe('typical');
    expect(before.offices.map((o) => o.estimatedMinutes)).toEqual(
      [...before.offices.map((o) => o.estimatedMinutes)].sort((a, b) => (a ?? 0) - (b ?? 0)),
    );

    // A live wait of an hour puts it behind the other Kingston centre, still ahead of the next town.
    await finder.waits.record({
      officeId: first.id,
      minutes: 60,
      observedAt: new Date(at('09:50')),
      source: 'staff',
    });
    const after = nearestAt(finder, 'health-card', 'K7L 3N6', at('10:00'));
    expect(after.offices.map((o) => o.id)).toEqual([
      before.offices[1].id,
      first.id,
      before.offices[2].id,
    ]);
    expect(after.offices[1]).toMatchObject({
      waitMinutes: 60,
      waitSource: 'live',
      waitStale: false,
      waitObservedAt: '2025-03-11T09:50:00-04:00',
      estimatedMinutes: first.estimatedMinutes! - first.waitMinutes! + 60,
    });
  });

  it('falls back to the prediction for the same hour of the week when the live report is stale', async () => {
    const finder = await officeFinder(db.database);
    const office = nearestAt(finder, 'passport', 'Timmins', at('10:00')).offices[0];
    // Past Tuesdays between 10:00 and 10:59, and a stale report from this morning.
    await finder.waits.record({
      officeId: office.id,
      minutes: 90,
      observedAt: new Date(at('10:05', '2025-03-04')),
      source: 'feed',
    });
    await finder.waits.record({
      officeId: office.id,
      minutes: 70,
      observedAt: new Date(at('10:40', '2025-02-25')),
      source: 'staff',
    });
    await finder.waits.record({
      officeId: office.id,
      minutes: 5,
      observedAt: new Date(at('08:15')),
      source: 'staff',
    });

    const fresh = nearestAt(finder, 'passport', 'Timmins', at('08:30'));
    expect(fresh.offices.find((o) => o.id === office.id)).toMatchObject({
      waitSource: 'live',
      waitMinutes: 5,
    });

    const stale = nearestAt(finder, 'passport', 'Timmins', at('10:00'));
    expect(stale.offices.find((o) => o.id === office.id)).toMatchObject({
      waitSource: 'predicted',
      waitMinutes: 80,
      waitStale: true,
      waitObservedAt: '2025-03-04T10:05:00-05:00',
    });
    // With no report at all for the hour, the type's typical wait.
    const other = nearestAt(finder, 'passport', 'Timmins', at('14:00'));
    expect(other.offices.find((o) => o.id === office.id)).toMatchObject({
      waitSource: 'typical',
      waitObservedAt: null,
    });
  });

  it('does not offer an office closing in 20 minutes to someone 40 minutes away', async () => {
    const finder = await officeFinder(db.database);
    const office = finder.registry.get('so-atikokan-11080')!;
    await finder.waits.record({
      officeId: office.id,
      minutes: 0,
      observedAt: new Date(at('16:35')),
      source: 'staff',
    });
    // About 19 km north of the town: some 40 minutes by road.
    const far = nearestAt(
      finder,
      'health-card',
      `${office.lat + 0.172},${office.lon}`,
      at('16:40'),
    );
    const entry = [...far.offices, ...far.excluded].find((o) => o.id === office.id);
    expect(far.offices.filter((o) => o.available).map((o) => o.id)).not.toContain(office.id);
    expect(entry).toMatchObject({ available: false, status: 'closing', openNow: true });
    expect(entry?.travelMinutes).toBeGreaterThanOrEqual(38);
    expect(entry?.reason?.code).toBe('closes_before_served');
    // Someone in town at the same moment is served before closing.
    const near = nearestAt(finder, 'health-card', `${office.lat},${office.lon}`, at('16:40'));
    expect(near.offices[0]).toMatchObject({
      id: office.id,
      available: true,
      status: 'open',
      closesAt: '2025-03-11T17:00:00-04:00',
    });
  });

  it('gives a fly-in community its next outreach visit, and the visit ranks first while it runs', async () => {
    const finder = await officeFinder(db.database);
    await visitSandyLake(finder, ['sin', 'oas', 'cpp-retirement']);
    const before = nearestAt(finder, 'sin', 'Sandy Lake', at('10:00'));
    expect(before.outreach[0]).toMatchObject({
      siteId: 'sc-outreach-sandy-lake-first-nation',
      date: '2025-03-18',
      startsAt: '2025-03-18T10:00:00-04:00',
      hoursText: '10:00–15:00',
    });
    expect(before.outreach[0].distanceKm).toBeLessThan(5);
    const fr = nearestAt(finder, 'sin', 'Sandy Lake', at('10:00'), { lang: 'fr' });
    expect(fr.outreach[0].siteName).toBe(
      'Site de services mobiles prévus de la Première Nation Sandy Lake',
    );
    const during = nearestAt(finder, 'sin', 'Sandy Lake', at('10:30', '2025-03-18'));
    expect(during.offices[0]).toMatchObject({
      id: 'sc-outreach-sandy-lake-first-nation',
      available: true,
      openNow: true,
    });
    expect(during.offices[0].visit?.hoursText).toBe('10:00–15:00');
    // A service the visit does not offer is not served there.
    const passport = nearestAt(finder, 'passport', 'Sandy Lake', at('10:30', '2025-03-18'));
    expect(passport.offices.map((o) => o.id)).not.toContain('sc-outreach-sandy-lake-first-nation');
  });

  it('leaves out an office under an emergency closure and says why, in both languages', async () => {
    const finder = await officeFinder(db.database);
    const first = nearestAt(finder, 'health-card', 'Kingston', at('10:00')).offices[0];
    await finder.outreach.addClosures([
      {
        officeId: first.id,
        from: new Date(at('09:00')),
        until: new Date(at('17:00', '2025-03-12')),
        reason: { en: 'Flooding', fr: 'Inondation' },
      },
    ]);
    const en = nearestAt(finder, 'health-card', 'Kingston', at('10:00'));
    expect(en.offices.map((o) => o.id)).not.toContain(first.id);
    const closed = en.excluded.find((o) => o.id === first.id);
    expect(closed?.reason).toEqual({
      code: 'emergency_closure',
      message: expect.stringContaining('Flooding'),
    });
    const fr = nearestAt(finder, 'health-card', 'Kingston', at('10:00'), { lang: 'fr' });
    expect(fr.excluded.find((o) => o.id === first.id)?.reason?.message).toMatch(
      /^Fermé jusqu'à .*Inondation/,
    );
  });

  it('closes an area: every office within the radius leaves the ranking', async () => {
    const finder = await officeFinder(db.database);
    const origin = finder.geocoder.geocode('Thunder Bay');
    await finder.outreach.addClosures([
      {
        area: { lat: origin.lat, lon: origin.lon, radiusKm: 30 },
        from: new Date(at('08:00')),
        until: null,
        reason: { en: 'Forest fire evacuation', fr: 'Évacuation (feu de forêt)' },
      },
    ]);
    const answer = nearestAt(finder, 'sin', 'Thunder Bay', at('10:00'));
    expect(answer.offices.length).toBeGreaterThan(0);
    for (const o of answer.offices) expect(o.distanceKm).toBeGreaterThan(25);
    expect(answer.excluded[0].reason?.message).toContain('Forest fire evacuation');
  });

  it('follows the statutory holidays of each government', async () => {
    const finder = await officeFinder(db.database);
    // Family Day is an Ontario holiday, not a federal one.
    const familyDay = '2025-02-17T10:00:00-05:00';
    const so = nearestAt(finder, 'health-card', 'Ottawa', familyDay);
    expect(so.offices.every((o) => !o.openNow)).toBe(true);
    expect(so.offices[0].reason?.message).toBe('Closed for Family Day.');
    const sc = nearestAt(finder, 'sin', 'Ottawa', familyDay);
    expect(sc.offices[0]).toMatchObject({ openNow: true, available: true });
    const remembrance = nearestAt(finder, 'sin', 'Ottawa', '2025-11-11T10:00:00-05:00', {
      lang: 'fr',
    });
    expect(remembrance.offices[0].reason?.message).toBe('Fermé pour le jour du Souvenir.');
  });

  it('puts the online service first and says when a service has no office', async () => {
    const finder = await officeFinder(db.database);
    expect(nearestAt(finder, 'sin', 'Kingston', at('10:00')).online?.url).toMatch(
      /^https:\/\/www\.canada\.ca\//,
    );
    expect(nearestAt(finder, 'passport', 'Kingston', at('10:00')).online).toBeNull();
    const tax = nearestAt(finder, 'income-tax-return', 'Kingston', at('10:00'));
    expect(tax.offices).toEqual([]);
    expect(tax.notInPerson?.code).toBe('not_in_person');
  });
});
