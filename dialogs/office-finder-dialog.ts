import { MessageFactory, TurnContext } from 'botbuilder';
import {
  DialogTurnResult,
  PromptValidatorContext,
  TextPrompt,
  WaterfallDialog,
  WaterfallStepContext,
} from 'botbuilder-dialogs';
import { FIND_OFFICE } from './cards/actions';
import { supportsCards } from './cards/channel';
import { Formats, leftOutLines, officesReply, visitLines } from './cards/office-card';
import { lookup } from '../knowledge/lookup';
import { contentStems } from '../knowledge/nlu/text';
import { nearestOffices } from '../knowledge/offices/answer';
import type { Origin } from '../knowledge/offices/geocode';
import type { OfficeFinder } from '../knowledge/offices/index';
import type { ServiceRecord } from '../knowledge/schema';
import type { MainDialog } from './main-dialog';
import { logAnswer } from './answer-log';
import { BaseDialog } from './base-dialog';
import { clearResult } from './choices';
import {
  actionValue,
  ChildResult,
  DialogDeps,
  messageText,
  translator,
  turnLanguage,
} from './context';
import { OfficeQuestionReader } from './office-question';
import { OfficeRequest, sendOfficeTypes } from './office-types-answer';

/** Content words a reply to "where are you?" needs before it is taken as a new question instead. */
const MIN_QUESTION_WORDS = 2;

export const OFFICE_FINDER_DIALOG = 'officeFinderDialog';
const OFFICE_FINDER_WATERFALL = 'officeFinderWaterfall';
const SERVICE_PROMPT = 'officeFinderServicePrompt';
const PLACE_PROMPT = 'officeFinderPlacePrompt';

/** A prompt is asked this many times at most; then the finder stops politely. */
export const MAX_PROMPT_ATTEMPTS = 3;
/** Offices shown: the three that will see the person soonest. */
export const OFFICES_SHOWN = 3;
/** Services offered as buttons when the finder asks which service (the most asked at a counter). */
const SUGGESTED_SERVICES = ['health-card', 'drivers-licence', 'passport', 'sin'];
/** Channels where the chat page shows a "Share my location" button. */
const LOCATION_CHANNELS = new Set(['directline', 'webchat']);

export interface OfficeFinderDeps extends DialogDeps {
  offices: OfficeFinder;
  /** The time offices are ranked for (tests pass a fixed clock). */
  clock: () => Date;
  /** A live wait report older than this is stale (WAIT_FRESH_MINUTES). */
  freshMs: number;
}

/** What the waterfall keeps between turns: the service id only. */
interface FinderValues {
  serviceId: string;
}

/** What a prompt's answer came to, handed from its validator to the next step within the turn. */
type PromptOutcome =
  { serviceId: string } | { origin: Origin } | { reroute: true } | { gaveUp: true };
const PROMPT_OUTCOME = Symbol('officeFinderPromptOutcome');

/**
 * Where to go for a service: the online service first when it can be done online, then the three
 * offices that will see the person soonest (travel plus wait, from the shared `nearestOffices()`
 * answer model), one Adaptive Card each (text on channels without cards), why nearer offices are
 * closed, and the next outreach visit for communities without an office. It asks which service when
 * it does not know, and for a postal code or a town when it has no place (re-asking politely up to
 * MAX_PROMPT_ATTEMPTS times). A new question or a button instead of an answer ends it, and the main
 * dialog routes that message afresh. State keeps the service id and the place as read (a postal
 * area or town and its point), never what the person typed.
 */
export class OfficeFinderDialog extends BaseDialog<OfficeRequest> {
  private readonly reader: OfficeQuestionReader;

  constructor(protected override readonly deps: OfficeFinderDeps) {
    super(OFFICE_FINDER_DIALOG, deps);
    this.reader = new OfficeQuestionReader(deps.i18n, deps.offices.geocoder);
    this.addDialog(new TextPrompt(SERVICE_PROMPT, this.validateService.bind(this)));
    this.addDialog(new TextPrompt(PLACE_PROMPT, this.validatePlace.bind(this)));
    this.addDialog(
      new WaterfallDialog(OFFICE_FINDER_WATERFALL, [
        this.serviceStep.bind(this),
        this.placeStep.bind(this),
        this.answerStep.bind(this),
      ]),
    );
    this.initialDialogId = OFFICE_FINDER_WATERFALL;
  }

