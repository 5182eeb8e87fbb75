import { LANGUAGES, Language } from '../../knowledge/schema';
import { ServiceAnswerDialog } from '../../dialogs/service-answer-dialog';
import { playTranscript, Row } from '../helpers/dialogs';

const TRANSCRIPTS: Record<Language, { id: string; rows: Row[] }[]> = {
  en: [
    {
      id: 'health-card',
      rows: [
        [
          'renew my health card',
          [
            'Ontario health card (OHIP): Government of Ontario (provincial), delivered by ServiceOntario',
          ],
        ],
      ],
    },
    {
      id: 'sin',
      rows: [
        [
          'I lost my SIN',
          [
            /"version":"1.5".*Government of Canada \(federal\).*What to bring.*Do it online.*"action":"findOffice","service":"sin"/,
          ],
        ],
      ],
    },
    { id: 'parking-ticket', rows: [['parking ticket', [/Your municipality \(municipal\)/]]] },
  ],
  fr: [
    {
      id: 'health-card',
      rows: [
        [
          'renouveler ma carte Santé',
          [
            "Carte Santé de l'Ontario (Assurance-santé) : Gouvernement de l'Ontario (provincial), offert par ServiceOntario",
          ],
        ],
      ],
    },
    {
      id: 'sin',
      rows: [
        [
          "j'ai perdu mon NAS",
          [
            /"version":"1.5".*Gouvernement du Canada \(fédéral\).*Quoi apporter.*Le faire en ligne.*"action":"findOffice","service":"sin"/,
          ],
        ],
      ],
    },
    {
      id: 'parking-ticket',
      rows: [['contravention de stationnement', [/Votre municipalité \(municipal\)/]]],
    },
  ],
};

describe.each(LANGUAGES)('ServiceAnswerDialog (%s)', (lang) => {
  it.each(TRANSCRIPTS[lang].map((t) => [t.id, t] as const))(
    'shows the %s card with its government, what to bring and the buttons',
    async (_id, t) => {
      await playTranscript((deps) => new ServiceAnswerDialog(deps), { id: t.id }, lang, t.rows);
    },
  );

  it('answers in plain text on a channel without cards', async () => {
    const rows: Row[] = [
      [
        lang === 'en' ? 'passport please' : 'passeport svp',
        [
          lang === 'en'
            ? /^Canadian passport\nResponsible government: Government of Canada \(federal\)\n.*\n- .*\nOnline: https:\/\/www\.canada\.ca\/en\/.*\nTo find an office, reply “office”\.$/s
            : /^Passeport canadien\nGouvernement responsable : Gouvernement du Canada \(fédéral\)\n.*\nEn ligne : https:\/\/www\.canada\.ca\/fr\/.*répondez « bureau »\.$/s,
        ],
      ],
    ];
    const client = await playTranscript(
      (deps) => new ServiceAnswerDialog(deps),
      { id: 'passport' },
      lang,
      rows,
      'sms',
    );
    expect(client.dialogTurnResult.status).toBe('complete');
  });
});
