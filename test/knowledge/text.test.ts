import { contentStems, keepingStems, keptTexts, tokenize } from '../../knowledge/nlu/text';

describe('reading text while the knowledge is built', () => {
  const texts: Array<[string, 'en' | 'fr']> = [
    ["I lost my SIN card and my driver's licence", 'en'],
    ["J'ai perdu ma carte d'assurance-maladie à l'aéroport", 'fr'],
    ['OHIP+ for my kids', 'en'],
  ];

  it('gives the same tokens and stems as outside a build, and a caller cannot change them', async () => {
    const outside = texts.map(([t, l]) => [tokenize(t), contentStems(t, l)]);
    const inside = await keepingStems(async () =>
      texts.map(([t, l]) => {
        const first = [tokenize(t), contentStems(t, l)];
        // Mutating what was returned must not reach the next reader of the same text.
        first[0].push('changed');
        first[1].splice(0, first[1].length);
        return [tokenize(t), contentStems(t, l)];
      }),
    );
    expect(inside).toEqual(outside);
    expect(outside[1][1]).toEqual(expect.arrayContaining(['perdu', 'aeroport']));
  });

  it('stops keeping texts when the build ends, even when it fails', async () => {
    await expect(
      keepingStems(async () => {
        contentStems('a build that fails', 'en');
        expect(keptTexts()).toBe(1);
        throw new Error('bad record');
      }),
    ).rejects.toThrow('bad record');
    expect(keptTexts()).toBe(0);
    // Outside a build the short memo answers: the same words, as before.
    expect(contentStems('a build that fails', 'en')).toEqual(['build', 'fail']);
  });
});