  private async serviceStep(step: WaterfallStepContext<OfficeRequest>): Promise<DialogTurnResult> {
    const conversation = await this.deps.accessors.conversation.get(step.context, {});
    const serviceId = step.options.serviceId ?? conversation.lastServiceId;
    if (serviceId) return step.next({ serviceId } satisfies PromptOutcome);
    const lang = turnLanguage(step.context);
    const names = SUGGESTED_SERVICES.flatMap((id) => this.deps.repo.get(id)?.name[lang] ?? []);
    return step.prompt(SERVICE_PROMPT, {
      prompt: MessageFactory.suggestedActions(names, this.say(step.context)('askService')),
    });
  }

  private async placeStep(step: WaterfallStepContext<OfficeRequest>): Promise<DialogTurnResult> {
    const { context } = step;
    const outcome = this.outcome(step);
    if ('reroute' in outcome) return step.endDialog({ reroute: true } satisfies ChildResult);
    if ('gaveUp' in outcome) return this.stop(step, 'gaveUp.service');
    const record = 'serviceId' in outcome ? this.deps.repo.get(outcome.serviceId) : undefined;
    if (!record || record.kind !== 'service') {
      await context.sendActivity(translator(this.deps, context)('office.unknownService'));
      return step.endDialog();
    }
    const conversation = await this.deps.accessors.conversation.get(context, {});
    conversation.lastServiceId = record.id;
    (step.values as FinderValues).serviceId = record.id;
    if (this.deps.offices.registry.officesFor(record.id).length === 0)
      return this.answerWithoutOffices(step, record);
    if (step.options.origin)
      return step.next({ origin: step.options.origin } satisfies PromptOutcome);
    const say = this.say(context);
    const ask = LOCATION_CHANNELS.has(context.activity.channelId)
      ? `${say('askPlace')} ${say('askPlaceShare')}`
      : say('askPlace');
    return step.prompt(PLACE_PROMPT, { prompt: ask });
  }

  private async answerStep(step: WaterfallStepContext<OfficeRequest>): Promise<DialogTurnResult> {
    const outcome = this.outcome(step);
    if ('reroute' in outcome) return step.endDialog({ reroute: true } satisfies ChildResult);
    if (!('origin' in outcome)) return this.stop(step, 'gaveUp.place');
    await this.answer(
      step.context,
      this.deps.repo.get((step.values as FinderValues).serviceId) as ServiceRecord,
      outcome.origin,
    );
    return step.endDialog();
  }

  /** The online service, nearby outreach visits, the offices, and why nearer offices were left out. */
  private async answer(
    context: TurnContext,
    service: ServiceRecord,
    origin: Origin,
  ): Promise<void> {
    const say = this.say(context);
    const lang = turnLanguage(context);
    const now = this.deps.clock();
    const { registry, waits, outreach } = this.deps.offices;
    const answer = nearestOffices(
      { registry, waits, outreach, now, freshMs: this.deps.freshMs, t: this.deps.i18n.t },
      { service, origin, lang, limit: OFFICES_SHOWN },
    );
    const f = new Formats(lang, now);
    const place = origin.kind === 'coordinates' ? say('location.yours') : origin.label;
    const nearest = answer.offices[0]?.distanceKm ?? Infinity;
    // Visits matter where they are closer than any office: fly-in communities.
    const visits = answer.outreach.filter((v) => (v.distanceKm ?? Infinity) < nearest).slice(0, 2);
    const replies = [];
    if (answer.online)
      replies.push(
        MessageFactory.text(
          say('online', { service: answer.service.name, url: answer.online.url }),
        ),
      );
    if (answer.serviceNote) replies.push(MessageFactory.text(answer.serviceNote));
    if (visits.length)
      replies.push(MessageFactory.text(visitLines(visits, place, say, f).join('\n\n')));
    // An outreach site in the community with no visit date known: whom to ask, before far offices.
    if (answer.outreachSites.length)
      replies.push(MessageFactory.text(answer.outreachSites.map((s) => s.message).join('\n\n')));
    if (answer.offices.length)
      replies.push(officesReply(answer, place, lang, say, f, supportsCards(context.activity)));
    else if (!visits.length && !answer.outreachSites.length)
      replies.push(MessageFactory.text(say('none', { service: answer.service.name, place })));
    if (answer.remote) replies.push(MessageFactory.text(answer.remote.message));
    const leftOut = leftOutLines(answer, say, f);
    if (leftOut.length) replies.push(MessageFactory.text(leftOut.join('\n\n')));
    await context.sendActivities(replies);
    const inPerson = answer.offices.length > 0 || visits.length > 0;
    logAnswer(this.deps, context, {
      outcome: 'answered',
      record: service,
      referral: inPerson ? 'office' : answer.online ? 'online' : '',
    });
    if (origin.kind === 'postal-code')
      this.deps.usage?.recordAreaDemand(origin.label.slice(0, 3), service.id);
  }

