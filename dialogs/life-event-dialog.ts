import { DialogTurnResult, WaterfallDialog, WaterfallStepContext } from 'botbuilder-dialogs';
import { NEXT_STEP } from './cards/actions';
import { supportsCards } from './cards/channel';
import { checklistReply, lifeEventView, LifeEventView, stepReply } from './cards/life-event-card';
import { BundleRecord, ServiceRecord } from '../knowledge/schema';
import { logAnswer } from './answer-log';
import { BaseDialog } from './base-dialog';
import {
  actionValue,
  ChildResult,
  DialogDeps,
  messageText,
  translator,
  turnLanguage,
} from './context';

export const LIFE_EVENT_DIALOG = 'lifeEventDialog';
const LIFE_EVENT_WATERFALL = 'lifeEventWaterfall';

export interface LifeEventOptions {
  /** Catalogue id of a life-event bundle. */
  id: string;
  /** The step to show (0 is the first); absent: show the checklist. */
  step?: number;
}

/** Sentences a life event adds to its checklist (keys in locales/{en,fr}/bot.json). */
const EXTRAS: Record<string, string[]> = {
  'bundle-newborn': ['lifeEvent.newborn.oneApplication', 'lifeEvent.newborn.consent'],
};

/**
 * A life event, step by step: first the checklist (every step with its government), then one step
 * per "Next step" (button or typed). Anything else typed ends the walkthrough and is answered.
 */
export class LifeEventDialog extends BaseDialog<LifeEventOptions> {
  constructor(deps: DialogDeps) {
    super(LIFE_EVENT_DIALOG, deps);
    this.addDialog(
      new WaterfallDialog(LIFE_EVENT_WATERFALL, [
        this.presentStep.bind(this),
        this.continueStep.bind(this),
      ]),
    );
    this.initialDialogId = LIFE_EVENT_WATERFALL;
  }

  private async presentStep(
    step: WaterfallStepContext<LifeEventOptions>,
  ): Promise<DialogTurnResult> {
    const { context } = step;
    const t = translator(this.deps, context);
    const view = this.view(step);
    if (!view) {
      await context.sendActivity(t('office.unknownService'));
      return step.endDialog();
    }
    const lang = turnLanguage(context);
    const cards = supportsCards(context.activity);
    const index = step.options.step;
    if (index === undefined) {
      await context.sendActivity(checklistReply(view, lang, t, cards));
      logAnswer(this.deps, context, {
        outcome: 'answered',
        record: { id: view.id, jurisdiction: 'shared' },
      });
      return WaterfallDialog.EndOfTurn;
    }
    const at = Math.min(Math.max(0, index), view.steps.length - 1);
    await context.sendActivity(stepReply(view, at, lang, t, cards));
    return at === view.steps.length - 1 ? step.endDialog() : WaterfallDialog.EndOfTurn;
  }

  private async continueStep(
    step: WaterfallStepContext<LifeEventOptions>,
  ): Promise<DialogTurnResult> {
    const action = actionValue(step.context);
    const current = step.options.step ?? -1;
    if (
      action?.action === NEXT_STEP &&
      action.event === step.options.id &&
      Number.isInteger(action.step)
    ) {
      return step.replaceDialog(LIFE_EVENT_WATERFALL, {
        id: step.options.id,
        step: action.step as number,
      });
    }
    if (!action && this.deps.commands.is(messageText(step.context), 'next')) {
      return step.replaceDialog(LIFE_EVENT_WATERFALL, { id: step.options.id, step: current + 1 });
    }
    const result: ChildResult = { reroute: true };
    return step.endDialog(result);
  }

  private view(step: WaterfallStepContext<LifeEventOptions>): LifeEventView | null {
    const bundle = this.deps.repo.get(step.options.id);
    if (!bundle || bundle.kind !== 'bundle') return null;
    const services = bundle.steps.map((s) => this.deps.repo.get(s.service) as ServiceRecord);
    const t = translator(this.deps, step.context);
    const extras = (EXTRAS[bundle.id] ?? []).map((key) => t(key));
    return lifeEventView(bundle as BundleRecord, services, turnLanguage(step.context), t, extras);
  }
}
