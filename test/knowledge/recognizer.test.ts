import { evaluate, loadQuestions } from '../bench/nlu-eval';
import { shippedKnowledge } from '../helpers/knowledge';
import { ENSEMBLE, preferNamedGovernment } from '../../knowledge/nlu/recognizer';

describe('understanding questions', () => {
  it.each([
    ['en', 'I lost my SIN card', 'sin'],
    ['fr', "j'ai perdu mon NAS", 'sin'],
    ['en', 'my landlord wants to evict me', 'landlord-tenant'],
    ['fr', 'mon propriétaire veut m’expulser', 'landlord-tenant'],
    ['en', 'where do I pay my parking ticket', 'parking-ticket'],
    ['fr', 'où payer ma contravention de stationnement', 'parking-ticket'],
    ['en', 'we just had a baby', 'bundle-newborn'],
    ['fr', 'on vient d’avoir un bébé', 'bundle-newborn'],
    ['en', 'renew my health card', 'health-card'],
    ['fr', 'renouveler ma carte sante', 'health-card'],
    ['en', 'how do I apply for pogey', 'ei-regular'],
    ['fr', 'comment demander le chômage', 'ei-regular'],
    ['en', 'my property tax bill is wrong', 'property-tax'],
    ['fr', 'impot foncier', 'property-tax'],
    // Records of 2026-12-05 for questions that got nothing, or the wrong record (child protection).
    [
      'fr',
      'je pense que ma voisine âgée se fait maltraiter par son fils, qui appeler',
      'elder-abuse',
    ],
    ['en', "my ex won't let me see my kids", 'parenting-time-decision-making'],
    ['en', 'where can I get a free flu shot', 'adult-vaccines'],
  ] as const)('[%s] "%s" → %s', async (lang, q, id) => {
    const { recognizer } = await shippedKnowledge();
    const r = await recognizer.recognize(q);
    expect(r.textLanguage).toBe(lang);
    expect(r.outOfScope).toBe(false);
    expect(r.results[0].id).toBe(id);
  });

  it.each([
    ['en', 'I need to renw my pasport', ['passport']],
    // A lost card may also be the lost-ID life event: either way the typo no longer hides it.
    ['en', 'lost my helth card', ['health-card', 'bundle-lost-id']],
    ['fr', 'renouvelement de mon passeprot', ['passport']],
  ])('[%s] corrects typos: "%s"', async (_lang, q, ids) => {
    const { recognizer } = await shippedKnowledge();
    const r = await recognizer.recognize(q);
    expect(r.outOfScope).toBe(false);
    expect(ids).toContain(r.results[0].id);
  });

  it.each([
    'what is the weather tomorrow in Ottawa',
    'tell me a joke',
    'who won the hockey game last night',
    'how do I make pancakes',
    'quel temps fera-t-il demain',
    'raconte-moi une blague',
    'recette de tourtière',
    'qui a gagné le match des Canadiens',
  ])('says "%s" is out of scope', async (q) => {
    const { recognizer } = await shippedKnowledge();
    const r = await recognizer.recognize(q);
    expect(r.outOfScope).toBe(true);
    expect(r.results).toEqual([]);
  });

  it.each([
    ['NAS', 'fr'],
    ['SIN', 'en'],
    ['passeport', 'fr'],
    ['passport', 'en'],
    ['assurance-emploi', 'fr'],
    ['bonjour', 'fr'],
    ['hello', 'en'],
  ])('detects the language of the short message "%s" as %s', async (q, lang) => {
    const { recognizer } = await shippedKnowledge();
    expect(recognizer.detectLanguage(q).language).toBe(lang);
  });

  it('answers in the requested language whatever the text language', async () => {
    const { recognizer } = await shippedKnowledge();
    const r = await recognizer.recognize('I lost my SIN', 'fr');
    expect(r.language).toBe('fr');
    expect(r.textLanguage).toBe('en');
    expect(r.results[0].id).toBe('sin');
  });

  // The classifier's first choice is "a municipal question outside the catalogue" (the town's name
  // leans that way), but the first result is a municipal record and the confidence model is sure of it.
  it('answers a record of the government the outside intent names: "pothole in Toronto"', async () => {
    const { recognizer } = await shippedKnowledge();
    const s = await recognizer.signals('how do i report a pothole in toronto', 'en');
    expect(s.ranked[0].id).toBe('roads-potholes');
    expect(s.outsideJurisdiction).toBe('municipal');
    expect(s.outside).toBeGreaterThan(0.5);
    expect(s.outsideTop).toBe(false);
    const r = await recognizer.recognize('how do I report a pothole in Toronto');
    expect(r.confident).toBe(true);
    expect(r.results[0].id).toBe('roads-potholes');
  });

  // Amounts and household words ("a couple with one child", "each month") pull the ranking
  // apart, but the question names the program: the confidence model's `namedTop` signal (weight
  // 0.9) makes the answer confident (without it: probability 0.27, "not sure").
  it('answers with confidence a question that names its service by acronym: "how much does ODSP pay…"', async () => {
    const { recognizer } = await shippedKnowledge();
    const q = 'how much does ODSP pay a couple with one child each month';
    const s = await recognizer.signals(recognizer.prepare(q, 'en'), 'en', q);
    expect(s.ranked[0].id).toBe('odsp');
    expect(s.namedTop).toBe(true);
    const r = await recognizer.recognize(q);
    expect(r.confident).toBe(true);
    expect(r.results[0].id).toBe('odsp');
    // The same letters in lower case name nothing: the signal is off.
    const lower = q.toLowerCase();
    expect((await recognizer.signals(recognizer.prepare(lower, 'en'), 'en', lower)).namedTop).toBe(
      false,
    );
  });

  // A regression floor, not the target: top-1 counts only answers given with confidence (a "not sure"
  // is a miss), so it sits below the raw ranking's accuracy; bench:nlu reports the figures.
  it('keeps at least 85% confident top-1 on the development set in each language (CI floor)', async () => {
    const { recognizer, kb } = await shippedKnowledge();
    const f = await evaluate(recognizer, kb, loadQuestions('nlu-dev'));
    expect(f.perLanguage.en.top1).toBeGreaterThanOrEqual(0.85);
    expect(f.perLanguage.fr.top1).toBeGreaterThanOrEqual(0.85);
    expect(f.outOfScopeRecall).toBeGreaterThanOrEqual(0.85);
  });
});

