import { ActivityTypes, Middleware, TurnContext } from 'botbuilder';
import { MAX_UNDERSTOOD_CHARACTERS } from '../../knowledge/nlu/recognizer';
import { TURN_INPUT, TurnInput } from '../../dialogs/context';

/** Longer messages are cut here (the recognizer reads no further); the reply says so. */
export const MAX_MESSAGE_CHARACTERS = MAX_UNDERSTOOD_CHARACTERS;

/**
 * Makes a message's text what the person actually wrote: the bot's @mention removed (Teams puts
 * `<at>Bot</at>` in the text of channel and group messages), and very long text cut, so a pasted
 * essay is answered in milliseconds like any question.
 */
export class InputMiddleware implements Middleware {
  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const activity = context.activity;
    const input: TurnInput = { truncatedTo: null, otherLanguage: null };
    if (activity.type === ActivityTypes.Message && typeof activity.text === 'string') {
      if (activity.entities?.length && activity.recipient?.id) {
        try {
          TurnContext.removeRecipientMention(activity);
        } catch {
          // A malformed mention entity: keep the text as sent.
        }
      }
      if (activity.text.length > MAX_MESSAGE_CHARACTERS) {
        activity.text = activity.text.slice(0, MAX_MESSAGE_CHARACTERS);
        input.truncatedTo = MAX_MESSAGE_CHARACTERS;
      }
    }
    context.turnState.set(TURN_INPUT, input);
    await next();
  }
}
