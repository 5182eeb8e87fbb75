import { openDatabase } from '../../lib/db';
import { torontoDay, UsageStore } from '../../knowledge/usage/usage-store';

describe('usage counts for insights', () => {
  it('sums answers per Toronto day, channel, language, outcome and record', () => {
    const db = openDatabase(':memory:');
    // 03:30 UTC on the 2nd is still the 1st in Toronto.
    const store = new UsageStore(db, () => new Date('2026-03-02T03:30:00Z'));
    store.recordAnswer({
      channel: 'api',
      language: 'fr',
      outcome: 'answered',
      recordId: 'sin',
      jurisdiction: 'federal',
      referral: 'online',
    });
    store.recordAnswer({
      channel: 'api',
      language: 'fr',
      outcome: 'answered',
      recordId: 'sin',
      jurisdiction: 'federal',
      referral: 'online',
    });
    store.recordAnswer({
      channel: 'bot',
      language: 'en',
      outcome: 'out_of_scope',
      question: 'tell me a joke',
    });
    store.flush();
    store.recordAnswer({
      channel: 'api',
      language: 'fr',
      outcome: 'answered',
      recordId: 'sin',
      jurisdiction: 'federal',
      referral: 'online',
    });
    store.flush();
    expect(
      db
        .prepare(
          'SELECT day, channel, language, outcome, record_id, count FROM usage_counts ORDER BY channel',
        )
        .all(),
    ).toEqual([
      {
        day: '2026-03-01',
        channel: 'api',
        language: 'fr',
        outcome: 'answered',
        record_id: 'sin',
        count: 3,
      },
      {
        day: '2026-03-01',
        channel: 'bot',
        language: 'en',
        outcome: 'out_of_scope',
        record_id: '',
        count: 1,
      },
    ]);
  });

  it('keeps unanswered questions redacted and never keeps answered ones', () => {
    const db = openDatabase(':memory:');
    const store = new UsageStore(db);
    store.recordAnswer({
      channel: 'bot',
      language: 'en',
      outcome: 'fallback',
      question: 'my SIN 046 454 286 and email a.b@example.ca, K1A 0B1',
    });
    store.recordAnswer({
      channel: 'api',
      language: 'en',
      outcome: 'answered',
      recordId: 'sin',
      question: 'lost SIN 046 454 286',
    });
    store.flush();
    const rows = db.prepare('SELECT text FROM usage_unanswered').all() as { text: string }[];
    expect(rows).toEqual([{ text: 'my SIN [SIN] and email [EMAIL], K1A ***' }]);
  });

  it('counts demand by forward sortation area and ignores anything else', () => {
    const db = openDatabase(':memory:');
    const store = new UsageStore(db);
    store.recordAreaDemand('K7L', 'health-card');
    store.recordAreaDemand('K7L', 'health-card');
    store.recordAreaDemand('K7L 3N6', 'health-card');
    store.flush();
    expect(db.prepare('SELECT fsa, record_id, count FROM usage_demand_by_area').all()).toEqual([
      { fsa: 'K7L', record_id: 'health-card', count: 2 },
    ]);
  });

  it('names days in Toronto time across the daylight-saving change', () => {
    expect(torontoDay(new Date('2026-11-01T04:30:00Z'))).toBe('2026-11-01');
    expect(torontoDay(new Date('2026-11-02T04:30:00Z'))).toBe('2026-11-01');
  });
});
