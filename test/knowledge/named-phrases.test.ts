import { loadKnowledge } from '../../knowledge/load';
import { OUT_OF_SCOPE_INTENT } from '../../knowledge/schema';
import { NamedPhrases } from '../../knowledge/nlu/named-phrases';
import { shippedKnowledge } from '../helpers/knowledge';

describe('questions that name a service', () => {
  const phrases = NamedPhrases.fromKnowledge(loadKnowledge());

  it.each([
    ['en', 'grandma wants to stay with us all winter, would the Super Visa work'],
    ['en', 'my boss never sent my record-of-employment after the plant closed'],
    ['fr', 'une pub mensongère au dépanneur, est-ce que le Bureau de la concurrence s’en occupe'],
  ] as const)('finds a record’s phrase in any spelling (%s: %s)', (lang, text) => {
    expect(phrases.named(text, lang)).toBe(true);
  });

  it.each([
    ['en', 'my visa card got declined at the store'],
    ['en', 'the record for the longest employment at one company'],
    ['fr', 'la concurrence entre les deux dépanneurs du village'],
    ['en', ''],
  ] as const)('does not take single words or scattered words for a name (%s: %s)', (lang, text) => {
    expect(phrases.named(text, lang)).toBe(false);
  });

  it('keeps the language apart: an English name is not looked for in French', () => {
    expect(phrases.named('record of employment', 'en')).toBe(true);
    expect(phrases.named('record of employment', 'fr')).toBe(false);
  });

  it('finds a record’s acronym written in capitals, not the same letters in lower case', () => {
    expect(phrases.namedAcronym('need my SIN before Monday, I start at the mine', 'en')).toBe(true);
    expect(phrases.namedAcronym('OHIP for my baby', 'en')).toBe(true);
    expect(phrases.namedAcronym('the seven deadly sins, is envy one', 'en')).toBe(false);
    expect(phrases.namedAcronym('need my sin before monday', 'en')).toBe(false);
  });

  it('says which records a question names, by a phrase or an acronym in capitals', () => {
    expect([
      ...phrases.namedRecords('how much does odsp pay', 'how much does ODSP pay', 'en'),
    ]).toEqual(['odsp']);
    expect(
      phrases.namedRecords('how much does odsp pay', 'how much does odsp pay', 'en').size,
    ).toBe(0);
    const text = 'my record of employment is late';
    expect([...phrases.namedRecords(text, text, 'en')]).toContain('record-of-employment');
    expect(phrases.namedRecords('', '', 'fr').size).toBe(0);
  });

  it('says which records a rare word names, never an everyday one', () => {
    const pogey = 'how much pogey will i get';
    expect([...phrases.namedRecords(pogey, pogey, 'en')]).toContain('ei-regular');
    // A rare word is not a name of the kind that keeps a question from being refused.
    expect(phrases.named(pogey, 'en')).toBe(false);
    const plain = 'how do i renew my licence and my pension';
    expect(phrases.namedRecords(plain, plain, 'en').size).toBe(0);
  });

  it('names no record by a phrase that more than two records share', () => {
    const kb = loadKnowledge();
    const owners = new Map<string, Set<string>>();
    for (const r of kb.records)
      for (const k of [r.name.en, ...r.keywords.en]) {
        const key = k.toLowerCase().trim();
        if (key.split(/\s+/).length >= 2) owners.set(key, (owners.get(key) ?? new Set()).add(r.id));
      }
    const shared = [...owners].find(([key, ids]) => ids.size > 2 && /^[a-z ]+$/.test(key));
    expect(shared).toBeDefined();
    const [phrase] = shared!;
    expect(phrases.named(phrase, 'en')).toBe(true);
    expect(phrases.namedRecords(phrase, phrase, 'en').size).toBe(0);
  });

  it('leaves out an acronym that everyday questions use as a word (APP)', () => {
    expect(phrases.namedAcronym('the APP keeps crashing on my phone', 'en')).toBe(false);
  });

  describe('government bodies', () => {
    const kb = loadKnowledge();
    const body = (en: string[], fr: string[]) => ({
      intent: 'outside-federal',
      phrases: { en, fr },
    });
    const oos = kb.corpus.en.get(OUT_OF_SCOPE_INTENT) ?? [];
    // A phrase of two words or more that an out-of-scope example holds, and one that none holds.
    const borrowed = oos
      .map((u) => u.split(/\s+/).slice(0, 2).join(' '))
      .find((p) => /^\w+ \w+$/.test(p))!;

    it('names a body by its phrases and acronyms, as a record', () => {
      const withBody = NamedPhrases.fromKnowledge(kb, [
        body(['Office of the Secretary to the Governor General', 'Rideau Hall', 'CMHC'], ['SCHL']),
      ]);
      expect(withBody.named('a message from rideau hall for grandma', 'en')).toBe(true);
      expect(withBody.namedAcronym("l'assurance de la SCHL pour une première maison", 'fr')).toBe(
        true,
      );
      expect(phrases.named('a message from rideau hall for grandma', 'en')).toBe(false);
    });

    it('leaves out a body phrase that an everyday question holds, not a record phrase', () => {
      const withBody = NamedPhrases.fromKnowledge(kb, [body([borrowed], [])]);
      expect(withBody.named(borrowed, 'en')).toBe(false);
      // A record's own phrase stays a name whatever the out-of-scope examples say.
      const recordPhrase = 'record of employment';
      const sharing = NamedPhrases.fromKnowledge(
        {
          ...kb,
          corpus: {
            ...kb.corpus,
            en: new Map([
              ...kb.corpus.en,
              [OUT_OF_SCOPE_INTENT, [...oos, `what is a ${recordPhrase} in a game`]],
            ]),
          },
        },
        [],
      );
      expect(sharing.named(recordPhrase, 'en')).toBe(true);
    });

    it('never refuses a question naming a body of the directory (the Governor General, the SCHL)', async () => {
      const { recognizer } = await shippedKnowledge();
      // Both were refused as out of scope before the bodies' phrases counted (2026-12-05).
      for (const text of [
        'mon grand-père fête ses 95 ans, une carte du gouverneur général?',
        'assurance hypothécaire SCHL premier achat',
      ]) {
        const r = await recognizer.recognize(text, 'fr');
        expect(r.outOfScope).toBe(false);
      }
    });
  });

  it('never refuses a question that names a service, even in everyday words', async () => {
    const { recognizer } = await shippedKnowledge();
    for (const [text, lang] of [
      ['planning a family reunion picnic in July, can my aunt come on a super visa', 'en'],
      ['le Bureau de la concurrence, pour une pub de pizza trop belle pour être vraie', 'fr'],
      ['SIN near Moosonee this weekend', 'en'],
    ] as const) {
      const r = await recognizer.recognize(text, lang);
      expect(r.outOfScope).toBe(false);
    }
  });
});
