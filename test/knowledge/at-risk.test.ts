import { lookup } from '../../knowledge/lookup';
import { shippedKnowledge } from '../helpers/knowledge';

/**
 * Someone who may harm themselves or another is never refused nor left unsure: the crisis lines
 * answer first. Words that only look alike (an accident at work, « en finir avec les fourmis ») are
 * left to the model, and a record the model is sure of keeps its place.
 */
describe('questions of someone at risk', () => {
  const ask = async (q: string) => lookup((await shippedKnowledge()).answering, q);

  it.each([
    'my friend might hurt himself',
    'my brother keeps talking about suicide what do I do',
    'I want to die',
    'she is thinking of killing herself',
    'je veux en finir, j’en peux plus',
    'mon fils parle de se suicider',
    'j’ai peur qu’il se fasse du mal… non, qu’il veuille se tuer',
    'SUICIDE',
  ])('%j: the crisis lines, first and sure', async (q) => {
    const a = await ask(q);
    expect(a.outOfScope).toBe(false);
    expect(a.confident).toBe(true);
    expect(a.results[0].id).toBe('mental-health-support');
    expect(a.results[0].contacts.map((c) => c.id)).toContain('oh-988-crisis-line');
  });

  it.each([
    ['comment en finir avec les fourmis dans la cuisine', null],
    ['I hurt myself at work, can I get WSIB', 'wsib'],
  ])('%j is not taken for one', async (q, expected) => {
    const a = await ask(q);
    expect(a.results[0]?.id ?? null).toBe(expected);
  });
});
