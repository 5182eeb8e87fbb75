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

export type AuthenticateResult = Awaited<
  ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>
>;
type ClaimsIdentity = AuthenticateResult['claimsIdentity'];
type ConnectorClient = Awaited<
  ReturnType<NonNullable<AuthenticateResult['connectorFactory']>['create']>
>;
type UserTokenClient = Awaited<
  ReturnType<ConfigurationBotFrameworkAuthentication['createUserTokenClient']>
>;

/** A small bounded cache of promises; a rejected one is dropped so the next call retries. */
class PromiseCache<T> {
  private readonly items = new Map<string, Promise<T>>();
  constructor(private readonly max: number) {}

  get(key: string, make: () => Promise<T>): Promise<T> {
    let item = this.items.get(key);
    if (!item) {
      if (this.items.size >= this.max) this.items.delete(this.items.keys().next().value as string);
      item = make();
      item.catch(() => this.items.delete(key));
      this.items.set(key, item);
    }
    return item;
  }
}

const appIdOf = (claims: ClaimsIdentity): string =>
  claims.getClaimValue('aud') ?? claims.getClaimValue('appid') ?? '';

/**
 * Connector and user-token clients hold no per-turn state: they are reused for a given app and
 * service URL (as the SDK's older BotFrameworkAdapter did) rather than building an HTTP pipeline
 * every turn.
 */
class ReusingBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly tokenClients = new PromiseCache<UserTokenClient>(100);

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.tokenClients.get(appIdOf(claimsIdentity), () =>
      super.createUserTokenClient(claimsIdentity),
    );
  }
}

/** Extra authentication settings (tests point the OpenID metadata at a local server). */
export type BotAuthOverrides = Partial<ConfigurationBotFrameworkAuthenticationOptions>;

/**
 * The Bot Framework CloudAdapter, with authentication and the turn as two calls, so the HTTP route
 * can answer a rejected request 401 and a malformed one 400 in its own JSON error format.
 */
export class BotAdapter extends CloudAdapter {
  private readonly connectors = new PromiseCache<ConnectorClient>(500);

  constructor(
    private readonly auth: ConfigurationBotFrameworkAuthentication,
    private readonly appId: string,
  ) {
    super(auth);
  }

  /**
   * Turns from the project's own Direct Line channel (the citizens' page) come from this process,
   * not over the network: they run as the bot itself, with no token to check.
   */
  authenticateInternal(): AuthenticateResult {
    const claimsIdentity = this.createClaimsIdentity(this.appId);
    return {
      audience: '',
      callerId: undefined,
      claimsIdentity,
      connectorFactory: this.auth.createConnectorFactory(claimsIdentity),
    };
  }

  /**
   * With no MicrosoftAppId: anonymous (local use, Emulator). With one: a valid Bot Framework JWT for
   * this app id, or it throws.
   */
  authenticate(activity: Activity, authHeader: string): Promise<AuthenticateResult> {
    return this.auth.authenticateRequest(activity, authHeader);
  }

  /** Runs one turn; for deliveryMode expectReplies the replies come back in the result's body. */
  runTurn(
    auth: AuthenticateResult,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    const factory = auth.connectorFactory;
    if (!factory) return this.processActivity(auth, activity, logic);
    const appId = appIdOf(auth.claimsIdentity);
    const connectorFactory = {
      create: (serviceUrl: string, audience?: string) =>
        this.connectors.get(`${appId} ${serviceUrl} ${audience ?? ''}`, () =>
          factory.create(serviceUrl, audience),
        ),
    };
    return this.processActivity({ ...auth, connectorFactory }, activity, logic);
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
  const auth = new ReusingBotFrameworkAuthentication({
    MicrosoftAppId: config.MicrosoftAppId,
    MicrosoftAppPassword: config.MicrosoftAppPassword,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId,
    MicrosoftAppType: config.MicrosoftAppType || 'MultiTenant',
    ...overrides,
  });
  const adapter = new BotAdapter(auth, config.MicrosoftAppId);
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
  deps.logger.error('bot turn failed', {
    channel: activity.channelId,
    type: activity.type,
    err: error,
  });
  try {
    await deps.conversationState.delete(context);
  } catch (err) {
    deps.logger.warn('could not reset the conversation state', { err });
  }
  if (activity.type !== ActivityTypes.Message) return;
  const text = typeof activity.text === 'string' ? activity.text : '';
  const lang: Language =
    (context.turnState.get(TURN_LANGUAGE) as Language | undefined) ??
    localeLanguage(activity.locale) ??
    (text ? deps.recognizer.detectLanguage(text).language : 'en');
  await context.sendActivity(deps.i18n.t(lang, 'bot:error.turn'));
}
