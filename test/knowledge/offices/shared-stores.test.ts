import { OutreachStore } from '../../../knowledge/offices/outreach-store';
import { WaitStore } from '../../../knowledge/offices/wait-store';
import { ENGINES, freshDatabaseEachTest } from '../../helpers/databases';

// Tuesday 11 March 2025, 10:00 in Toronto.
const NOW = new Date('2025-03-11T10:00:00-04:00');
const HOUR = 3_600_000;

/** Two processes (or machines) on one database: each has its own store and in-memory copy. */
describe.each(ENGINES)('waits and outreach shared by two processes (%s)', (engine) => {
  const db = freshDatabaseEachTest(engine);

  it('shows a wait recorded by one process to the other after its sync, counted once', async () => {
    const [one, two] = [new WaitStore(db.database), new WaitStore(db.database)];
    const report = {
      officeId: 'sc-kingston',
      minutes: 35,
      observedAt: new Date(NOW.getTime() - 10 * 60_000),
      source: 'staff' as const,
    };
    expect(await one.record(report, NOW)).toBe(true);
    expect(await two.record(report, NOW)).toBe(false);
    expect(two.estimate('sc-kingston', '', NOW, HOUR, 20)).toMatchObject({ source: 'typical' });
    await two.sync();
    await two.sync();
    expect(two.estimate('sc-kingston', '', NOW, HOUR, 20)).toMatchObject({
      minutes: 35,
      source: 'live',
      stale: false,
    });
    // A week later the same hour predicts from that one report, not from a double count.
    const later = new Date(report.observedAt.getTime() + 7 * 24 * HOUR);
    expect(two.estimate('sc-kingston', '', later, HOUR, 20)).toMatchObject({
      source: 'predicted',
      basedOn: 1,
    });
    expect(await one.count()).toBe(1);
    expect((await two.history('sc-kingston')).map((r) => r.minutes)).toEqual([35]);
  });

  it('shows visits and closures added or ended by one process to the other after its refresh', async () => {
    const [one, two] = [new OutreachStore(db.database), new OutreachStore(db.database)];
    const [visit] = await one.addVisits(
      [
        {
          siteId: 'sc-outreach-wawa',
          organization: 'service-canada',
          date: '2025-03-18',
          startMin: 600,
          endMin: 900,
          services: ['sin'],
        },
      ],
      NOW,
    );
    const [closure] = await one.addClosures(
      [{ officeId: 'sc-timmins', from: NOW, reason: { en: 'Flood', fr: 'Inondation' } }],
      NOW,
    );
    expect(two.snapshot().visits).toEqual([]);
    await two.refresh();
    expect(two.snapshot().visits.map((v) => v.id)).toEqual([visit.id]);
    expect(two.activeClosures(NOW).map((c) => c.reason.fr)).toEqual(['Inondation']);
    expect(await one.cancelVisit(visit.id, NOW)).toBe(true);
    expect(await one.cancelVisit(visit.id, NOW)).toBe(false);
    expect(await one.liftClosure(closure.id, NOW)).toBe(true);
    await two.refresh();
    expect(two.snapshot().visits).toEqual([]);
    expect(two.activeClosures(NOW)).toEqual([]);
  });
});
