import { sql } from 'kysely';
import { torontoDay, UsageStore } from '../../knowledge/usage/usage-store';
import { ENGINES, freshDatabaseEachTest } from '../helpers/databases';

describe.each(ENGINES)('usage counts for insights (%s)', (engine) => {
  const db = freshDatabaseEachTest(engine);
  const rows = async (query: ReturnType<typeof sql>) =>
    (await query.execute(db.database.kysely)).rows;

  it('sums answers per Toronto day, channel, language, outcome and record', async () => {
    // 03:30 UTC on the 2nd is still the 1st in Toronto.
    const store = new UsageStore(db.database, () => new Date('2026-03-02T03:30:00Z'));
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
    await store.flush();
    store.recordAnswer({
      channel: 'api',
      language: 'fr',
      outcome: 'answered',
      recordId: 'sin',
      jurisdiction: 'federal',
      referral: 'online',
    });
    await store.flush();
    expect(
      await rows(
        sql`SELECT day, channel, language, outcome, record_id, count FROM usage_counts ORDER BY channel`,
      ),
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

  it('keeps unanswered questions redacted and never keeps answered ones', async () => {
    const store = new UsageStore(db.database);
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
    await store.flush();
    expect(await rows(sql`SELECT text FROM usage_unanswered`)).toEqual([
      { text: 'my SIN [SIN] and email [EMAIL], K1A ***' },
    ]);
  });

  it('counts demand by forward sortation area and ignores anything else', async () => {
    const store = new UsageStore(db.database);
    store.recordAreaDemand('K7L', 'health-card');
    store.recordAreaDemand('K7L', 'health-card');
    store.recordAreaDemand('K7L 3N6', 'health-card');
    await store.flush();
    expect(await rows(sql`SELECT fsa, record_id, count FROM usage_demand_by_area`)).toEqual([
      { fsa: 'K7L', record_id: 'health-card', count: 2 },
    ]);
  });

  it('keeps the counts of a flush that failed, and writes them with the next one', async () => {
    const store = new UsageStore(db.database, () => new Date('2026-03-02T15:00:00Z'));
    const answer = {
      channel: 'api',
      language: 'en',
      outcome: 'answered',
      recordId: 'sin',
    } as const;
    store.recordAnswer(answer);
    await sql`ALTER TABLE usage_counts RENAME TO usage_counts_away`.execute(db.database.kysely);
    const failed = await store.flush().then(
      () => 'written',
      (err: Error) => err.message,
    );
    expect(failed).toMatch(/usage_counts/);
    store.recordAnswer(answer);
    await sql`ALTER TABLE usage_counts_away RENAME TO usage_counts`.execute(db.database.kysely);
    await store.flush();
    expect(await rows(sql`SELECT record_id, count FROM usage_counts`)).toEqual([
      { record_id: 'sin', count: 2 },
    ]);
  });
});

describe('Toronto days', () => {
  it('names days in Toronto time across the daylight-saving change', () => {
    expect(torontoDay(new Date('2026-11-01T04:30:00Z'))).toBe('2026-11-01');
    expect(torontoDay(new Date('2026-11-02T04:30:00Z'))).toBe('2026-11-01');
  });
});