describe('a question that names one government', () => {
  const ranked = () => [
    { id: 'seniors-dental', score: 0.49 },
    { id: 'canada-dental-care-plan', score: 0.38 },
    { id: 'dental-care-bundle', score: 0.2 },
  ];
  const jurisdictionOf = (id: string) =>
    (
      ({
        'seniors-dental': 'provincial',
        'canada-dental-care-plan': 'federal',
        'dental-care-bundle': 'shared',
      }) as const
    )[id];

  it("raises that government's records, in either language", () => {
    for (const prepared of [
      'is there a federal dental plan',
      'un regime federal de soins dentaires',
    ]) {
      const out = preferNamedGovernment(ranked(), prepared, jurisdictionOf);
      expect(out.map((r) => r.id)).toEqual([
        'canada-dental-care-plan',
        'seniors-dental',
        'dental-care-bundle',
      ]);
      expect(out[0].score).toBeCloseTo(0.38 * (1 + ENSEMBLE.namedGovernmentBoost));
      expect(out[1].score).toBe(0.49);
    }
  });

  it('changes nothing when the question names no government, or asks which of two', () => {
    for (const prepared of ['dental plan for seniors', 'is dental care federal or provincial']) {
      expect(preferNamedGovernment(ranked(), prepared, jurisdictionOf)).toEqual(ranked());
    }
  });

  it('reads the city and the province as governments too', () => {
    const out = preferNamedGovernment(
      [
        { id: 'elections-ontario', score: 0.4 },
        { id: 'municipal-election', score: 0.35 },
      ],
      'voters list for the city election',
      (id) => (id === 'municipal-election' ? 'municipal' : 'provincial'),
    );
    expect(out[0].id).toBe('municipal-election');
  });
});
