import { DialogTurnResult, WaterfallDialog, WaterfallStepContext } from 'botbuilder-dialogs';
import { serviceReply, serviceView } from '../bot/cards/service-card';
import { supportsCards } from '../bot/cards/channel';
import { logAnswer } from './answer-log';
import { BaseDialog } from './base-dialog';
import { DialogDeps, translator, turnLanguage } from './context';

export const SERVICE_ANSWER_DIALOG = 'serviceAnswerDialog';
const SERVICE_ANSWER_WATERFALL = 'serviceAnswerWaterfall';

export interface ServiceAnswerOptions {
  /** Catalogue id of a service record. */
  id: string;
}

/**
 * One service: an Adaptive Card with the name, the responsible government, who delivers it, the
 * short answer, what to bring, and buttons for the online service and "Find an office"; plain text
 * on channels without cards.
 */
export class ServiceAnswerDialog extends BaseDialog<ServiceAnswerOptions> {
  constructor(deps: DialogDeps) {
    super(SERVICE_ANSWER_DIALOG, deps);
    this.addDialog(new WaterfallDialog(SERVICE_ANSWER_WATERFALL, [this.showAnswerStep.bind(this)]));
    this.initialDialogId = SERVICE_ANSWER_WATERFALL;
  }

  private async showAnswerStep(step: WaterfallStepContext<ServiceAnswerOptions>): Promise<DialogTurnResult> {
    const { context } = step;
    const record = this.deps.repo.get(step.options.id);
    const t = translator(this.deps, context);
    if (!record || record.kind !== 'service') {
      await context.sendActivity(t('office.unknownService'));
      return step.endDialog();
    }
    const lang = turnLanguage(context);
    const view = serviceView(record, lang, t);
    await context.sendActivity(serviceReply(view, lang, t, supportsCards(context.activity)));
    logAnswer(this.deps, context, { outcome: 'answered', record, referral: view.url ? 'online' : '' });
    const conversation = await this.deps.accessors.conversation.get(context, {});
    conversation.lastServiceId = record.id;
    return step.endDialog();
  }
}
