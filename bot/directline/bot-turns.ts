import type { Activity } from 'botbuilder';
import type { BotAdapter } from '../adapter';
import type { AssistantBot } from '../assistant-bot';
import type { DlActivity } from './store';
import type { TurnRunner } from './routes';

/** Runs a Direct Line activity through the bot in this process, replies collected (expectReplies). */
export function botTurnRunner(adapter: BotAdapter, bot: AssistantBot): TurnRunner {
  return async (activity: DlActivity) => {
    const response = await adapter.runTurn(
      adapter.authenticateInternal(),
      { ...activity, deliveryMode: 'expectReplies' } as unknown as Activity,
      (context) => bot.run(context),
    );
    const body = response?.body as { activities?: DlActivity[] } | undefined;
    return body?.activities ?? [];
  };
}
