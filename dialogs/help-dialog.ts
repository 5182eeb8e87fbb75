import { DialogTurnResult, WaterfallDialog, WaterfallStepContext } from 'botbuilder-dialogs';
import { BaseDialog } from './base-dialog';
import { DialogDeps } from './context';
import { helpActivity } from './replies';

export const HELP_DIALOG = 'helpDialog';
const HELP_WATERFALL = 'helpWaterfall';

/** What the bot can do, with example questions as suggested actions. */
export class HelpDialog extends BaseDialog {
  constructor(deps: DialogDeps) {
    super(HELP_DIALOG, deps);
    this.addDialog(new WaterfallDialog(HELP_WATERFALL, [this.showHelpStep.bind(this)]));
    this.initialDialogId = HELP_WATERFALL;
  }

  private async showHelpStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    await step.context.sendActivity(helpActivity(this.deps, step.context));
    return step.endDialog();
  }
}
