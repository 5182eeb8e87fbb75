import fs from 'node:fs';
import path from 'node:path';
import { loadBodies } from '../../knowledge/agencies/load';
import { loadInventory } from '../../knowledge/inventory/load';
import { loadKnowledge } from '../../knowledge/load';
import { trainingDocuments } from '../../knowledge/nlu/classifier';
import { foldedPhrase } from '../../knowledge/nlu/text';
import { LANGUAGES } from '../../knowledge/schema';

const FIXTURES = path.join(__dirname, '..', 'fixtures');

describe('evaluation questions', () => {
  const kb = loadKnowledge();
  // The directory of government bodies is matched by its names and keywords: they count as training too.
  const bodies = loadBodies().bodies;
  const training = new Set([
    ...LANGUAGES.flatMap((lang) => trainingDocuments(kb, lang).map(([text]) => foldedPhrase(text))),
    ...LANGUAGES.flatMap((lang) =>
      bodies.flatMap((b) => [b.name[lang], ...b.keywords[lang]]).map(foldedPhrase),
    ),
    // So are the federal inventory's words people use.
    ...LANGUAGES.flatMap((lang) =>
      Object.values(loadInventory().keywords).flatMap((k) => k[lang].map(foldedPhrase)),
    ),
  ]);
  const sets = fs.readdirSync(FIXTURES).filter((f) => /^nlu-.*\.json$/.test(f));

  it('come in several independent sets', () => {
    expect(sets).toEqual(
      expect.arrayContaining([
        'nlu-dev.json',
        'nlu-holdout.json',
        'nlu-challenge.json',
        'nlu-breadth.json',
      ]),
    );
  });

  it.each(sets)(
    'in %s are never training strings (corpus questions, names or keywords of records, bodies and inventory services, folded)',
    (file) => {
      const questions = JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')) as Array<{
        q: string;
      }>;
      expect(questions.length).toBeGreaterThan(100);
      expect(questions.filter((q) => training.has(foldedPhrase(q.q))).map((q) => q.q)).toEqual([]);
    },
  );
});
