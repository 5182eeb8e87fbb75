import { ActivityTypes, Middleware, TurnContext } from 'botbuilder';
import { Recognizer } from '../../knowledge/nlu/recognizer';
import { Language } from '../../knowledge/schema';
import { setTurnLanguage, StateAccessors, turnInput } from '../../dialogs/context';

/** Detection at or above this confidence decides; below it the text is too short or mixed to tell. */
export const CONFIDENT_DETECTION = 0.9;

/** en or fr from a Bot Framework locale such as "fr-CA"; null for anything else. */
export function localeLanguage(locale: string | undefined): Language | null {
  const prefix = (locale ?? '').slice(0, 2).toLowerCase();
  return prefix === 'en' || prefix === 'fr' ? prefix : null;
}

/**
 * Chooses the language of this turn's replies, before any dialog runs:
 * 1. an explicit choice ("English", "français") stored in user state sticks;
 * 2. else the language the message is written in, when detection is confident;
 * 3. else (very short or ambiguous text: "ok", "SIN?") the activity's locale, then the
 *    conversation's last language, then English.
 * A button press has no text: the conversation's language comes before the locale.
 */
export class LanguageMiddleware implements Middleware {
  constructor(
    private readonly recognizer: Recognizer,
    private readonly accessors: StateAccessors,
  ) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const activity = context.activity;
    const profile = await this.accessors.user.get(context, {});
    const conversation = await this.accessors.conversation.get(context, {});
    const locale = localeLanguage(activity.locale);
    const text =
      activity.type === ActivityTypes.Message && typeof activity.text === 'string'
        ? activity.text.trim()
        : '';
    const detected = text ? this.recognizer.detectLanguage(text) : null;
    const confident =
      detected && detected.confidence >= CONFIDENT_DETECTION ? detected.language : null;

    let language: Language;
    if (profile.preferredLanguage) {
      language = profile.preferredLanguage;
      if (confident && confident !== language) turnInput(context).otherLanguage = confident;
    } else if (confident) {
      language = confident;
    } else if (text) {
      language = locale ?? conversation.language ?? 'en';
    } else {
      language = conversation.language ?? locale ?? 'en';
    }
    setTurnLanguage(context, language);
    if (activity.type === ActivityTypes.Message) conversation.language = language;
    await next();
  }
}
