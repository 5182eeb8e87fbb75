import type { Dialog } from 'botbuilder-dialogs';
import { Language, LANGUAGES } from '../../knowledge/schema';
import type { OfficeFinder } from '../../knowledge/offices/index';
import type { DialogDeps } from '../../dialogs/context';
import { MainDialog } from '../../dialogs/main-dialog';
import { attachOfficeFinder } from '../../dialogs/office-finder-dialog';
import { playTranscript, Row } from '../helpers/dialogs';
import { officeFinder, visitSandyLake } from '../helpers/offices';

// A Tuesday morning that is no holiday, in the home time zone (EDT).
const NOW = new Date('2025-03-11T10:00:00-04:00');

/** The main dialog with the office finder on its hook, as createBot wires it, over a fixed clock. */
function withFinder(finder: OfficeFinder) {
  return (deps: DialogDeps): Dialog => {
    const withPlaces = { ...deps, offices: finder };
    return attachOfficeFinder(new MainDialog(withPlaces), {
      ...withPlaces,
      offices: finder,
      clock: () => NOW,
      freshMs: 60 * 60_000,
    });
  };
}

/** Flooding at the first Kingston ServiceOntario centre, a wait reported at the Kingston Service Canada Centre, a visit to Sandy Lake. */
async function preparedFinder(): Promise<OfficeFinder> {
  const finder = await officeFinder();
  await finder.outreach.addClosures([
    {
      officeId: 'so-kingston-12180',
      from: new Date('2025-03-11T08:00:00-04:00'),
      until: new Date('2025-03-12T17:00:00-04:00'),
      reason: { en: 'Flooding', fr: 'Inondation' },
    },
  ]);
  await finder.waits.record({
    officeId: 'sc-kingston',
    minutes: 35,
    observedAt: new Date('2025-03-11T09:50:00-04:00'),
    source: 'staff',
  });
  await visitSandyLake(finder, ['sin', 'oas']);
  return finder;
}

const SIN_ONLINE =
  /^Social Insurance Number can be done online, without going to an office: https:\/\/www\.canada\.ca\/en\//;
const NIR_EN_LIGNE =
  /^Le service Numéro d'assurance sociale \(NAS\) peut se faire en ligne, sans vous déplacer : https:\/\/www\.canada\.ca\/fr\//;

