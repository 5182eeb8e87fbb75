import { loadKnowledge } from '../../knowledge/load';
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

  it('leaves out an acronym that everyday questions use as a word (APP)', () => {
    expect(phrases.namedAcronym('the APP keeps crashing on my phone', 'en')).toBe(false);
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
