import { ActivityTypes } from 'botbuilder';
import {
  DialogTurnResult,
  DialogContext,
  WaterfallDialog,
  WaterfallStepContext,
} from 'botbuilder-dialogs';
import { FIND_OFFICE, NEXT_STEP, SHOW_SERVICE } from './cards/actions';
import { lookup, LookupAnswer } from '../knowledge/lookup';
import type { ServiceRecord } from '../knowledge/schema';
import { BaseDialog } from './base-dialog';
import { choicesFor, clearResult } from './choices';
import {
  ActionValue,
  actionValue,
  ChildResult,
  DialogDeps,
  messageText,
  translator,
  turnLanguage,
} from './context';
import { DISAMBIGUATION_DIALOG, DisambiguationDialog } from './disambiguation-dialog';
import { FALLBACK_DIALOG, FallbackDialog } from './fallback-dialog';
import { HELP_DIALOG, HelpDialog } from './help-dialog';
import { LIFE_EVENT_DIALOG, LifeEventDialog } from './life-event-dialog';
import { OfficeQuestion, OfficeQuestionReader } from './office-question';
import { OfficeFinderHook, officeTypesAnswer } from './office-types-answer';
import {
  SERVICE_ANSWER_DIALOG,
  ServiceAnswerDialog,
  ServiceAnswerOptions,
} from './service-answer-dialog';
import { unsureText } from './cards/unsure';

/** When not sure, records scoring at least this are offered as choices (weaker ones are noise). */
const UNSURE_SUGGESTION_MIN_SCORE = 0.15;

export { choicesFor, DISAMBIGUATION } from './choices';

export const MAIN_DIALOG = 'mainDialog';
const ROUTE_WATERFALL = 'mainRouteWaterfall';
/** The event the web chat page sends with `{ lat, lon }` when the person shares their location. */
export const LOCATION_EVENT = 'location';

export interface MainOptions {
  /** Route straight to this record (the person picked it), without understanding the message. */
  recordId?: string;
}

/**
 * Main routing. Each message is understood by the shared lookup() answer model (never re-ranked
 * here) and handed to one dialog: a service answer, a life-event walkthrough, a choice between close
 * services, or the fallback. Buttons send values (`findOffice`, `nextStep`, `showService`) routed
 * without understanding.
 *
 * `officeFinder` is the hook for office requests (the button, a typed "office", office questions such
 * as "Where can I renew my health card near K7L?", and a `location` event from the web chat page):
 * createBot puts the office finder dialog on it (`attachOfficeFinder`); without it, the hook answers
 * with the service's in-person office types and online link.
 */
export class MainDialog extends BaseDialog<MainOptions> {
  officeFinder: OfficeFinderHook;
  private readonly questions: OfficeQuestionReader;

  constructor(deps: DialogDeps, officeFinder?: OfficeFinderHook) {
    super(MAIN_DIALOG, deps);
    this.officeFinder = officeFinder ?? officeTypesAnswer(deps);
    this.questions = new OfficeQuestionReader(deps.i18n, deps.offices?.geocoder ?? null);
    this.addDialog(
      new WaterfallDialog(ROUTE_WATERFALL, [
        this.routeStep.bind(this),
        this.afterChildStep.bind(this),
      ]),
    );
    this.addDialog(new ServiceAnswerDialog(deps));
    this.addDialog(new LifeEventDialog(deps));
    this.addDialog(new DisambiguationDialog(deps));
    this.addDialog(new FallbackDialog(deps));
    this.addDialog(new HelpDialog(deps));
    this.initialDialogId = ROUTE_WATERFALL;
  }

  protected override async showHelp(
    innerDc: DialogContext,
    active: boolean,
  ): Promise<DialogTurnResult> {
    return active ? super.showHelp(innerDc, active) : innerDc.beginDialog(HELP_DIALOG);
  }

