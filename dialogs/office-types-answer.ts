import type { TurnContext } from 'botbuilder';
import { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import type { Origin } from '../knowledge/offices/geocode';
import type { ServiceRecord } from '../knowledge/schema';
import { logAnswer } from './answer-log';
import { DialogDeps, translator, turnLanguage } from './context';

/** What the "Find an office" button, a typed "office" or an office question asks for. */
export interface OfficeRequest {
  /** Catalogue id of the service; absent when the person has not said which (the finder asks). */
  serviceId?: string;
  /** Where the person is, when the question or the web page's location said so. */
  origin?: Origin;
}

/**
 * The main dialog's `officeFinder` hook: answers a "Find an office" request for a service. It runs as
 * a main-dialog step, so it can reply and end (`step.endDialog()`) or start a dialog
 * (`step.beginDialog(…)`) that the main dialog then waits on.
 */
export type OfficeFinderHook = (
  step: WaterfallStepContext,
  request: OfficeRequest,
) => Promise<DialogTurnResult>;

/**
 * Where a service is offered in person, by office type (from the knowledge record), and its online
 * link; counted as an answer. The office finder says this too for services its registry has no
 * office for (municipal offices, DriveTest centres).
 */
export async function sendOfficeTypes(
  deps: DialogDeps,
  context: TurnContext,
  record: ServiceRecord,
): Promise<void> {
  const t = translator(deps, context);
  const service = record.name[turnLanguage(context)];
  const places = record.officeTypes.map((type) => t(`officeTypes.${type}`));
  const lines = [
    places.length
      ? t('office.inPerson', { service, places: joinAlternatives(places, t('officeTypes.or')) })
      : t('office.noCounter', { service }),
  ];
  const url = record.links[0]?.url[turnLanguage(context)];
  if (url) lines.push(t('office.online', { url }));
  await context.sendActivity(lines.join('\n\n'));
  logAnswer(deps, context, { outcome: 'answered', record, referral: url ? 'online' : '' });
  const conversation = await deps.accessors.conversation.get(context, {});
  conversation.lastServiceId = record.id;
}

/** The hook until the office finder is wired in: the service's in-person office types and online link. */
export function officeTypesAnswer(deps: DialogDeps): OfficeFinderHook {
  return async (step, { serviceId }) => {
    const { context } = step;
    const t = translator(deps, context);
    if (!serviceId) {
      await context.sendActivity(t('office.whichService'));
      return step.endDialog();
    }
    const record = deps.repo.get(serviceId);
    if (!record || record.kind !== 'service') {
      await context.sendActivity(t('office.unknownService'));
      return step.endDialog();
    }
    await sendOfficeTypes(deps, context, record);
    return step.endDialog();
  };
}

/** "a, b or c" / "a, b ou c". */
function joinAlternatives(items: string[], or: string): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} ${or} ${items[items.length - 1]}`;
}
