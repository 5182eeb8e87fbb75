import {
  ActivityTypes,
  BotState,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationBotFrameworkAuthenticationOptions,
  InvokeResponse,
  TurnContext,
} from 'botbuilder';
import type { Activity } from 'botbuilder';
import { Config } from '../lib/config';
import { I18n } from '../lib/i18n';
import { Logger } from '../lib/logger';
import { Recognizer } from '../knowledge/nlu/recognizer';
import { Language } from '../knowledge/schema';
import { TURN_LANGUAGE } from '../dialogs/context';
import { localeLanguage } from './middleware/language-middleware';

export type AuthenticateResult = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;

/** Extra authentication settings (tests point the OpenID metadata at a local server). */
export type BotAuthOverrides = Partial<ConfigurationBotFrameworkAuthenticationOptions>;

/**
 * The Bot Framework CloudAdapter, with authentication and the turn as two calls, so the HTTP route
 * can answer a rejected request 401 and a malformed one 400 in its own JSON error format.
 */
export class BotAdapter extends CloudAdapter {
  constructor(private readonly auth: ConfigurationBotFrameworkAuthentication) {
    super(auth);
  }

  /**
   * With no MicrosoftAppId: anonymous (local use, Emulator). With one: a valid Bot Framework JWT for
   * this app id, or it throws.
   */
  authenticate(activity: Activity, authHeader: string): Promise<AuthenticateResult> {
    return this.auth.authenticateRequest(activity, authHeader);
  }

  /** Runs one turn; for deliveryMode expectReplies the replies come back in the result's body. */
  runTurn(auth: AuthenticateResult, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(auth, activity, logic);
  }
}

export interface AdapterDeps {
  config: Config;
  i18n: I18n;
  logger: Logger;
  recognizer: Recognizer;
  conversationState: BotState;
}

/** The adapter from the config's MicrosoftApp* keys, with the turn error handler. */
export function createBotAdapter(deps: AdapterDeps, overrides: BotAuthOverrides = {}): BotAdapter {
  const { config } = deps;
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: config.MicrosoftAppId,
    MicrosoftAppPassword: config.MicrosoftAppPassword,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId,
    MicrosoftAppType: config.MicrosoftAppType || 'MultiTenant',
    ...overrides,
  });
  const adapter = new BotAdapter(auth);
  adapter.onTurnError = async (context, error) => onTurnError(deps, context, error);
  return adapter;
}

/**
 * Nothing crashes a turn: the error is logged (redacted, without the message text), the
 * conversation's dialog state is dropped so the next message starts cleanly, and the person gets an
 * apology in their language.
 */
async function onTurnError(deps: AdapterDeps, context: TurnContext, error: Error): Promise<void> {
  const { activity } = context;
  deps.logger.error('bot turn failed', { channel: activity.channelId, type: activity.type, err: error });
  try {
    await deps.conversationState.delete(context);
  } catch (err) {
    deps.logger.warn('could not reset the conversation state', { err });
  }
  if (activity.type !== ActivityTypes.Message) return;
  const text = typeof activity.text === 'string' ? activity.text : '';
  const lang: Language =
    (context.turnState.get(TURN_LANGUAGE) as Language | undefined) ?? localeLanguage(activity.locale) ?? (text ? deps.recognizer.detectLanguage(text).language : 'en');
  await context.sendActivity(deps.i18n.t(lang, 'bot:error.turn'));
}
