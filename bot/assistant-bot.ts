import {
  ActivityHandler,
  BotState,
  ChannelAccount,
  InvokeResponse,
  NullTelemetryClient,
  StatusCodes,
  TurnContext,
} from 'botbuilder';
import { DialogSet, DialogTurnStatus } from 'botbuilder-dialogs';
import { I18n } from '../lib/i18n';
import { Language, LANGUAGES } from '../knowledge/schema';
import {
  setPreferredLanguage,
  StateAccessors,
  translator,
  turnInput,
  turnLanguage,
} from '../dialogs/context';
import { LOCATION_EVENT, MAIN_DIALOG, MainDialog } from '../dialogs/main-dialog';
import { localeLanguage } from './middleware/language-middleware';

/** The event the web chat page sends with 'en' or 'fr' when the person toggles the page's language. */
export const SET_LANGUAGE_EVENT = 'setLanguage';

export interface AssistantBotDeps {
  i18n: I18n;
  conversationState: BotState;
  userState: BotState;
  accessors: StateAccessors;
  mainDialog: MainDialog;
}

/**
 * The activity handler: greets a new conversation in both languages, hands messages to the main
 * dialog, and saves state at the end of every turn. Two events from the web chat page are handled:
 * `location` (`{ lat, lon }`, the "share my location" button) goes to the main dialog, which looks
 * for offices near it; `setLanguage` ('en' | 'fr', the page's language toggle) sets the person's
 * explicit language preference as saying "English" / "français" does, without a reply (the page
 * has already switched; the next answer comes in that language). Other activity types (typing,
 * other events, reactions, unknown types) are acknowledged without a reply.
 */
export class AssistantBot extends ActivityHandler {
  private readonly dialogs: DialogSet;

  constructor(private readonly deps: AssistantBotDeps) {
    super();
    this.dialogs = new DialogSet(deps.accessors.dialogState);
    // Without a telemetry client, a conversation started before the dialogs changed (a new release)
    // fails on the SDK's version-change trace instead of carrying on.
    this.dialogs.telemetryClient = new NullTelemetryClient();
    this.dialogs.add(deps.mainDialog);
    this.onMembersAdded(async (context, next) => {
      await this.greet(context, context.activity.membersAdded ?? []);
      await next();
    });
    this.onMessage(async (context, next) => {
      await this.answer(context);
      await next();
    });
    this.onEvent(async (context, next) => {
      const { name, value } = context.activity;
      if (name === LOCATION_EVENT) await this.answer(context);
      else if (name === SET_LANGUAGE_EVENT && (LANGUAGES as readonly unknown[]).includes(value)) {
        await setPreferredLanguage(this.deps.accessors, context, value as Language);
      }
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.deps.conversationState.saveChanges(context);
    await this.deps.userState.saveChanges(context);
  }

  /** Invokes the bot does not implement get an empty 200 rather than 501. */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    const response = await super.onInvokeActivity(context);
    return response.status === StatusCodes.NOT_IMPLEMENTED ? { status: StatusCodes.OK } : response;
  }

  /**
   * The greeting, in both languages (the locale's first), with the notice that this is an automated
   * assistant and personal numbers should not be shared. Once per conversation: when a person joins,
   * or, in Teams, when the bot is installed in a personal chat.
   */
  private async greet(context: TurnContext, members: ChannelAccount[]): Promise<void> {
    const bot = context.activity.recipient?.id;
    const someoneJoined = members.some((m) => m.id !== bot);
    const installedInTeams =
      context.activity.channelId === 'msteams' && members.some((m) => m.id === bot);
    if (!someoneJoined && !installedInTeams) return;
    const conversation = await this.deps.accessors.conversation.get(context, {});
    if (conversation.greeted) return;
    conversation.greeted = true;
    const first: Language = localeLanguage(context.activity.locale) ?? turnLanguage(context);
    const order = [first, ...LANGUAGES.filter((l) => l !== first)];
    const t = (lang: Language, key: string) => this.deps.i18n.t(lang, `bot:${key}`);
    await context.sendActivity(
      order.map((l) => `${t(l, 'greeting')} ${t(l, 'notice')}`).join('\n\n'),
    );
  }

  private async answer(context: TurnContext): Promise<void> {
    const conversation = await this.deps.accessors.conversation.get(context, {});
    const t = translator(this.deps, context);
    const notes: string[] = [];
    if (!conversation.greeted) {
      conversation.greeted = true;
      notes.push(t('notice'));
    }
    const input = turnInput(context);
    if (input.truncatedTo) notes.push(t('input.truncated', { max: input.truncatedTo }));
    if (input.otherLanguage && !conversation.languageHintShown) {
      conversation.languageHintShown = true;
      notes.push(this.deps.i18n.t(input.otherLanguage, 'bot:language.hint'));
    }
    if (notes.length) await context.sendActivity(notes.join('\n\n'));

    const dc = await this.dialogs.createContext(context);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(MAIN_DIALOG);
  }
}
