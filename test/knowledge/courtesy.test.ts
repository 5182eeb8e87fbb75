import { lookup } from '../../knowledge/lookup';
import { stripCourtesy } from '../../knowledge/nlu/courtesy';
import { shippedKnowledge } from '../helpers/knowledge';

describe('greetings and sign-offs around a question', () => {
  it.each([
    ['Good morning, how do I renew my passport? Much appreciated!', 'how do I renew my passport?'],
    [
      'Hi there! Quick question: is my health card still valid? Thanks so much',
      'is my health card still valid?',
    ],
    ['Hello, where do I report a pothole. Have a great day', 'where do I report a pothole'],
    [
      'Bonjour, comment renouveler mon passeport? Merci beaucoup, bonne journée',
      'comment renouveler mon passeport?',
    ],
    ['Allô, petite question : mon NAS est perdu. Merci à l’avance', 'mon NAS est perdu'],
    ['Salut tout le monde, ma carte Santé est expirée', 'ma carte Santé est expirée'],
    // A call-centre agent's framing of the caller's question.
    ['Caller wants to know if her health card is still valid', 'her health card is still valid'],
    ['caller needs a liquor licence for her restaurant', 'a liquor licence for her restaurant'],
    ['Client is asking: how do I renew my passport?', 'how do I renew my passport?'],
    ["L'appelante demande comment renouveler son permis", 'renouveler son permis'],
    ["l'appelant veut savoir si son NAS est encore valide", 'son NAS est encore valide'],
  ])('reads %j as %j', (asked, plain) => {
    expect(stripCourtesy(asked)).toBe(plain);
  });

  it.each(['thanks', 'Hello', 'Merci beaucoup', 'good morning!'])(
    'keeps %j whole: nothing else would remain',
    (text) => expect(stripCourtesy(text)).toBe(text),
  );

  it('leaves a caller who is the subject of the question alone', () => {
    expect(stripCourtesy('caller lost her SIN card')).toBe('caller lost her SIN card');
    expect(stripCourtesy("l'appelant a perdu son passeport")).toBe(
      "l'appelant a perdu son passeport",
    );
  });

  it('leaves words inside the question alone ("thank-you card", "Good Friday hours")', () => {
    expect(stripCourtesy('can I mail a thank you card to a veteran')).toBe(
      'can I mail a thank you card to a veteran',
    );
    expect(stripCourtesy('Is ServiceOntario open on Good Friday?')).toBe(
      'Is ServiceOntario open on Good Friday?',
    );
  });

  it('gives a polite question the plain question’s answer, in both languages', async () => {
    const { answering } = await shippedKnowledge();
    const pairs = [
      [
        'I lost my social insurance card',
        'Good morning, I lost my social insurance card. Much appreciated!',
      ],
      ['renew my health card', 'Hi there! Quick question: renew my health card, thanks so much'],
      [
        "j'ai perdu ma carte d'assurance sociale",
        "Bonjour, j'ai perdu ma carte d'assurance sociale. Merci beaucoup, bonne journée",
      ],
    ];
    for (const [plain, polite] of pairs) {
      const a = await lookup(answering, plain);
      const b = await lookup(answering, polite);
      expect(a.results[0]?.id).toBeDefined();
      expect({ polite, top: b.results[0]?.id, confident: b.confident }).toEqual({
        polite,
        top: a.results[0]?.id,
        confident: a.confident,
      });
    }
  });
});

describe('the language of a polite question', () => {
  it('still comes from the whole text, greeting included', async () => {
    const { answering } = await shippedKnowledge();
    const a = await lookup(answering, 'Bonjour, OHIP. Merci beaucoup');
    expect(a.language).toBe('fr');
    const b = await lookup(answering, 'Hi there, passport please. Thanks!');
    expect(b.language).toBe('en');
  });
});
