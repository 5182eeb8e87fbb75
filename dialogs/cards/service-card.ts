import { Activity, CardFactory, MessageFactory } from 'botbuilder';
import type { ContactView } from '../../knowledge/contacts';
import type { MunicipalityView } from '../../knowledge/municipalities/directory';
import { Language, ServiceRecord } from '../../knowledge/schema';
import { findOfficeValue } from './actions';
import { adaptiveCard, openUrl, Say, submit, textBlock } from './channel';
import { contactLine, contactsSection, municipalityLines, municipalitySection } from './contacts';

/** The facts a service answer shows, in one language (plain data, from the knowledge record). */
export interface ServiceView {
  id: string;
  name: string;
  government: string;
  deliveredBy: string;
  answer: string;
  bring: string[];
  url: string | null;
  hasOffices: boolean;
  contacts: ContactView[];
  /** Municipal services: the person's municipality (null when not known yet). */
  municipal: boolean;
  municipality: MunicipalityView | null;
  /** The person asked for a phone number: the lines come first. */
  phoneFirst: boolean;
}

export interface ServiceViewExtras {
  contacts: ContactView[];
  municipality?: MunicipalityView | null;
  phoneFirst?: boolean;
}

export function serviceView(
  record: ServiceRecord,
  lang: Language,
  say: Say,
  extras: ServiceViewExtras,
): ServiceView {
  return {
    id: record.id,
    name: record.name[lang],
    government: say(`jurisdiction.${record.jurisdiction}`),
    deliveredBy: record.deliveredBy[lang],
    answer: record.answer[lang],
    bring: record.bring[lang],
    url: record.links[0]?.url[lang] ?? null,
    hasOffices: record.officeTypes.length > 0,
    contacts: extras.contacts,
    municipal: record.jurisdiction === 'municipal',
    municipality: extras.municipality ?? null,
    phoneFirst: extras.phoneFirst ?? false,
  };
}

/**
 * Adaptive Card 1.5: name, responsible government, who delivers it, short answer, the person's
 * municipality (municipal services), phone lines, what to bring, buttons. A phone question gets the
 * lines right under the name.
 */
export function serviceCard(view: ServiceView, lang: Language, say: Say): Record<string, unknown> {
  const actions = [];
  if (view.url) actions.push(openUrl(say('service.online'), view.url));
  if (view.hasOffices)
    actions.push(submit(say('service.findOffice'), { ...findOfficeValue(view.id) }));
  // A municipal service's first contact is the person's municipality; the other lines come after it.
  const phones = [
    ...(view.municipal ? municipalitySection(view.municipality, say) : []),
    ...contactsSection(view.contacts, say),
  ];
  return adaptiveCard(
    lang,
    [
      textBlock(view.name, { size: 'Large', weight: 'Bolder', style: 'heading' }),
      ...(view.phoneFirst ? phones : []),
      {
        type: 'FactSet',
        facts: [
          { title: say('service.responsible'), value: view.government },
          { title: say('service.deliveredBy'), value: view.deliveredBy },
        ],
      },
      textBlock(view.answer),
      ...(view.phoneFirst ? [] : phones),
      textBlock(say('service.bring'), { weight: 'Bolder', spacing: 'Medium' }),
      ...view.bring.map((item) => textBlock(`• ${item}`, { spacing: 'Small' })),
    ],
    actions,
  );
}

/** The same answer as plain text, for channels without cards (SMS, e-mail). */
export function serviceText(view: ServiceView, say: Say): string {
  const phones = [
    ...(view.municipal ? municipalityLines(view.municipality, say) : []),
    ...(view.contacts.length
      ? [say('contacts.title'), ...view.contacts.map((c) => `- ${contactLine(c, say)}`)]
      : []),
  ];
  const lines = [
    view.name,
    ...(view.phoneFirst && phones.length ? [...phones, ''] : []),
    say('service.textResponsible', { government: view.government }),
    say('service.textDeliveredBy', { deliveredBy: view.deliveredBy }),
    '',
    view.answer,
    ...(!view.phoneFirst && phones.length ? ['', ...phones] : []),
    '',
    say('service.textBring'),
    ...view.bring.map((item) => `- ${item}`),
  ];
  if (view.url) lines.push('', say('service.textOnline', { url: view.url }));
  if (view.hasOffices) lines.push(say('service.textFindOffice'));
  return lines.join('\n');
}

/** The reply: a card with a one-line summary where cards are shown, the text version elsewhere. */
export function serviceReply(
  view: ServiceView,
  lang: Language,
  say: Say,
  cards: boolean,
): Partial<Activity> {
  if (!cards) return MessageFactory.text(serviceText(view, say));
  const summary =
    view.phoneFirst && view.contacts[0]
      ? `${say('contacts.lead', { name: view.name })} ${contactLine(view.contacts[0], say)}`
      : say('service.summary', {
          name: view.name,
          government: view.government,
          deliveredBy: view.deliveredBy,
        });
  return MessageFactory.attachment(CardFactory.adaptiveCard(serviceCard(view, lang, say)), summary);
}
