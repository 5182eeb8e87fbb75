import { Activity, CardFactory, MessageFactory } from 'botbuilder';
import { Language, ServiceRecord } from '../../knowledge/schema';
import { findOfficeValue } from './actions';
import { adaptiveCard, openUrl, Say, submit, textBlock } from './channel';

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
}

export function serviceView(record: ServiceRecord, lang: Language, say: Say): ServiceView {
  return {
    id: record.id,
    name: record.name[lang],
    government: say(`jurisdiction.${record.jurisdiction}`),
    deliveredBy: record.deliveredBy[lang],
    answer: record.answer[lang],
    bring: record.bring[lang],
    url: record.links[0]?.url[lang] ?? null,
    hasOffices: record.officeTypes.length > 0,
  };
}

/** Adaptive Card 1.5: name, responsible government, who delivers it, short answer, what to bring, buttons. */
export function serviceCard(view: ServiceView, lang: Language, say: Say): Record<string, unknown> {
  const actions = [];
  if (view.url) actions.push(openUrl(say('service.online'), view.url));
  if (view.hasOffices) actions.push(submit(say('service.findOffice'), { ...findOfficeValue(view.id) }));
  return adaptiveCard(
    lang,
    [
      textBlock(view.name, { size: 'Large', weight: 'Bolder', style: 'heading' }),
      {
        type: 'FactSet',
        facts: [
          { title: say('service.responsible'), value: view.government },
          { title: say('service.deliveredBy'), value: view.deliveredBy },
        ],
      },
      textBlock(view.answer),
      textBlock(say('service.bring'), { weight: 'Bolder', spacing: 'Medium' }),
      ...view.bring.map((item) => textBlock(`• ${item}`, { spacing: 'Small' })),
    ],
    actions,
  );
}

/** The same answer as plain text, for channels without cards (SMS, e-mail). */
export function serviceText(view: ServiceView, say: Say): string {
  const lines = [
    view.name,
    say('service.textResponsible', { government: view.government }),
    say('service.textDeliveredBy', { deliveredBy: view.deliveredBy }),
    '',
    view.answer,
    '',
    say('service.textBring'),
    ...view.bring.map((item) => `- ${item}`),
  ];
  if (view.url) lines.push('', say('service.textOnline', { url: view.url }));
  if (view.hasOffices) lines.push(say('service.textFindOffice'));
  return lines.join('\n');
}

/** The reply: a card with a one-line summary where cards are shown, the text version elsewhere. */
export function serviceReply(view: ServiceView, lang: Language, say: Say, cards: boolean): Partial<Activity> {
  if (!cards) return MessageFactory.text(serviceText(view, say));
  const summary = say('service.summary', { name: view.name, government: view.government, deliveredBy: view.deliveredBy });
  return MessageFactory.attachment(CardFactory.adaptiveCard(serviceCard(view, lang, say)), summary);
}