/** Cards (the test channel shows them): what each reply must show. */
const CARDS: Record<Language, Row[]> = {
  en: [
    [
      'Where can I renew my health card near K7L?',
      [
        /^The offices that can see you soonest for Ontario health card \(OHIP\), near K7L \(Kingston \(Downtown\)\):\n.*"version":"1\.5".*ServiceOntario Kingston – 1650 Bath Road.*"Status","value":"Open now, until 17:00".*"about 20 min \(typical wait\)".*"Hours today","value":"08:30–17:00 \(usual hours for this kind of office\)".*"Map and directions"/s,
        /^ServiceOntario Kingston – 1201 Division Street is closed until Wednesday, March 12 at 17:00: Flooding$/,
      ],
    ],
    [
      { value: { action: 'findOffice', service: 'sin' } },
      [/^Where are you\? Send me a postal code \(such as K7L 3N6\) or the name of a town/],
    ],
    ['at my buddy’s place', [/^Sorry, I couldn't find that place\. Please send a postal code/]],
    ['help', [/^I can tell you which government handles a service/]],
    ['10001', [/^That place seems to be outside Canada/]],
    [
      'k7l 3n6',
      [
        SIN_ONLINE,
        /Kingston Service Canada Centre.*"Wait","value":"35 min, reported at 09:50".*"Address","value":"294 King Street East, Kingston, ON K7L 3B2".*"Before you go","value":"By appointment only: call 613-856-9022 before you go."/s,
      ],
    ],
    [
      { event: 'location', value: { lat: 44.2312, lon: -76.486 } },
      [
        SIN_ONLINE,
        /^The offices that can see you soonest for Social Insurance Number, near your location:\n.*Kingston Service Canada Centre/s,
      ],
    ],
    [
      'SIN near Sandy Lake',
      [
        SIN_ONLINE,
        /^Next Service Canada visit in Sandy Lake: Sandy Lake First Nation Scheduled Outreach Site, Tuesday, March 18, 10:00–15:00\.$/,
        /^The offices that can see you soonest for Social Insurance Number, near Sandy Lake:/,
        /^The nearest office is \d+ km away in a straight line\. Its driving time is an estimate by road, and some northern communities have no year-round road/,
      ],
    ],
    [
      // No visit is scheduled at Moosonee's outreach sites: the bot says whom to ask, before the far offices.
      'SIN near Moosonee',
      [
        SIN_ONLINE,
        /^Service Canada serves this area through scheduled visits at Moose Factory Scheduled Outreach Site, 22 Jonathan Cheechoo Drive, Moose Factory, ON P0L 1W0\. Their dates are not known here: ask for the next visit on the site's page \(https:\/\/offices\.service\.canada\.ca\/en\/Office\/ON-SCR\) or at 1 800 O-Canada, 1-800-622-6232 \(TTY 1-800-926-9105\)\.\n\nService Canada serves this area through scheduled visits at Moosonee Scheduled Outreach Site/,
        /^The offices that can see you soonest for Social Insurance Number, near Moosonee:\n.*Kapuskasing Service Canada Centre/s,
        /^The nearest office is 243 km away in a straight line\./,
      ],
    ],
    [
      'health card office near M5C',
      [
        /^The offices that can see you soonest for Ontario health card \(OHIP\), near M5C \(Downtown Toronto.*\): The \d+ offices in Toronto are listed by wait, not distance: their exact places are not known here, so check their addresses\./,
      ],
    ],
    [
      'name change office near Ottawa',
      [
        /^A legal change of name is done in person only at 47 Sheppard Avenue East, Toronto, or by mail/,
        /ServiceOntario Toronto/,
      ],
    ],
    ['office near me', [/^Where are you\?/]],
    ['cancel', ["OK, I've stopped."]],
    [
      { event: 'location', value: { lat: 40.71, lon: -74.0 } },
      [/^The location your device sent seems to be outside Canada/],
    ],
  ],
  fr: [
    [
      'Où puis-je renouveler ma carte Santé près de K7L?',
      [
        /^Les bureaux qui peuvent vous servir le plus tôt pour le service Carte Santé de l'Ontario \(Assurance-santé\), près de K7L \(Kingston \(Downtown\)\) :\n.*"lang":"fr".*ServiceOntario Kingston – 1650 Bath Road.*"État","value":"Ouvert maintenant, jusqu'à 17 h 00".*"environ 20 min \(attente typique\)".*"Carte et itinéraire"/s,
        /^ServiceOntario Kingston – 1201 Division Street est fermé jusqu'au mercredi 12 mars à 17 h 00 : Inondation$/,
      ],
    ],
    [
      { value: { action: 'findOffice', service: 'sin' } },
      [/^Où êtes-vous\? Envoyez-moi un code postal \(comme K7L 3N6\) ou le nom d'une ville/],
    ],
    ['chez ma tante', [/^Désolé, je n'ai pas trouvé cet endroit\. Envoyez un code postal/]],
    ['aide', [/^Je peux vous dire quel gouvernement s'occupe d'un service/]],
    [
      'Vallee-Est',
      [
        NIR_EN_LIGNE,
        /^Les bureaux qui peuvent vous servir le plus tôt pour le service Numéro d'assurance sociale \(NAS\), près de Vallée-Est :\n.*Centre Service Canada de Sudbury.*"19,5 km, environ/s,
      ],
    ],
    [
      { event: 'location', value: { lat: 44.2312, lon: -76.486 } },
      [NIR_EN_LIGNE, /près de votre position :\n.*"Attente","value":"35 min, signalée à 09 h 50"/s],
    ],
    [
      'NAS près de Sandy Lake',
      [
        NIR_EN_LIGNE,
        /^Prochaine visite de Service Canada à Sandy Lake : Site de services mobiles prévus de la Première Nation Sandy Lake, le mardi 18 mars, 10:00–15:00\.$/,
        /^Les bureaux qui peuvent vous servir le plus tôt/,
        /^Le bureau le plus proche est à \d+ km à vol d'oiseau\. Son temps de route est une estimation, et certaines collectivités du Nord n'ont pas de route toute l'année/,
      ],
    ],
    [
      'NAS près de Moosonee',
      [
        NIR_EN_LIGNE,
        /^Service Canada sert la région par des visites prévues à cet endroit : Site de services mobiles prévus de Moose Factory, .*Nous n'en connaissons pas les dates : demandez la prochaine visite sur la page du site \(https:\/\/www\.servicecanada\.gc\.ca\/tbsc-fsco\/sc-dsp\.jsp\?rc=ON-SCR&lang=fra\) ou au 1 800 O-Canada, 1-800-622-6232 \(ATS 1-800-926-9105\)\./,
        /^Les bureaux qui peuvent vous servir le plus tôt pour le service Numéro d'assurance sociale \(NAS\), près de Moosonee :/,
        /^Le bureau le plus proche est à 243 km à vol d'oiseau\./,
      ],
    ],
    [
      'bureau pour la carte Santé près de M5C',
      [
        /^Les bureaux qui peuvent vous servir le plus tôt pour le service Carte Santé de l'Ontario \(Assurance-santé\), près de M5C .*: Les \d+ bureaux de Toronto sont classés selon l’attente et non la distance/,
      ],
    ],
    ['bureau le plus proche', [/^Où êtes-vous\?/]],
    ['annuler', ["D'accord, j'ai arrêté."]],
    [
      { event: 'location', value: { lat: 'ici' } },
      [/^Je n'ai pas pu lire la position envoyée par votre appareil/],
    ],
  ],
};

/** Asking which service, then where; re-asking politely; stopping after the third unplaceable answer. */
const PROMPTS: Record<Language, Row[]> = {
  en: [
    [
      'office near Timmins',
      [
        /^Which service do you need an office for\?.*\[Ontario health card \(OHIP\)\].*\[Canadian passport\]/s,
      ],
    ],
    ['the weather', [/^Sorry, I'm not sure which service you mean/]],
    ['passport', [/^The offices that can see you soonest for Canadian passport, near Timmins:/]],
    [{ value: { action: 'findOffice', service: 'health-card' } }, [/^Where are you\?/]],
    ['Vancouver', [/^That place seems to be outside Ontario/]],
    ['Richmond', [/^There is more than one place by that name\. Please send your postal code/]],
    ['up north', [/^I still couldn't find that place, so I'll stop here\./]],
    [{ value: { action: 'findOffice', service: 'health-card' } }, [/^Where are you\?/]],
    ['How do I renew my passport?', [/^Canadian passport: Government of Canada \(federal\)/]],
    [
      'where do I file my income tax return',
      [/^Personal income tax return: Government of Canada \(federal\)/],
    ],
    [
      'where can I pay a parking ticket',
      [/^Parking tickets \(pay or dispute\): Your municipality \(municipal\)/],
    ],
    ['best pizza near me', [/^Sorry, I can only help with government services/]],
    [
      "We're moving from Toronto to Sudbury next month. Which government offices do I need to tell?",
      [/^Moving: your checklist/],
    ],
  ],
  fr: [
    [
      'bureau près de Timmins',
      [
        /^Pour quel service cherchez-vous un bureau\?.*\[Carte Santé de l'Ontario \(Assurance-santé\)\].*\[Passeport canadien\]/s,
      ],
    ],
    ['la météo', [/^Désolé, je ne suis pas sûr du service dont vous parlez/]],
    [
      'passeport',
      [
        /^Les bureaux qui peuvent vous servir le plus tôt pour le service Passeport canadien, près de Timmins :/,
      ],
    ],
    [{ value: { action: 'findOffice', service: 'health-card' } }, [/^Où êtes-vous\?/]],
    ['Montréal', [/^Cet endroit semble être hors de l'Ontario/]],
    ['Richmond', [/^Il y a plus d'un endroit de ce nom\. Envoyez votre code postal/]],
    [
      'quelque part dans le bois',
      [/^Je n'ai toujours pas trouvé cet endroit, alors je m'arrête ici\./],
    ],
    [{ value: { action: 'findOffice', service: 'health-card' } }, [/^Où êtes-vous\?/]],
    [
      'Comment renouveler mon passeport?',
      [/^Passeport canadien : Gouvernement du Canada \(fédéral\)/],
    ],
    [
      'où produire ma déclaration de revenus',
      [/^Déclaration de revenus des particuliers : Gouvernement du Canada \(fédéral\)/],
    ],
    [
      'où payer une contravention de stationnement',
      [/^Contraventions de stationnement : Votre municipalité \(municipal\)/],
    ],
    [
      'la meilleure pizza près de chez moi',
      [/^Désolé, je ne peux vous aider qu'avec les services gouvernementaux/],
    ],
    // Declined, or "not sure" with who to ask: either way not an office search.
    [
      'ma licence Microsoft Office a expiré, comment la renouveler?',
      [
        /^(Désolé, je ne peux vous aider qu'avec les services gouvernementaux|Je ne suis pas certain du service)/,
      ],
    ],
    [
      'On déménage à Sudbury, quels bureaux faut-il aviser?',
      [/^Déménagement : votre liste de vérification/],
    ],
  ],
};

/** Channels without cards get the same answer as text. */
const TEXT: Record<Language, Row[]> = {
  en: [
    [
      'passport office near Grand Sudbury',
      [
        /^The offices that can see you soonest for Canadian passport, near Grand Sudbury:\n\n1\. Sudbury Service Canada Centre \(Service Canada\)\nStatus: Open now, until 16:00\nDistance: 0\.4 km, about 6 min by road\nWait: about 25 min \(typical wait\)\nServed in: about 31 min, travel included\nHours today: 08:30–16:00 \(usual hours for this kind of office\)\nAddress: 19 Lisgar Street, Main floor, Sudbury, ON P3E 6L1 \(Federal Building\)\nMap: https:\/\/www\.google\.com\/maps\/search\/\?api=1&query=19%20Lisgar%20Street/,
      ],
    ],
  ],
  fr: [
    [
      'bureau des passeports pres de Grand Sudbury',
      [
        /^Les bureaux qui peuvent vous servir le plus tôt pour le service Passeport canadien, près de Grand Sudbury :\n\n1\. Centre Service Canada de Sudbury \(Service Canada\)\nÉtat : Ouvert maintenant, jusqu'à 16 h 00\nDistance : 0,4 km, environ 6 min par la route\nAttente : environ 25 min \(attente typique\)\nServi dans : environ 31 min, trajet compris\nHeures aujourd'hui : 08:30–16:00 \(heures habituelles de ce type de bureau\)\nAdresse : 19 Lisgar Street, Main floor, Sudbury, ON P3E 6L1 \(Federal Building\)\nCarte : https:\/\/www\.google\.com/,
      ],
    ],
  ],
};

describe.each(LANGUAGES)('OfficeFinderDialog (%s)', (lang) => {
  it('answers office questions, buttons and shared locations with one card per office, closures and outreach visits', async () => {
    await playTranscript(withFinder(await preparedFinder()), {}, lang, CARDS[lang]);
  });

  it('asks which service and where when it does not know, re-asks politely, and lets other questions through', async () => {
    await playTranscript(withFinder(await preparedFinder()), {}, lang, PROMPTS[lang]);
  });

  it('answers in plain text on channels without cards', async () => {
    await playTranscript(withFinder(await preparedFinder()), {}, lang, TEXT[lang], 'sms');
  });
});
