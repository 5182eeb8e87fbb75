import { MessageFactory } from 'botbuilder';
import { DialogTurnResult, WaterfallDialog, WaterfallStepContext } from 'botbuilder-dialogs';
import { SHOW_SERVICE } from './cards/actions';
import { LANGUAGES } from '../knowledge/schema';
import { logAnswer } from './answer-log';
import { BaseDialog } from './base-dialog';
import { normalizeCommand } from './commands';
import {
  actionValue,
  ChildResult,
  DialogDeps,
  messageText,
  translator,
  turnLanguage,
} from './context';

export const DISAMBIGUATION_DIALOG = 'disambiguationDialog';
const DISAMBIGUATION_WATERFALL = 'disambiguationWaterfall';

export interface DisambiguationOptions {
  /** The closest records, best first, as ranked by lookup() (1 to 3). */
  ids: string[];
  /** Said before the choices, in the same message (what the bot knows when it is not sure). */
  preface?: string;
}

/**
 * "Did you mean…": the 2-3 closest services as suggested actions (and a numbered list, for channels
 * without buttons). The person picks by button, number or name; anything else is a new question.
 */
export class DisambiguationDialog extends BaseDialog<DisambiguationOptions> {
  constructor(deps: DialogDeps) {
    super(DISAMBIGUATION_DIALOG, deps);
    this.addDialog(
      new WaterfallDialog(DISAMBIGUATION_WATERFALL, [
        this.offerChoicesStep.bind(this),
        this.resolveChoiceStep.bind(this),
      ]),
    );
    this.initialDialogId = DISAMBIGUATION_WATERFALL;
  }

  private names(step: WaterfallStepContext<DisambiguationOptions>): string[] {
    const lang = turnLanguage(step.context);
    return step.options.ids.map((id) => this.deps.repo.get(id)?.name[lang] ?? id);
  }

  private async offerChoicesStep(
    step: WaterfallStepContext<DisambiguationOptions>,
  ): Promise<DialogTurnResult> {
    const t = translator(this.deps, step.context);
    const names = this.names(step);
    const { preface } = step.options;
    const lines = [
      ...(preface ? [preface, '', t('unsure.suggestions')] : [t('disambiguation.question')]),
      ...names.map((name, i) => t('disambiguation.option', { number: i + 1, name })),
      t('disambiguation.choose'),
    ];
    await step.context.sendActivity(
      MessageFactory.suggestedActions([...names, t('disambiguation.none')], lines.join('\n')),
    );
    // Not sure (a preface) counts as unanswered; a choice between close answers does not.
    logAnswer(this.deps, step.context, { outcome: preface ? 'fallback' : 'disambiguation' });
    return WaterfallDialog.EndOfTurn;
  }

  private async resolveChoiceStep(
    step: WaterfallStepContext<DisambiguationOptions>,
  ): Promise<DialogTurnResult> {
    const { ids } = step.options;
    const action = actionValue(step.context);
    if (action?.action === SHOW_SERVICE && typeof action.id === 'string' && ids.includes(action.id))
      return this.choose(step, action.id);
    const text = messageText(step.context);
    const number = /^\s*([1-9])\s*[.)]?\s*$/.exec(text);
    if (number && Number(number[1]) <= ids.length)
      return this.choose(step, ids[Number(number[1]) - 1]);
    const typed = normalizeCommand(text);
    // By name in either language: the person may have switched language since the choices were shown.
    const byName = ids.findIndex((id) => {
      const record = this.deps.repo.get(id);
      return !!record && LANGUAGES.some((l) => normalizeCommand(record.name[l]) === typed);
    });
    if (typed && byName >= 0) return this.choose(step, ids[byName]);
    if (this.deps.commands.is(text, 'none')) {
      await step.context.sendActivity(
        translator(this.deps, step.context)('disambiguation.rephrase'),
      );
      return step.endDialog();
    }
    const result: ChildResult = { reroute: true };
    return step.endDialog(result);
  }

  private choose(
    step: WaterfallStepContext<DisambiguationOptions>,
    id: string,
  ): Promise<DialogTurnResult> {
    const result: ChildResult = { chosen: id };
    return step.endDialog(result);
  }
}
