import { DialogTurnResult, WaterfallDialog, WaterfallStepContext } from 'botbuilder-dialogs';
import { serviceReply, serviceView } from './cards/service-card';
import { supportsCards } from './cards/channel';
import { contactViews } from '../knowledge/contacts';
import type { MunicipalityView } from '../knowledge/municipalities/directory';
import { logAnswer } from './answer-log';
import { BaseDialog } from './base-dialog';
import { DialogDeps, translator, turnLanguage } from './context';

export const SERVICE_ANSWER_DIALOG = 'serviceAnswerDialog';
const SERVICE_ANSWER_WATERFALL = 'serviceAnswerWaterfall';

export interface ServiceAnswerOptions {
  /** Catalogue id of a service record. */
  id: string;
  /** The question asked for a phone number: the lines come first. */
  phoneFirst?: boolean;
  /** The person's municipality as the question named it; else the one the conversation knows. */
  municipality?: MunicipalityView | null;
}

/**
 * One service: an Adaptive Card with the name, the responsible government, who delivers it, the
 * short answer, the person's municipality (municipal services), the phone lines, what to bring, and
 * buttons for the online service and "Find an office"; plain text on channels without cards.
 */
export class ServiceAnswerDialog extends BaseDialog<ServiceAnswerOptions> {
  constructor(deps: DialogDeps) {
    super(SERVICE_ANSWER_DIALOG, deps);
    this.addDialog(new WaterfallDialog(SERVICE_ANSWER_WATERFALL, [this.showAnswerStep.bind(this)]));
    this.initialDialogId = SERVICE_ANSWER_WATERFALL;
  }

  private async showAnswerStep(
    step: WaterfallStepContext<ServiceAnswerOptions>,
  ): Promise<DialogTurnResult> {
    const { context } = step;
    const record = this.deps.repo.get(step.options.id);
    const t = translator(this.deps, context);
    if (!record || record.kind !== 'service') {
      await context.sendActivity(t('office.unknownService'));
      return step.endDialog();
    }
    const lang = turnLanguage(context);
    const conversation = await this.deps.accessors.conversation.get(context, {});
    const known = conversation.municipalityId
      ? this.deps.municipalities?.get(conversation.municipalityId)
      : undefined;
    const municipality =
      step.options.municipality ??
      (known && this.deps.municipalities
        ? this.deps.municipalities.view({ municipalities: [known], via: 'name', matched: '' }, lang)
        : null);
    const view = serviceView(record, lang, t, {
      contacts: contactViews(this.deps.repo, record.contacts, lang),
      municipality,
      phoneFirst: step.options.phoneFirst,
    });
    await context.sendActivity(serviceReply(view, lang, t, supportsCards(context.activity)));
    logAnswer(this.deps, context, {
      outcome: 'answered',
      record,
      referral: view.url ? 'online' : '',
    });
    conversation.lastServiceId = record.id;
    return step.endDialog();
  }
}