  /** A shared location starts the office search afresh, whatever was going on (a prompt waits for messages only). */
  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    if (!isLocationEvent(innerDc)) return super.onContinueDialog(innerDc);
    await innerDc.cancelAllDialogs();
    return innerDc.beginDialog(ROUTE_WATERFALL, {});
  }

  private async routeStep(step: WaterfallStepContext<MainOptions>): Promise<DialogTurnResult> {
    if (step.options.recordId) return this.routeTo(step, step.options.recordId);
    const { context } = step;
    if (isLocationEvent(step)) return this.routeLocation(step);
    if (context.activity.type !== ActivityTypes.Message) return step.endDialog();
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
      return this.officeFinder(step, { serviceId: conversation.lastServiceId });
    }
    const conversation = await this.deps.accessors.conversation.get(context, {});
    const answer = await lookup(this.deps, text, {
      lang: turnLanguage(context),
      municipalityId: conversation.municipalityId,
    });
    if (answer.municipality) conversation.municipalityId = answer.municipality.id;
    const question = this.questions.read(text);
    const routed = question && (await this.routeOfficeQuestion(step, question, answer));
    return routed || this.routeAnswer(step, answer);
  }

  /**
   * "Where can I renew my health card near K7L?", "office near Kingston", "bureau près de Sudbury":
   * the office finder, for the service the text names, else the last one (else it asks). Answered as
   * usual (null): a "where" question about a service no office of the registry delivers (the service
   * card says who does), a life event, and an office-free question about no government service
   * ("best pizza near me", "my Microsoft Office licence").
   */
  private async routeOfficeQuestion(
    step: WaterfallStepContext,
    question: OfficeQuestion,
    whole: LookupAnswer,
  ): Promise<DialogTurnResult | null> {
    const origin = question.origin ?? undefined;
    // "office" with somewhere to look is about offices even when the rest is not understood ("office near K7L").
    if (whole.outOfScope && !(question.office && (origin || question.nearMe))) return null;
    // The service from the words that are not the place or the office wording.
    const answer = question.rest
      ? await lookup(this.deps, question.rest, turnLanguage(step.context))
      : null;
    const top = answer && clearResult(answer);
    // Without a place, the whole question must be understood too ("my Microsoft Office licence" is not "licence" + "office").
    const grounded = !!origin || question.nearMe || !!clearResult(whole);
    if (top?.kind === 'service' && grounded && (question.explicit || this.hasOffices(top.id)))
      return this.officeFinder(step, { serviceId: top.id, origin });
    if (!question.explicit || top?.kind === 'bundle' || clearResult(whole)?.kind === 'bundle')
      return null;
    // An office word alone, in a question not understood, is no office search.
    if (!grounded) return null;
    const conversation = await this.deps.accessors.conversation.get(step.context, {});
    return this.officeFinder(step, { serviceId: conversation.lastServiceId, origin });
  }

  /** Whether offices deliver the service in person (by the registry, else by the record's office types). */
  private hasOffices(serviceId: string): boolean {
    if (this.deps.offices) return this.deps.offices.registry.officesFor(serviceId).length > 0;
    return (
      ((this.deps.repo.get(serviceId) as ServiceRecord | undefined)?.officeTypes.length ?? 0) > 0
    );
  }

  private async routeLocation(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const reading = this.questions.location(step.context.activity.value);
    if ('failure' in reading) {
      const say = translator(this.deps, step.context, 'office-finder');
      return this.reply(
        step,
        say(reading.failure === 'outside_canada' ? 'location.outside' : 'location.unreadable'),
      );
    }
    const conversation = await this.deps.accessors.conversation.get(step.context, {});
    return this.officeFinder(step, {
      serviceId: conversation.lastServiceId,
      origin: reading.origin,
    });
  }

  private async afterChildStep(step: WaterfallStepContext<MainOptions>): Promise<DialogTurnResult> {
    const result = step.result as ChildResult | undefined;
    if (result?.reroute) return step.replaceDialog(ROUTE_WATERFALL, {});
    if (result?.chosen) return step.replaceDialog(ROUTE_WATERFALL, { recordId: result.chosen });
    return step.endDialog();
  }

  private routeAnswer(step: WaterfallStepContext, answer: LookupAnswer): Promise<DialogTurnResult> {
    if (answer.outOfScope) return step.beginDialog(FALLBACK_DIALOG, { outOfScope: true });
    if (answer.results.length === 0) return this.routeUnsure(step, answer);
    const ids = choicesFor(answer.results);
    if (ids) return step.beginDialog(DISAMBIGUATION_DIALOG, { ids });
    return this.routeTo(step, answer.results[0].id, {
      phoneFirst: answer.contactRequest,
      municipality: answer.municipality,
    });
  }

  /** Not sure: what is known (federal services, the likely government, who to call), then the closest records as choices. */
  private routeUnsure(step: WaterfallStepContext, answer: LookupAnswer): Promise<DialogTurnResult> {
    const ids = answer.suggestions
      .filter((s) => s.score >= UNSURE_SUGGESTION_MIN_SCORE)
      .map((s) => s.id);
    const t = translator(this.deps, step.context);
    const preface = unsureText(
      {
        federalServices: answer.federalServices,
        bodies: answer.bodies,
        whoToAsk: answer.whoToAsk,
        hasSuggestions: ids.length > 0,
      },
      t,
    );
    if (ids.length > 0) return step.beginDialog(DISAMBIGUATION_DIALOG, { ids, preface });
    return step.beginDialog(FALLBACK_DIALOG, { outOfScope: false, preface });
  }

  private routeTo(
    step: WaterfallStepContext,
    id: string,
    extras: Omit<ServiceAnswerOptions, 'id'> = {},
  ): Promise<DialogTurnResult> {
    const record = this.deps.repo.get(id);
    if (!record) return step.beginDialog(FALLBACK_DIALOG, { outOfScope: false });
    return record.kind === 'bundle'
      ? step.beginDialog(LIFE_EVENT_DIALOG, { id })
      : step.beginDialog(SERVICE_ANSWER_DIALOG, { id, ...extras });
  }

  private async routeAction(
    step: WaterfallStepContext,
    action: ActionValue,
  ): Promise<DialogTurnResult> {
    const t = translator(this.deps, step.context);
    if (action.action === FIND_OFFICE && typeof action.service === 'string') {
      return this.officeFinder(step, { serviceId: action.service });
    }
    if (
      action.action === NEXT_STEP &&
      typeof action.event === 'string' &&
      Number.isInteger(action.step)
    ) {
      if (this.deps.repo.get(action.event)?.kind === 'bundle')
        return step.beginDialog(LIFE_EVENT_DIALOG, { id: action.event, step: action.step });
    }
    if (
      action.action === SHOW_SERVICE &&
      typeof action.id === 'string' &&
      this.deps.repo.get(action.id)
    ) {
      return this.routeTo(step, action.id);
    }
    return this.reply(step, t('input.unknownAction'));
  }

  private async reply(step: WaterfallStepContext, text: string): Promise<DialogTurnResult> {
    await step.context.sendActivity(text);
    return step.endDialog();
  }
}

function isLocationEvent(dc: { context: DialogContext['context'] }): boolean {
  const activity = dc.context.activity;
  return activity.type === ActivityTypes.Event && activity.name === LOCATION_EVENT;
}

function isKnownAction(action: ActionValue): boolean {
  return (
    action.action === FIND_OFFICE || action.action === NEXT_STEP || action.action === SHOW_SERVICE
  );
}
