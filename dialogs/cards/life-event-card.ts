import { Activity, CardFactory, MessageFactory } from 'botbuilder';
import { BundleRecord, Language, ServiceRecord } from '../../knowledge/schema';
import { findOfficeValue, nextStepValue } from './actions';
import { adaptiveCard, AdaptiveElement, openUrl, Say, submit, textBlock } from './channel';

export interface StepView {
  service: string;
  name: string;
  government: string;
  deliveredBy: string;
  /** What to do at this step, in this life event. */
  note: string;
  url: string | null;
  hasOffices: boolean;
}

export interface LifeEventView {
  id: string;
  name: string;
  answer: string;
  /** Sentences the walkthrough adds for this life event (the newborn's one application and consent). */
  extras: string[];
  steps: StepView[];
}

export function lifeEventView(
  bundle: BundleRecord,
  services: ServiceRecord[],
  lang: Language,
  say: Say,
  extras: string[],
): LifeEventView {
  return {
    id: bundle.id,
    name: bundle.name[lang],
    answer: bundle.answer[lang],
    extras,
    steps: bundle.steps.map((step, i) => ({
      service: step.service,
      name: services[i].name[lang],
      government: say(`jurisdiction.${services[i].jurisdiction}`),
      deliveredBy: services[i].deliveredBy[lang],
      note: step.note[lang],
      url: services[i].links[0]?.url[lang] ?? null,
      hasOffices: services[i].officeTypes.length > 0,
    })),
  };
}

const stepLine = (view: LifeEventView, i: number, say: Say) =>
  say('lifeEvent.stepLine', {
    number: i + 1,
    name: view.steps[i].name,
    government: view.steps[i].government,
  });

/** The checklist: every step in order with its government, and a "Next step" button. */
export function checklistReply(
  view: LifeEventView,
  lang: Language,
  say: Say,
  cards: boolean,
): Partial<Activity> {
  const title = say('lifeEvent.checklistTitle', { name: view.name });
  if (!cards) {
    const lines = [
      title,
      '',
      view.answer,
      ...view.extras.flatMap((e) => ['', e]),
      '',
      say('lifeEvent.intro'),
    ];
    view.steps.forEach((_s, i) => lines.push(stepLine(view, i, say)));
    lines.push('', say('lifeEvent.textNext'));
    return MessageFactory.text(lines.join('\n'));
  }
  const body: AdaptiveElement[] = [
    textBlock(title, { size: 'Large', weight: 'Bolder', style: 'heading' }),
    textBlock(view.answer),
  ];
  if (view.extras.length) {
    body.push({
      type: 'Container',
      style: 'emphasis',
      items: view.extras.map((e) => textBlock(e)),
    });
  }
  body.push(textBlock(say('lifeEvent.intro'), { weight: 'Bolder', spacing: 'Medium' }));
  view.steps.forEach((s, i) => {
    body.push(textBlock(`☐ ${stepLine(view, i, say)}`, { spacing: 'Small' }));
    body.push(textBlock(s.deliveredBy, { isSubtle: true, size: 'Small', spacing: 'None' }));
  });
  const card = adaptiveCard(lang, body, [
    submit(say('lifeEvent.next'), { ...nextStepValue(view.id, 0) }),
  ]);
  return MessageFactory.attachment(CardFactory.adaptiveCard(card), title);
}

/** One step: its government, who delivers it, what to do, the online link and "Next step" unless it is the last. */
export function stepReply(
  view: LifeEventView,
  index: number,
  lang: Language,
  say: Say,
  cards: boolean,
): Partial<Activity> {
  const step = view.steps[index];
  const last = index === view.steps.length - 1;
  const title = say('lifeEvent.stepTitle', {
    number: index + 1,
    total: view.steps.length,
    name: step.name,
  });
  if (!cards) {
    const lines = [
      title,
      say('service.textResponsible', { government: step.government }),
      say('service.textDeliveredBy', { deliveredBy: step.deliveredBy }),
      '',
      step.note,
    ];
    if (step.url) lines.push('', say('service.textOnline', { url: step.url }));
    lines.push('', last ? say('lifeEvent.last') : say('lifeEvent.textNext'));
    return MessageFactory.text(lines.join('\n'));
  }
  const actions: AdaptiveElement[] = [];
  if (!last) actions.push(submit(say('lifeEvent.next'), { ...nextStepValue(view.id, index + 1) }));
  if (step.url) actions.push(openUrl(say('lifeEvent.online'), step.url));
  if (step.hasOffices)
    actions.push(submit(say('service.findOffice'), { ...findOfficeValue(step.service) }));
  const body: AdaptiveElement[] = [
    textBlock(title, { size: 'Medium', weight: 'Bolder', style: 'heading' }),
    {
      type: 'FactSet',
      facts: [
        { title: say('service.responsible'), value: step.government },
        { title: say('service.deliveredBy'), value: step.deliveredBy },
      ],
    },
    textBlock(step.note),
  ];
  if (last) body.push(textBlock(say('lifeEvent.last'), { spacing: 'Medium' }));
  return MessageFactory.attachment(
    CardFactory.adaptiveCard(adaptiveCard(lang, body, actions)),
    title,
  );
}
