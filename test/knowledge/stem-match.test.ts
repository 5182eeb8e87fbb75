import { sameStem, StemVocabulary, stemIn } from '../../knowledge/nlu/stem-match';
import { contentStems } from '../../knowledge/nlu/text';
import { loadKnowledge } from '../../knowledge/load';
import { loadQuestions } from '../bench/nlu-eval';

describe('matching stems', () => {
  it.each([
    ['licenc', 'licence', true],
    ['radio', 'radioact', false],
    ['pass', 'passport', false],
    ['sante', 'sante', true],
  ])('"%s" and "%s" name the same word: %s', (a, b, same) => {
    expect(sameStem(a, b)).toBe(same);
    expect(sameStem(b, a)).toBe(same);
  });

  it('finds in a vocabulary what comparing with every word finds, for every question stem and every subset', () => {
    const kb = loadKnowledge();
    const words = [...new Set(kb.records.flatMap((r) => contentStems(r.answer.en, 'en')))];
    const vocabulary = new StemVocabulary(words);
    // Subsets of the vocabulary: every seventh word, and each record's words.
    const subsets = [
      new Set(words.filter((_, i) => i % 7 === 0)),
      ...kb.records.map((r) => new Set(contentStems(r.answer.en, 'en'))),
    ];
    const asked = new Set(
      ['nlu-dev', 'nlu-breadth'].flatMap((s) =>
        loadQuestions(s).flatMap((q) => contentStems(q.q, 'en')),
      ),
    );
    let found = 0;
    const differ: string[] = [];
    for (const stem of asked) {
      const matches = [...vocabulary.matches(stem)].sort().join();
      if (
        matches !==
        words
          .filter((w) => sameStem(stem, w))
          .sort()
          .join()
      )
        differ.push(stem);
      for (const subset of subsets) {
        const expected = stemIn(stem, subset);
        if (vocabulary.has(stem, subset) !== expected) differ.push(stem);
        if (expected) found++;
      }
    }
    expect(differ).toEqual([]);
    expect(found).toBeGreaterThan(1000);
  });
});
