import { DialogTurnResult, WaterfallDialog, WaterfallStepContext } from 'botbuilder-dialogs';
import { logAnswer } from './answer-log';
import { BaseDialog } from './base-dialog';
import { DialogDeps, translator } from './context';

export const FALLBACK_DIALOG = 'fallbackDialog';
const FALLBACK_WATERFALL = 'fallbackWaterfall';

export interface FallbackOptions {
  /** The message was about no government service at all (weather, jokes…), not an unknown one. */
  outOfScope: boolean;
  /** Not sure: what the bot knows and who to call, said instead of the general lines. */
  preface?: string;
}

/**
 * When the bot cannot help: says so politely, then gives the phone lines (1 800 O-Canada,
 * ServiceOntario's contact centre, 311) and the official searches on canada.ca and ontario.ca.
 */
export class FallbackDialog extends BaseDialog<FallbackOptions> {
  constructor(deps: DialogDeps) {
    super(FALLBACK_DIALOG, deps);
    this.addDialog(new WaterfallDialog(FALLBACK_WATERFALL, [this.explainStep.bind(this)]));
    this.initialDialogId = FALLBACK_WATERFALL;
  }

  private async explainStep(
    step: WaterfallStepContext<FallbackOptions>,
  ): Promise<DialogTurnResult> {
    const t = translator(this.deps, step.context);
    const lines = step.options.preface
      ? [step.options.preface]
      : [
          t(step.options.outOfScope ? 'fallback.outOfScope' : 'fallback.unknown'),
          t('fallback.phones'),
          t('fallback.search', {
            canada: t('links.canadaSearch'),
            ontario: t('links.ontarioSearch'),
          }),
        ];
    await step.context.sendActivity(lines.join('\n\n'));
    logAnswer(this.deps, step.context, {
      outcome: step.options.outOfScope ? 'out_of_scope' : 'fallback',
    });
    return step.endDialog();
  }
}
