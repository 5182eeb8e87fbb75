import { Language, LANGUAGES } from '../../knowledge/schema';
import { choicesFor, MainDialog } from '../../dialogs/main-dialog';
import { playTranscript, Row } from '../helpers/dialogs';

/**
 * A bare ambiguous word gets choices: "did you mean…" when the closest services are close, or "not
 * sure" with who to call and the same choices when none is likely enough (which one depends on the
 * trained model's scores).
 */
const CHOICES: Record<Language, RegExp> = {
  en: /^(A few services could match|I'm not sure which service you mean\..*Is it one of these\?)/s,
  fr: /^(Quelques services pourraient correspondre|Je ne suis pas certain du service dont vous parlez\..*S'agit-il de l'un de ceux-ci\?)/s,
};

const ROUTING: Record<Language, Row[]> = {
  en: [
    ['office', ['Which service do you need an office for?']],
    ['next', ["There's no step in progress."]],
    [
      'I lost my SIN card',
      [/^Social Insurance Number: Government of Canada \(federal\), delivered by Service Canada\./],
    ],
    [
      'find an office',
      [
        /^In person, Social Insurance Number is available at a Service Canada Centre or a Service Canada scheduled outreach site\.\n\nOnline: https:\/\/www\.canada\.ca\/en\//,
      ],
    ],
    [
      { value: { action: 'findOffice', service: 'health-card' } },
      [/^In person, Ontario health card \(OHIP\) is available at a ServiceOntario centre\./],
    ],
    ['we just had a baby', [/^Having a baby: your checklist/]],
    ['next', [/^Step 1 of 6/]],
    [
      'tell me a joke about cats',
      [/^Sorry, I can only help with government services.*1-800-622-6232/s],
    ],
    ['licence', [CHOICES.en]],
    ['1', [/^Driver's licence renewal and replacement: Government of Ontario \(provincial\)/]],
    [
      'garbage pickup day',
      [/^Garbage, recycling and green bin collection: Your municipality \(municipal\)/],
    ],
    ['hello', ['Hello! What government service can I help you with?']],
    ['thanks!', ["You're welcome!"]],
    [{ value: { action: 'bogus' } }, ['That button is no longer active.']],
    [{ value: { note: 'an image' } }, ['I can only read typed text.']],
  ],
  fr: [
    ['bureau', ['Pour quel service cherchez-vous un bureau?']],
    ['suivant', ["Aucune démarche n'est en cours."]],
    [
      "j'ai perdu ma carte d'assurance sociale",
      [
        /^Numéro d'assurance sociale \(NAS\) : Gouvernement du Canada \(fédéral\), offert par Service Canada\./,
      ],
    ],
    [
      'trouver un bureau',
      [
        /^En personne, le service Numéro d'assurance sociale \(NAS\) est offert dans un Centre Service Canada ou un site de services mobiles de Service Canada\.\n\nEn ligne : https:\/\/www\.canada\.ca\/fr\//,
      ],
    ],
    [
      { value: { action: 'findOffice', service: 'health-card' } },
      [
        /^En personne, le service Carte Santé de l'Ontario \(Assurance-santé\) est offert dans un centre ServiceOntario\./,
      ],
    ],
    ['nous venons d’avoir un bébé', [/^Naissance d'un enfant : votre liste de vérification/]],
    ['suivant', [/^Étape 1 sur 6/]],
    [
      'raconte-moi une blague sur les chats',
      [/^Désolé, je ne peux vous aider qu'avec les services gouvernementaux.*1-800-622-6232/s],
    ],
    ['un certificat svp', [CHOICES.fr]],
    ['1', [/^Certificat de (naissance|citoyenneté|mariage|décès)[^:]* : Gouvernement/]],
    [
      'collecte des ordures',
      [/^Collecte des ordures, du recyclage et du bac vert : Votre municipalité \(municipal\)/],
    ],
    ['bonjour', ['Bonjour! Pour quel service gouvernemental puis-je vous aider?']],
    ['merci beaucoup', ['Je vous en prie!']],
    [{ value: { action: 'bogus' } }, ["Ce bouton n'est plus actif."]],
    [{ value: { note: 'une image' } }, ['Je ne peux lire que du texte.']],
  ],
};

/** Phone questions, the person's municipality (remembered), and "not sure" answers. */
const KNOWLEDGE: Record<Language, Row[]> = {
  en: [
    [
      "what's the phone number for EI?",
      [
        /^Here is who to call for Employment Insurance regular benefits: Employment Insurance enquiries \(Service Canada\): 1-800-206-7218/,
      ],
    ],
    [
      'how do I pay my water bill in Kingston',
      [
        /Your municipality: Kingston\..*Website: https:\/\/www\.cityofkingston\.ca.*Call 613-546-0000\./s,
      ],
    ],
    ['when is garbage day', [/Your municipality: Kingston\./]],
    [
      'pothole on my street in Scarborough',
      [
        /Scarborough is part of Toronto\..*Call 311 \(from outside the city or if 311 does not work: 416-392-2489\)\./s,
      ],
    ],
    [
      'how do I become a real estate agent in Ontario',
      [
        /^I'm not sure which service you mean\..*These bodies handle it.*Real Estate Council of Ontario \(RECO\): Regulates real estate agents.*https:\/\/reco\.on\.ca Phone: 1-800-245-6910.*It looks like a matter for the Government of Ontario\..*ServiceOntario contact centre: 1-800-267-8097/s,
      ],
    ],
  ],
  fr: [
    [
      "c'est quoi le numéro de téléphone de l'assurance-emploi",
      [
        /^Voici qui appeler pour Prestations régulières d'assurance-emploi : Renseignements sur l'assurance-emploi \(Service Canada\) : 1-800-206-7218/,
      ],
    ],
    [
      'payer ma facture d’eau à Grand Sudbury',
      [/Votre municipalité : Grand Sudbury\..*Composez le 311\./s],
    ],
    ['ramassage des gros objets', [/Votre municipalité : Grand Sudbury\./]],
    [
      'comment devenir agent immobilier en Ontario',
      [/^Je ne suis pas certain du service dont vous parlez\./],
    ],
  ],
};

/** Help, cancel, start over and language switches, handled by the shared base before any step. */
const COMMANDS: Record<Language, Row[]> = {
  en: [
    ['cancel', ["There's nothing to cancel."]],
    ['licence', [CHOICES.en]],
    ['help', [/^I can tell you which government handles a service/]],
    ['1', [/^Driver's licence renewal and replacement: Government of Ontario \(provincial\)/]],
    ['we had a baby', [/^Having a baby: your checklist/]],
    ['cancel', ["OK, I've stopped."]],
    ['en français svp', ["D'accord, je vous répondrai en français à partir de maintenant."]],
    ['passport', [/^Passeport canadien : Gouvernement du Canada \(fédéral\)/]],
    ['start over', ['Recommençons.']],
    ['English please', ["All right, I'll answer in English from now on."]],
    ['passeport', [/^Canadian passport: Government of Canada \(federal\)/]],
  ],
  fr: [
    ['annuler', ["Il n'y a rien à annuler."]],
    ['un certificat svp', [CHOICES.fr]],
    ['aide', [/^Je peux vous dire quel gouvernement s'occupe d'un service/]],
    ['1', [/^Certificat de (naissance|citoyenneté|mariage|décès)/]],
    ['je déménage à Ottawa le mois prochain', [/^Déménagement : votre liste de vérification/]],
    ['arrêter', ["D'accord, j'ai arrêté."]],
    ['English', ["All right, I'll answer in English from now on."]],
    ['carte santé', [/^Ontario health card \(OHIP\): Government of Ontario \(provincial\)/]],
    ['recommencer', ["Let's start over."]],
    ['français', ["D'accord, je vous répondrai en français à partir de maintenant."]],
    ['health card', [/^Carte Santé de l'Ontario \(Assurance-santé\) : Gouvernement de l'Ontario/]],
  ],
};

describe.each(LANGUAGES)('MainDialog (%s)', (lang) => {
  it('routes questions, buttons and small talk to the right dialog', async () => {
    await playTranscript((deps) => new MainDialog(deps), {}, lang, ROUTING[lang]);
  });

  it('leads with the number when asked for one, names the municipality and remembers it, and says when it is not sure', async () => {
    await playTranscript((deps) => new MainDialog(deps), {}, lang, KNOWLEDGE[lang]);
  });

  it('handles help, cancel, start over and an explicit language switch that sticks', async () => {
    await playTranscript((deps) => new MainDialog(deps), {}, lang, COMMANDS[lang]);
  });

  it('lets the office finder replace the officeFinder hook', async () => {
    const rows: Row[] = [[{ value: { action: 'findOffice', service: 'passport' } }, ['passport']]];
    await playTranscript(
      (deps) => {
        const main = new MainDialog(deps);
        main.officeFinder = async (step, request) => {
          await step.context.sendActivity(request.serviceId ?? '');
          return step.endDialog();
        };
        return main;
      },
      {},
      lang,
      rows,
    );
  });
});

describe('choicesFor', () => {
  const r = (id: string, score: number) => ({ id, score }) as never;
  it('answers directly when the best result is strong and clear', () => {
    expect(choicesFor([r('a', 0.7), r('b', 0.3)])).toBeNull();
  });
  it('offers two when the first two are close, and a third when it is not far behind', () => {
    expect(choicesFor([r('a', 0.6), r('b', 0.5), r('c', 0.1)])).toEqual(['a', 'b']);
    expect(choicesFor([r('a', 0.6), r('b', 0.5), r('c', 0.3)])).toEqual(['a', 'b', 'c']);
  });
  it('offers choices when the best result is weak, keeping lookup()’s order', () => {
    expect(choicesFor([r('a', 0.4), r('b', 0.1)])).toEqual(['a', 'b']);
  });
  it('never offers a choice of one', () => {
    expect(choicesFor([r('a', 0.2)])).toBeNull();
  });
});
