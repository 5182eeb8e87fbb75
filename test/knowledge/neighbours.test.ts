import { loadKnowledge } from '../../knowledge/load';
import { NearestExamples } from '../../knowledge/nlu/neighbours';
import { OUT_OF_SCOPE_INTENT, OUTSIDE_INTENTS } from '../../knowledge/schema';

describe('NearestExamples: the example questions nearest to a question vote for their intents', () => {
  const kb = loadKnowledge();
  const near = NearestExamples.fromKnowledge(kb);
  const topOf = (shares: Map<string, number>) =>
    [...shares.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];

  it('an example asked as written is its own nearest example (cosine 1)', () => {
    const [id, examples] = [...kb.corpus.en.entries()].find(([i]) => i === 'sin') as [
      string,
      string[],
    ];
    const vote = near.vote(examples[0], 'en');
    expect(vote.best).toBeCloseTo(1, 5);
    expect(topOf(vote.shares)).toBe(id);
  });

  it('votes in the question language, and the shares sum to 1', () => {
    const fr = near.vote('mon numéro d’assurance sociale est perdu', 'fr');
    expect(topOf(fr.shares)).toBe('sin');
    const total = [...fr.shares.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 6);
    expect(fr.best).toBeGreaterThan(0);
    expect(fr.best).toBeLessThanOrEqual(1);
  });

  it('out-of-scope examples vote too: small talk goes to them, not to a record', () => {
    const vote = near.vote('good morning how are you today', 'en');
    expect(topOf(vote.shares)).toBe(OUT_OF_SCOPE_INTENT);
  });

  it('extra examples vote for their intent (a body no record covers, for the outside intent)', () => {
    const withBody = NearestExamples.fromKnowledge(kb, [
      {
        intent: OUTSIDE_INTENTS.provincial,
        phrases: {
          en: ['RECO real estate agent complaint'],
          fr: ['RECO plainte agent immobilier'],
        },
      },
    ]);
    const q = 'reco complaint about my real estate agent';
    expect(topOf(withBody.vote(q, 'en').shares)).toBe(OUTSIDE_INTENTS.provincial);
    expect(near.vote(q, 'en').shares.get(OUTSIDE_INTENTS.provincial) ?? 0).toBeLessThan(
      withBody.vote(q, 'en').shares.get(OUTSIDE_INTENTS.provincial) as number,
    );
  });

  it('no known word: no vote at all', () => {
    const vote = near.vote('zxqv wrrrblt', 'en');
    expect(vote.shares.size).toBe(0);
    expect(vote.best).toBe(0);
  });

  it('one question does not leak into the next (the same question votes the same)', () => {
    const a = near.vote('renew my passport before a trip', 'en');
    near.vote('apply for employment insurance after a layoff', 'en');
    const b = near.vote('renew my passport before a trip', 'en');
    expect([...b.shares]).toEqual([...a.shares]);
    expect(b.best).toBe(a.best);
  });
});
