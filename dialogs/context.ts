import type { StatePropertyAccessor, TurnContext } from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import { I18n } from '../lib/i18n';
import { Logger } from '../lib/logger';
import type { Metrics } from '../lib/metrics';
import type { OfficeFinder } from '../knowledge/offices/index';
import type { UsageStore } from '../knowledge/usage/usage-store';
import type { LookupDeps } from '../knowledge/lookup';
import { Language } from '../knowledge/schema';
import { CommandMatcher } from './commands';

/**
 * What the bot remembers about a conversation. Ids and flags only: never what the person typed
 * (privacy: state is stored, and raw text may hold personal numbers).
 */
export interface ConversationData {
  /** The language of the last reply. */
  language?: Language;
  /** The service last shown, for a typed "office" request on channels without buttons. */
  lastServiceId?: string;
  /** The municipality a question named (a town or postal area, never an address): later municipal answers name it. */
  municipalityId?: string;
  greeted?: boolean;
  /** The "say English / dites français" hint was shown once already. */
  languageHintShown?: boolean;
}

/** What the bot remembers about a person across conversations. */
export interface UserProfile {
  /** Set by an explicit "English" / "français": it wins over detection until switched again. */
  preferredLanguage?: Language;
}

export interface StateAccessors {
  dialogState: StatePropertyAccessor<DialogState>;
  conversation: StatePropertyAccessor<ConversationData>;
  user: StatePropertyAccessor<UserProfile>;
}

/** Everything the dialogs need, passed in by the composition root (no dialog constructs these). */
export interface DialogDeps extends LookupDeps {
  i18n: I18n;
  logger: Logger;
  accessors: StateAccessors;
  commands: CommandMatcher;
  /** Where each answer is counted for the insights (channel `bot`); absent in tests that do not count. */
  usage?: Pick<UsageStore, 'recordAnswer' | 'recordAreaDemand'>;
  /** Prometheus counters (`answers_total`). */
  metrics?: Pick<Metrics, 'answers'>;
  /**
   * The office registry and geocoder, to read places in questions ("office near K7L") and know which
   * services have offices; without them, office questions are routed by their wording only.
   */
  offices?: Pick<OfficeFinder, 'geocoder' | 'registry'>;
}

/** Turn-scoped values set by the bot's middleware before the dialogs run. */
export const TURN_LANGUAGE = Symbol('turnLanguage');
export const TURN_INPUT = Symbol('turnInput');

export interface TurnInput {
  /** The message was cut to this many characters (its original length is not kept). */
  truncatedTo: number | null;
  /** The person's text was confidently in the other language than the reply (an explicit choice won). */
  otherLanguage: Language | null;
}

/** The language this turn's replies are in (English until the language middleware has run). */
export function turnLanguage(context: TurnContext): Language {
  return (context.turnState.get(TURN_LANGUAGE) as Language | undefined) ?? 'en';
}

export function setTurnLanguage(context: TurnContext, language: Language): void {
  context.turnState.set(TURN_LANGUAGE, language);
}

export function turnInput(context: TurnContext): TurnInput {
  return (
    (context.turnState.get(TURN_INPUT) as TurnInput | undefined) ?? {
      truncatedTo: null,
      otherLanguage: null,
    }
  );
}

/**
 * An explicit language choice: it sticks for the person (user state) and applies from this reply on.
 * Saying "English" / "français" and the web page's language toggle (`setLanguage` event) both end here.
 */
export async function setPreferredLanguage(
  accessors: StateAccessors,
  context: TurnContext,
  language: Language,
): Promise<void> {
  const profile = await accessors.user.get(context, {});
  profile.preferredLanguage = language;
  const conversation = await accessors.conversation.get(context, {});
  conversation.language = language;
  setTurnLanguage(context, language);
}

/** Sentences as i18next gives them (placeholders intact), per i18n instance: a card asks for a dozen each turn. */
const sentences = new WeakMap<I18n, Map<string, string>>();
const PLACEHOLDER = /{{\s*(\w+)\s*}}/g;

/**
 * `t(key, params)` for this turn's language, in the `bot` namespace (or `namespace`). Each sentence is read through
 * i18next once; its {{placeholders}} are then filled here (the bot's sentences use plain
 * interpolation only, without escaping, as lib/i18n configures it), which keeps i18next out of the
 * per-turn cost.
 */
export function translator(
  deps: { i18n: I18n },
  context: TurnContext,
  namespace = 'bot',
): (key: string, params?: Record<string, unknown>) => string {
  const lang = turnLanguage(context);
  let cache = sentences.get(deps.i18n);
  if (!cache) sentences.set(deps.i18n, (cache = new Map()));
  const known = cache;
  return (key, params) => {
    const id = `${lang}:${namespace}:${key}`;
    let text = known.get(id);
    if (text === undefined) known.set(id, (text = deps.i18n.t(lang, `${namespace}:${key}`)));
    return params
      ? text.replace(PLACEHOLDER, (whole, name: string) =>
          params[name] === undefined ? whole : String(params[name]),
        )
      : text;
  };
}

/** A button press: cards and suggested actions send `{ action, … }` as the message value. */
export interface ActionValue {
  action: string;
  [key: string]: unknown;
}

export function actionValue(context: TurnContext): ActionValue | null {
  const v = context.activity.value as unknown;
  return v && typeof v === 'object' && typeof (v as { action?: unknown }).action === 'string'
    ? (v as ActionValue)
    : null;
}

/** The person's text, trimmed ('' when there is none). */
export function messageText(context: TurnContext): string {
  return typeof context.activity.text === 'string' ? context.activity.text.trim() : '';
}

/**
 * What a child dialog hands back to the main dialog: `reroute` when the person asked something
 * else instead of answering it (the main dialog routes the same message afresh), `chosen` when the
 * person picked a record.
 */
export interface ChildResult {
  reroute?: boolean;
  chosen?: string;
}
