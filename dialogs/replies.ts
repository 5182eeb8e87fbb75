import { Activity, MessageFactory, TurnContext } from 'botbuilder';
import { I18n } from '../lib/i18n';
import { translator } from './context';

/** What the bot can do, with a few example questions as suggested actions. */
export function helpActivity(deps: { i18n: I18n }, context: TurnContext): Partial<Activity> {
  const t = translator(deps, context);
  return MessageFactory.suggestedActions(t('help.examples').split('|'), t('help.text'));
}
