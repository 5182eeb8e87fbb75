import { Language, LANGUAGES } from '../../knowledge/schema';
import { LifeEventDialog } from '../../dialogs/life-event-dialog';
import { playTranscript, Row } from '../helpers/dialogs';

const NEWBORN: Record<Language, Row[]> = {
  en: [
    [
      'we had a baby',
      [
        /^Having a baby: your checklist.*One application does it all.*only if you consent.*1\. EI maternity and parental benefits \(Government of Canada \(federal\)\).*2\. Ontario health card \(OHIP\) \(Government of Ontario \(provincial\)\).*3\. Newborn birth registration \(Government of Ontario \(provincial\)\).*5\. Social Insurance Number \(Government of Canada \(federal\)\).*"title":"Next step","data":\{"action":"nextStep","event":"bundle-newborn","step":0\}/s,
      ],
    ],
    [
      'next',
      [
        /^Step 1 of 6: EI maternity and parental benefits.*Government of Canada \(federal\).*"step":1/s,
      ],
    ],
    [
      { value: { action: 'nextStep', event: 'bundle-newborn', step: 4 } },
      [/^Step 5 of 6: Social Insurance Number.*Government of Canada \(federal\)/s],
    ],
    ['next step please', [/^Step 6 of 6: Canada Child Benefit.*That was the last step/s]],
  ],
  fr: [
    [
      'nous avons eu un bébé',
      [
        /^Naissance d'un enfant : votre liste de vérification.*Une seule demande suffit.*que si vous y consentez.*1\. Prestations de maternité et parentales de l'AE \(Gouvernement du Canada \(fédéral\)\).*3\. Enregistrement de la naissance \(Gouvernement de l'Ontario \(provincial\)\).*"title":"Étape suivante"/s,
      ],
    ],
    [
      'suivant',
      [
        /^Étape 1 sur 6 : Prestations de maternité et parentales de l'AE.*Gouvernement du Canada \(fédéral\)/s,
      ],
    ],
    [
      { value: { action: 'nextStep', event: 'bundle-newborn', step: 4 } },
      [/^Étape 5 sur 6 : Numéro d'assurance sociale.*Gouvernement du Canada \(fédéral\)/s],
    ],
    [
      'étape suivante svp',
      [/^Étape 6 sur 6 : Allocation canadienne pour enfants.*C'était la dernière étape/s],
    ],
  ],
};

const INTERRUPTED: Record<Language, Row[]> = {
  en: [
    ['we are moving', [/^Moving: your checklist/]],
    ['how do I renew my passport', []],
  ],
  fr: [
    ['nous déménageons', [/^Déménagement : votre liste de vérification/]],
    ['comment renouveler mon passeport', []],
  ],
};

describe.each(LANGUAGES)('LifeEventDialog (%s)', (lang) => {
  it('walks through the newborn checklist step by step, each with its government, explaining the one application and consent', async () => {
    const client = await playTranscript(
      (deps) => new LifeEventDialog(deps),
      { id: 'bundle-newborn' },
      lang,
      NEWBORN[lang],
    );
    expect(client.dialogTurnResult.status).toBe('complete');
  });

  it('hands anything other than "next" back to be answered as a new question', async () => {
    const client = await playTranscript(
      (deps) => new LifeEventDialog(deps),
      { id: 'bundle-moving' },
      lang,
      INTERRUPTED[lang],
    );
    expect(client.dialogTurnResult).toMatchObject({
      status: 'complete',
      result: { reroute: true },
    });
  });

  it('shows the steps as text on a channel without cards', async () => {
    const rows: Row[] = [
      [
        lang === 'en' ? 'lost ID' : 'pièces perdues',
        [
          lang === 'en'
            ? /^Lost or stolen identity documents: your checklist\n.*\n1\. .*\(Government of .*\)\n.*Reply “next” for the next step\.$/s
            : /^.* : votre liste de vérification\n.*\n1\. .*\(Gouvernement .*\)\n.*Répondez « suivant » pour passer à l'étape suivante\.$/s,
        ],
      ],
    ];
    await playTranscript(
      (deps) => new LifeEventDialog(deps),
      { id: 'bundle-lost-id' },
      lang,
      rows,
      'sms',
    );
  });
});
