import { Language, LANGUAGES } from '../../knowledge/schema';
import { FallbackDialog } from '../../dialogs/fallback-dialog';
import { HelpDialog } from '../../dialogs/help-dialog';
import { playTranscript, Row } from '../helpers/dialogs';

const OFF_TOPIC: Record<Language, Row[]> = {
  en: [
    [
      'what is the weather tomorrow',
      [
        /^Sorry, I can only help with government services in Ontario.*1 800 O-Canada \(1-800-622-6232\).*ServiceOntario's contact centre \(1-800-267-8097\).*your municipality \(311 where your city has it\) for municipal matters.*canada\.ca \(https:\/\/www\.canada\.ca\/en\/sr\/srb\.html\) and ontario\.ca \(https:\/\/www\.ontario\.ca\/search\/search-results\)/s,
      ],
    ],
  ],
  fr: [
    [
      'quel temps fera-t-il demain',
      [
        /^Désolé, je ne peux vous aider qu'avec les services gouvernementaux en Ontario.*1 800 O-Canada \(1-800-622-6232\).*ServiceOntario \(1-800-267-8097\).*votre municipalité \(le 311 là où votre ville l'offre\) pour les questions municipales.*canada\.ca \(https:\/\/www\.canada\.ca\/fr\/sr\/srb\.html\)/s,
      ],
    ],
  ],
};

const UNKNOWN: Record<Language, Row[]> = {
  en: [
    ['renew my unicorn permit', [/^Sorry, I couldn't find a government service.*1-800-622-6232/s]],
  ],
  fr: [
    [
      'renouveler mon permis de licorne',
      [/^Désolé, je n'ai pas trouvé de service gouvernemental.*1-800-622-6232/s],
    ],
  ],
};

const HELP: Record<Language, Row[]> = {
  en: [
    [
      'what now',
      [
        /^I can tell you which government handles a service.*\[Renew my health card\].*\[We just had a baby\]/s,
      ],
    ],
  ],
  fr: [
    [
      'et maintenant',
      [
        /^Je peux vous dire quel gouvernement s'occupe d'un service.*\[Renouveler ma carte Santé\].*\[Nous venons d'avoir un bébé\]/s,
      ],
    ],
  ],
};

describe.each(LANGUAGES)('FallbackDialog (%s)', (lang) => {
  it('declines an off-topic message politely and gives the phone lines and official searches', async () => {
    await playTranscript(
      (deps) => new FallbackDialog(deps),
      { outOfScope: true },
      lang,
      OFF_TOPIC[lang],
    );
  });

  it('says when no service matches, with the same ways to get help', async () => {
    await playTranscript(
      (deps) => new FallbackDialog(deps),
      { outOfScope: false },
      lang,
      UNKNOWN[lang],
    );
  });
});

describe.each(LANGUAGES)('HelpDialog (%s)', (lang) => {
  it('says what the bot can do, with example questions as suggested actions', async () => {
    const client = await playTranscript((deps) => new HelpDialog(deps), {}, lang, HELP[lang]);
    expect(client.dialogTurnResult.status).toBe('complete');
  });
});
