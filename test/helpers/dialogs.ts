import { Activity, AutoSaveStateMiddleware } from 'botbuilder';
import type { Dialog } from 'botbuilder-dialogs';
import { DialogTestClient } from 'botbuilder-testing';
import { createI18n } from '../../lib/i18n';
import { createLogger } from '../../lib/logger';
import { Language } from '../../knowledge/schema';
import { InputMiddleware } from '../../bot/middleware/input-middleware';
import { LanguageMiddleware } from '../../bot/middleware/language-middleware';
import { SqlStorage } from '../../bot/state/sql-storage';
import { testDatabase } from './databases';
import { CommandMatcher } from '../../dialogs/commands';
import { DialogDeps } from '../../dialogs/context';
import { createBotState } from '../../bot/create-bot';
import { shippedKnowledge } from './knowledge';

const i18n = createI18n();

/** Real dependencies for dialogs: the shipped knowledge, and state in a fresh in-memory SQLite database. */
export async function dialogHarness() {
  const { recognizer, answering } = await shippedKnowledge();
  const storage = new SqlStorage((await testDatabase('sqlite')).database, { ttlMs: 86_400_000 });
  const { conversationState, userState, accessors } = createBotState(storage);
  const deps: DialogDeps = {
    i18n,
    logger: createLogger('silent'),
    ...answering,
    accessors,
    commands: new CommandMatcher(i18n),
  };
  const middlewares = [
    new AutoSaveStateMiddleware(userState),
    new InputMiddleware(),
    new LanguageMiddleware(recognizer, accessors),
  ];
  return { deps, storage, conversationState, userState, middlewares };
}

/** What a reply shows a person: its text, the card's content and the suggested actions' titles. */
export function shown(reply: Partial<Activity>): string {
  const parts = [reply.text ?? ''];
  for (const a of reply.attachments ?? []) parts.push(JSON.stringify(a.content));
  for (const action of reply.suggestedActions?.actions ?? []) parts.push(`[${action.title}]`);
  return parts.join('\n');
}

/** A person's turn: what they type, a button value (`{ value }`), or an event from the page (`{ event, value }`). */
export type Says =
  string | { value: Record<string, unknown>; text?: string } | { event: string; value?: unknown };
/** One expected reply per entry: a string it contains, or a pattern it matches. */
export type Row = [Says, Array<string | RegExp>];

/**
 * Plays a transcript against a dialog: each row is what the person says and what the bot replies,
 * one expectation per reply, in order. The locale is the language's, as a channel would send it.
 */
export async function playTranscript(
  makeDialog: (deps: DialogDeps) => Dialog,
  options: unknown,
  lang: Language,
  rows: Row[],
  channelId = 'test',
): Promise<DialogTestClient> {
  const h = await dialogHarness();
  const client = new DialogTestClient(
    channelId,
    makeDialog(h.deps),
    options,
    h.middlewares,
    h.conversationState,
  );
  for (const [says, expected] of rows) {
    const activity: Partial<Activity> =
      typeof says === 'string'
        ? { type: 'message', text: says, locale: `${lang}-CA` }
        : 'event' in says
          ? { type: 'event', name: says.event, value: says.value, locale: `${lang}-CA` }
          : { type: 'message', text: says.text, value: says.value, locale: `${lang}-CA` };
    const replies: Partial<Activity>[] = [];
    for (let r = await client.sendActivity(activity); r; r = client.getNextReply()) replies.push(r);
    const label =
      typeof says === 'string'
        ? says
        : 'event' in says
          ? `${says.event} ${JSON.stringify(says.value)}`
          : JSON.stringify(says.value);
    expect({ says: label, replies: replies.length }).toEqual({
      says: label,
      replies: expected.length,
    });
    expected.forEach((e, i) => {
      const text = shown(replies[i]);
      if (typeof e === 'string')
        expect({ says: label, reply: i, contains: e, text }).toEqual({
          says: label,
          reply: i,
          contains: e,
          text: expect.stringContaining(e),
        });
      else
        expect({ says: label, reply: i, text }).toEqual({
          says: label,
          reply: i,
          text: expect.stringMatching(e),
        });
    });
  }
  return client;
}
