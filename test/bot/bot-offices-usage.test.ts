import { startTestApp, TestApp } from '../helpers/app';
import { message, send } from '../helpers/bot';

// A Tuesday morning that is no holiday (EDT): offices are open, waits are the typical ones.
const NOW = new Date('2025-03-11T10:00:00-04:00');

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({}, { redis: false, clock: () => NOW });
});
afterAll(async () => app.close());

const say = (conversation: string, text: string | undefined, extra: Record<string, unknown> = {}) =>
  send(app.baseUrl, message(conversation, text, extra));
const event = (
  conversation: string,
  name: string,
  value: unknown,
  extra: Record<string, unknown> = {},
) =>
  send(app.baseUrl, { ...message(conversation, undefined), type: 'event', name, value, ...extra });

describe('the office finder in npm start', () => {
  it('is wired in by default: the Find an office button asks where, then shows one card per office', async () => {
    await say('find-1', 'I lost my SIN card');
    const ask = await say('find-1', undefined, { value: { action: 'findOffice', service: 'sin' } });
    expect(ask.text).toMatch(
      /^Where are you\? .* You can also press “Share my location” below the chat\.$/,
    );
    const answer = await say('find-1', 'K7L 3N6');
    expect(answer.replies[0].text).toMatch(/^Social Insurance Number can be done online/);
    expect(answer.replies[1].attachments).toHaveLength(3);
    expect(answer.replies[1].attachments?.[0]).toMatchObject({
      contentType: 'application/vnd.microsoft.card.adaptive',
      content: { version: '1.5', lang: 'en' },
    });
    expect(JSON.stringify(answer.replies[1].attachments?.[0].content)).toMatch(
      /Kingston Service Canada Centre.*Open now, until 16:00/,
    );
  });

  it('answers a location event from the chat page with the offices near it, for the last service', async () => {
    await say('loc-1', 'Comment renouveler mon passeport?');
    const turn = await event('loc-1', 'location', { lat: 46.49, lon: -80.99 }, { locale: 'fr-CA' });
    expect(turn.status).toBe(200);
    expect(turn.text).toMatch(
      /^Les bureaux qui peuvent vous servir le plus tôt pour le service Passeport canadien, près de votre position :/,
    );
    expect(turn.text).toContain('Centre Service Canada de Sudbury');
  });
});

describe('the setLanguage event from the chat page', () => {
  it('sets the explicit language preference, as saying “français” does, without a reply', async () => {
    const from = { id: 'user-toggle', name: 'Toggle' };
    const set = await event('lang-1', 'setLanguage', 'fr', { from });
    expect(set.status).toBe(200);
    expect(set.replies).toHaveLength(0);
    const answer = await say('lang-1', 'how do I renew my passport', { from });
    expect(answer.text).toMatch(/Passeport canadien : Gouvernement du Canada \(fédéral\)/);
    // In another conversation too: the preference is the person's.
    expect((await say('lang-2', 'health card', { from })).text).toMatch(/Carte Santé de l'Ontario/);
    await event('lang-2', 'setLanguage', 'en', { from });
    expect((await say('lang-2', 'carte santé', { from })).text).toMatch(
      /^Ontario health card \(OHIP\): Government of Ontario/m,
    );
  });

  it('ignores a value that is not en or fr', async () => {
    const from = { id: 'user-toggle-bad', name: 'Toggle' };
    for (const value of ['de', null, { lang: 'fr' }, 42]) {
      const turn = await event('lang-bad', 'setLanguage', value, { from });
      expect({ value, status: turn.status, replies: turn.replies.length }).toEqual({
        value,
        status: 200,
        replies: 0,
      });
    }
    expect((await say('lang-bad', 'how do I renew my passport', { from })).text).toMatch(
      /Canadian passport: Government of Canada/,
    );
  });
});

describe('usage counts and metrics for bot answers', () => {
  it('counts every answer by outcome, language and referral, keeps only unanswered questions (redacted), and the postal area of office searches', async () => {
    await say('usage-1', 'I lost my SIN card');
    await say('usage-1', 'tell me a joke about my number 046 454 286');
    await say('usage-1', 'licence');
    await say('usage-2', 'Où puis-je renouveler ma carte Santé près de K7L 3N6?');
    await app.usage.flush();
    const rows = app.db
      .prepare(
        "SELECT language, outcome, record_id AS id, jurisdiction, referral, SUM(count) AS n FROM usage_counts WHERE channel = 'bot' GROUP BY 1, 2, 3, 4, 5",
      )
      .all() as Array<{
      language: string;
      outcome: string;
      id: string;
      jurisdiction: string;
      referral: string;
      n: number;
    }>;
    expect(rows).toEqual(
      expect.arrayContaining([
        {
          language: 'en',
          outcome: 'answered',
          id: 'sin',
          jurisdiction: 'federal',
          referral: 'online',
          n: expect.any(Number),
        },
        { language: 'en', outcome: 'out_of_scope', id: '', jurisdiction: '', referral: '', n: 1 },
        {
          language: 'fr',
          outcome: 'answered',
          id: 'health-card',
          jurisdiction: 'provincial',
          referral: 'office',
          n: 1,
        },
      ]),
    );
    // A bare "licence" gets choices: between close answers (not unanswered), or after a "not sure" (unanswered).
    const choice = rows.find(
      (r) => r.language === 'en' && (r.outcome === 'disambiguation' || r.outcome === 'fallback'),
    );
    expect(choice).toMatchObject({ id: '', n: 1 });
    const unanswered = app.db
      .prepare("SELECT text FROM usage_unanswered WHERE language = 'en'")
      .all() as Array<{ text: string }>;
    expect(unanswered.map((u) => u.text)).toContain('tell me a joke about my number [SIN]');
    expect(unanswered.map((u) => u.text).join(' ')).not.toMatch(/046|lost my SIN card/);
    expect(unanswered.some((u) => u.text === 'licence')).toBe(choice?.outcome === 'fallback');
    // The searches from K7L in this file: SIN (the button, above) and the health card (here).
    const areas = app.db
      .prepare(
        'SELECT fsa, record_id AS id, count AS n FROM usage_demand_by_area ORDER BY record_id',
      )
      .all();
    expect(areas).toEqual([
      { fsa: 'K7L', id: 'health-card', n: 1 },
      { fsa: 'K7L', id: 'sin', n: 1 },
    ]);

    const metrics = await (await fetch(`${app.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(
      /^answers_total\{channel="bot",outcome="answered",language="en"\} [1-9]/m,
    );
    expect(metrics).toMatch(
      /^answers_total\{channel="bot",outcome="out_of_scope",language="en"\} 1$/m,
    );
    expect(metrics).toMatch(
      /^answers_total\{channel="bot",outcome="answered",language="fr"\} [1-9]/m,
    );
  });
});
