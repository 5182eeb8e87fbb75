import { Language, LANGUAGES } from '../../knowledge/schema';
import { DisambiguationDialog } from '../../dialogs/disambiguation-dialog';
import { playTranscript, Row } from '../helpers/dialogs';

const IDS = ['drivers-licence', 'firearms-licence', 'marriage-licence'];

const OFFER: Record<Language, RegExp> = {
  en: /^A few services could match\. Which one do you mean\?\n1\. Driver's licence renewal and replacement\n2\. Firearms possession and acquisition licence\n3\. Marriage licence\n.*\[Driver's licence renewal and replacement\]\n\[Firearms possession and acquisition licence\]\n\[Marriage licence\]\n\[None of these\]$/s,
  fr: /^Quelques services pourraient correspondre\. Duquel parlez-vous\?\n1\. Renouvellement et remplacement du permis de conduire\n2\. .*\n3\. Licence de mariage\n.*\[Aucun de ceux-ci\]$/s,
};

const CASES: Record<Language, Array<[string, Row[], object]>> = {
  en: [
    [
      'a number',
      [
        ['licence', [OFFER.en]],
        ['2', []],
      ],
      { chosen: 'firearms-licence' },
    ],
    [
      'a name',
      [
        ['licence', [OFFER.en]],
        ['Marriage licence', []],
      ],
      { chosen: 'marriage-licence' },
    ],
    [
      'a button value',
      [
        ['licence', [OFFER.en]],
        [{ value: { action: 'showService', id: 'drivers-licence' } }, []],
      ],
      { chosen: 'drivers-licence' },
    ],
    [
      'none of these',
      [
        ['licence', [OFFER.en]],
        ['none of these', ['Tell me a little more about what you need']],
      ],
      {},
    ],
    [
      'another question',
      [
        ['licence', [OFFER.en]],
        ['how do I get a passport', []],
      ],
      { reroute: true },
    ],
  ],
  fr: [
    [
      'un numéro',
      [
        ['permis', [OFFER.fr]],
        ['3', []],
      ],
      { chosen: 'marriage-licence' },
    ],
    [
      'un nom',
      [
        ['permis', [OFFER.fr]],
        ['licence de mariage', []],
      ],
      { chosen: 'marriage-licence' },
    ],
    [
      'un nom dans l’autre langue',
      [
        ['permis', [OFFER.fr]],
        ['Marriage licence', []],
      ],
      { chosen: 'marriage-licence' },
    ],
    [
      'aucun',
      [
        ['permis', [OFFER.fr]],
        ['aucun de ceux-ci', ["Dites-m'en un peu plus"]],
      ],
      {},
    ],
    [
      'une autre question',
      [
        ['permis', [OFFER.fr]],
        ['comment obtenir un passeport', []],
      ],
      { reroute: true },
    ],
  ],
};

describe.each(LANGUAGES)('DisambiguationDialog (%s)', (lang) => {
  it.each(CASES[lang])(
    'offers the closest services and takes the choice by %s',
    async (_how, rows, result) => {
      const client = await playTranscript(
        (deps) => new DisambiguationDialog(deps),
        { ids: IDS },
        lang,
        rows,
      );
      expect(client.dialogTurnResult.status).toBe('complete');
      expect(client.dialogTurnResult.result ?? {}).toEqual(result);
    },
  );
});
