import { DialogTurnResult, DialogContext, WaterfallDialog, WaterfallStepContext } from 'botbuilder-dialogs';
import { FIND_OFFICE, NEXT_STEP, SHOW_SERVICE } from '../bot/cards/actions';
import { lookup, LookupAnswer, LookupResult } from '../knowledge/lookup';
import { BaseDialog } from './base-dialog';
import { ActionValue, actionValue, ChildResult, DialogDeps, messageText, translator, turnLanguage } from './context';
import { DISAMBIGUATION_DIALOG, DisambiguationDialog } from './disambiguation-dialog';
import { FALLBACK_DIALOG, FallbackDialog } from './fallback-dialog';
import { HELP_DIALOG, HelpDialog } from './help-dialog';
import { LIFE_EVENT_DIALOG, LifeEventDialog } from './life-event-dialog';
import { OfficeFinderHook, officeTypesAnswer } from './office-types-answer';
import { SERVICE_ANSWER_DIALOG, ServiceAnswerDialog } from './service-answer-dialog';

export const MAIN_DIALOG = 'mainDialog';
const ROUTE_WATERFALL = 'mainRouteWaterfall';

export interface MainOptions {
  /** Route straight to this record (the person picked it), without understanding the message. */
  recordId?: string;
}

/**
 * When the ranked results are too close or too weak to pick one, the person chooses.
 * Tuned on the NLU development set: about 3% of real questions get a choice, and half of the
 * questions whose first result is wrong are caught with the right one among the choices.
 */
export const DISAMBIGUATION = {
  /** Below this score the best result is offered, not assumed. */
  minTopScore: 0.45,
  /** A second result at least this close to the first (as a fraction of its score) is a tie. */
  closeRatio: 0.7,
  /** A third choice is offered only if it scores at least this fraction of the first. */
  thirdChoiceRatio: 0.3,
} as const;

/** The 2-3 closest results when the person should choose, else null. Keeps lookup()'s order. */
export function choicesFor(results: readonly LookupResult[]): string[] | null {
  if (results.length < 2) return null;
  const [top, second] = results;
  if (top.score >= DISAMBIGUATION.minTopScore && second.score < top.score * DISAMBIGUATION.closeRatio) return null;
  const third = results[2];
  const ids = [top.id, second.id];
  if (third && third.score >= top.score * DISAMBIGUATION.thirdChoiceRatio) ids.push(third.id);
  return ids;
}

/**
 * Main routing. Each message is understood by the shared lookup() answer model (never re-ranked
 * here) and handed to one dialog: a service answer, a life-event walkthrough, a choice between close
 * services, or the fallback. Buttons send values (`findOffice`, `nextStep`, `showService`) routed
 * without understanding.
 *
 * `officeFinder` is the hook for "Find an office": the office finder replaces it after merge, e.g.
 * `main.addDialog(new OfficeFinderDialog(…)); main.officeFinder = (step, req) => step.beginDialog(OFFICE_FINDER_DIALOG, req);`
 * Until then it answers with the service's in-person office types and online link.
 */
export class MainDialog extends BaseDialog<MainOptions> {
  officeFinder: OfficeFinderHook;

  constructor(deps: DialogDeps, officeFinder?: OfficeFinderHook) {
    super(MAIN_DIALOG, deps);
    this.officeFinder = officeFinder ?? officeTypesAnswer(deps);
    this.addDialog(new WaterfallDialog(ROUTE_WATERFALL, [this.routeStep.bind(this), this.afterChildStep.bind(this)]));
    this.addDialog(new ServiceAnswerDialog(deps));
    this.addDialog(new LifeEventDialog(deps));
    this.addDialog(new DisambiguationDialog(deps));
    this.addDialog(new FallbackDialog(deps));
    this.addDialog(new HelpDialog(deps));
    this.initialDialogId = ROUTE_WATERFALL;
  }

  protected override async showHelp(innerDc: DialogContext, active: boolean): Promise<DialogTurnResult> {
    return active ? super.showHelp(innerDc, active) : innerDc.beginDialog(HELP_DIALOG);
  }

  private async routeStep(step: WaterfallStepContext<MainOptions>): Promise<DialogTurnResult> {
    if (step.options.recordId) return this.routeTo(step, step.options.recordId);
    const { context } = step;
    const action = actionValue(context);
    const text = messageText(context);
    if (action && (isKnownAction(action) || !text)) return this.routeAction(step, action);
    const t = translator(this.deps, context);
    const commands = this.deps.commands;
    if (!text) return this.reply(step, t('input.empty'));
    if (commands.is(text, 'greeting')) return this.reply(step, t('smalltalk.greeting'));
    if (commands.is(text, 'thanks')) return this.reply(step, t('smalltalk.thanks'));
    if (commands.is(text, 'next')) return this.reply(step, t('lifeEvent.noStepInProgress'));
    if (commands.is(text, 'office')) {
      const conversation = await this.deps.accessors.conversation.get(context, {});
      if (conversation.lastServiceId) return this.officeFinder(step, { serviceId: conversation.lastServiceId });
      return this.reply(step, t('office.whichService'));
    }
    return this.routeAnswer(step, await lookup(this.deps, text, turnLanguage(context)));
  }

  private async afterChildStep(step: WaterfallStepContext<MainOptions>): Promise<DialogTurnResult> {
    const result = step.result as ChildResult | undefined;
    if (result?.reroute) return step.replaceDialog(ROUTE_WATERFALL, {});
    if (result?.chosen) return step.replaceDialog(ROUTE_WATERFALL, { recordId: result.chosen });
    return step.endDialog();
  }

  private routeAnswer(step: WaterfallStepContext, answer: LookupAnswer): Promise<DialogTurnResult> {
    if (answer.outOfScope || answer.results.length === 0) return step.beginDialog(FALLBACK_DIALOG, { outOfScope: answer.outOfScope });
    const ids = choicesFor(answer.results);
    if (ids) return step.beginDialog(DISAMBIGUATION_DIALOG, { ids });
    return this.routeTo(step, answer.results[0].id);
  }

  private routeTo(step: WaterfallStepContext, id: string): Promise<DialogTurnResult> {
    const record = this.deps.repo.get(id);
    if (!record) return step.beginDialog(FALLBACK_DIALOG, { outOfScope: false });
    return record.kind === 'bundle' ? step.beginDialog(LIFE_EVENT_DIALOG, { id }) : step.beginDialog(SERVICE_ANSWER_DIALOG, { id });
  }

  private async routeAction(step: WaterfallStepContext, action: ActionValue): Promise<DialogTurnResult> {
    const t = translator(this.deps, step.context);
    if (action.action === FIND_OFFICE && typeof action.service === 'string') {
      return this.officeFinder(step, { serviceId: action.service });
    }
    if (action.action === NEXT_STEP && typeof action.event === 'string' && Number.isInteger(action.step)) {
      if (this.deps.repo.get(action.event)?.kind === 'bundle') return step.beginDialog(LIFE_EVENT_DIALOG, { id: action.event, step: action.step });
    }
    if (action.action === SHOW_SERVICE && typeof action.id === 'string' && this.deps.repo.get(action.id)) {
      return this.routeTo(step, action.id);
    }
    return this.reply(step, t('input.unknownAction'));
  }

  private async reply(step: WaterfallStepContext, text: string): Promise<DialogTurnResult> {
    await step.context.sendActivity(text);
    return step.endDialog();
  }
}

function isKnownAction(action: ActionValue): boolean {
  return action.action === FIND_OFFICE || action.action === NEXT_STEP || action.action === SHOW_SERVICE;
}