  /** No office in the registry delivers it: the office types that do (municipal, DriveTest…), or online only. */
  private async answerWithoutOffices(
    step: WaterfallStepContext<OfficeRequest>,
    record: ServiceRecord,
  ): Promise<DialogTurnResult> {
    const { context } = step;
    if (record.officeTypes.length) {
      await sendOfficeTypes(this.deps, context, record);
      return step.endDialog();
    }
    const say = this.say(context);
    const lang = turnLanguage(context);
    const url = record.links[0]?.url[lang];
    const lines = [say('notInPerson', { service: record.name[lang] })];
    if (url) lines.push(say('online', { service: record.name[lang], url }));
    await context.sendActivity(lines.join('\n\n'));
    logAnswer(this.deps, context, { outcome: 'answered', record, referral: url ? 'online' : '' });
    return step.endDialog();
  }

  private async validateService(prompt: PromptValidatorContext<string>): Promise<boolean> {
    const { context } = prompt;
    const action = actionValue(context);
    if (action) {
      const chosen = action.action === FIND_OFFICE && typeof action.service === 'string';
      return this.settle(
        context,
        chosen ? { serviceId: action.service as string } : { reroute: true },
      );
    }
    const text = messageText(context);
    const top = text ? clearResult(await lookup(this.deps, text, turnLanguage(context))) : null;
    if (top?.kind === 'service') return this.settle(context, { serviceId: top.id });
    // A life event is a new question, not a service for an office.
    if (top) return this.settle(context, { reroute: true });
    return this.retry(prompt, 'retry.service');
  }

  private async validatePlace(prompt: PromptValidatorContext<string>): Promise<boolean> {
    const { context } = prompt;
    if (actionValue(context)) return this.settle(context, { reroute: true });
    const text = messageText(context);
    const reading = text ? this.reader.place(text) : ({ failure: 'unplaceable' } as const);
    if ('origin' in reading) return this.settle(context, { origin: reading.origin });
    // Asked something else instead of saying where: answer that. A reply of one word besides the
    // little ones ("chez ma tante", "at my cottage") is a place that could not be found, not a question.
    const lang = turnLanguage(context);
    const question = text && contentStems(text, lang).length >= MIN_QUESTION_WORDS;
    if (question && clearResult(await lookup(this.deps, text, lang)))
      return this.settle(context, { reroute: true });
    return this.retry(prompt, `retry.${reading.failure}`);
  }

  private settle(context: TurnContext, outcome: PromptOutcome): true {
    context.turnState.set(PROMPT_OUTCOME, outcome);
    return true;
  }

  /** Re-asks with why the answer did not do, or gives up after the last attempt. */
  private async retry(prompt: PromptValidatorContext<string>, key: string): Promise<boolean> {
    if (prompt.attemptCount >= MAX_PROMPT_ATTEMPTS)
      return this.settle(prompt.context, { gaveUp: true });
    await prompt.context.sendActivity(this.say(prompt.context)(key));
    return false;
  }

  /** The outcome of the step before: a prompt's (set by its validator this turn) or passed on by `next`. */
  private outcome(step: WaterfallStepContext<OfficeRequest>): PromptOutcome {
    const settled = step.context.turnState.get(PROMPT_OUTCOME) as PromptOutcome | undefined;
    step.context.turnState.delete(PROMPT_OUTCOME);
    const passed = step.result as PromptOutcome | undefined;
    return settled ?? (passed && typeof passed === 'object' ? passed : { gaveUp: true });
  }

  private async stop(
    step: WaterfallStepContext<OfficeRequest>,
    key: string,
  ): Promise<DialogTurnResult> {
    await step.context.sendActivity(this.say(step.context)(key));
    return step.endDialog();
  }

  private say(context: TurnContext) {
    return translator(this.deps, context, 'office-finder');
  }
}

/** Puts the finder on the main dialog's `officeFinder` hook (createBot does it by default). */
export function attachOfficeFinder(main: MainDialog, deps: OfficeFinderDeps): MainDialog {
  main.addDialog(new OfficeFinderDialog(deps));
  main.officeFinder = (step, request) => step.beginDialog(OFFICE_FINDER_DIALOG, request);
  return main;
}
