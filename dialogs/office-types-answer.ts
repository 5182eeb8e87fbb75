import { DialogTurnResult, WaterfallStepContext } from 'botbuilder-dialogs';
import { DialogDeps, translator, turnLanguage } from './context';

/** What the "Find an office" button (or a typed "office") asks for. */
export interface OfficeRequest {
  /** Catalogue id of the service. */
  serviceId: string;
}

/**
 * The main dialog's `officeFinder` hook: answers a "Find an office" request for a service. It runs as
 * a main-dialog step, so it can reply and end (`step.endDialog()`) or start a dialog
 * (`step.beginDialog(…)`) that the main dialog then waits on.
 */
export type OfficeFinderHook = (step: WaterfallStepContext, request: OfficeRequest) => Promise<DialogTurnResult>;

/**
 * The hook until the office finder is wired in: where the service is offered in person (the office
 * types from the knowledge record) and its online link.
 */
export function officeTypesAnswer(deps: DialogDeps): OfficeFinderHook {
  return async (step, { serviceId }) => {
    const { context } = step;
    const t = translator(deps, context);
    const record = deps.repo.get(serviceId);
    if (!record || record.kind !== 'service') {
      await context.sendActivity(t('office.unknownService'));
      return step.endDialog();
    }
    const service = record.name[turnLanguage(context)];
    const places = record.officeTypes.map((type) => t(`officeTypes.${type}`));
    const lines = [places.length ? t('office.inPerson', { service, places: joinAlternatives(places, t('officeTypes.or')) }) : t('office.noCounter', { service })];
    const url = record.links[0]?.url[turnLanguage(context)];
    if (url) lines.push(t('office.online', { url }));
    await context.sendActivity(lines.join('\n\n'));
    const conversation = await deps.accessors.conversation.get(context, {});
    conversation.lastServiceId = record.id;
    return step.endDialog();
  };
}

/** "a, b or c" / "a, b ou c". */
function joinAlternatives(items: string[], or: string): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${or} ${items[items.length - 1]}`;
}
