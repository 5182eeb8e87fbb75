import type { Activity } from 'botbuilder';
import { shown } from './dialogs';
import { getJson } from './app';

/** A message as a channel sends it, asking for the replies in the response body. */
export function message(
  conversation: string,
  text: string | undefined,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    type: 'message',
    id: `m-${Math.random().toString(36).slice(2)}`,
    text,
    channelId: 'webchat',
    serviceUrl: 'https://webchat.botframework.com/',
    conversation: { id: conversation },
    from: { id: `user-${conversation}`, name: 'Test user' },
    recipient: { id: 'assistant-bot', name: 'Assistant' },
    deliveryMode: 'expectReplies',
    ...extra,
  };
}

export interface Turn {
  status: number;
  // The response is JSON of any shape (an error, the replies, nothing): tests read what they expect.
  body: any;
  replies: Partial<Activity>[];
  /** Everything the replies show a person, in order. */
  text: string;
}

/** POSTs one activity to /api/messages. */
export async function send(
  baseUrl: string,
  activity: unknown,
  headers: Record<string, string> = {},
): Promise<Turn> {
  const { status, body } = await getJson(`${baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof activity === 'string' ? activity : JSON.stringify(activity),
  });
  const replies: Partial<Activity>[] =
    body && Array.isArray(body.activities) ? body.activities : [];
  return { status, body, replies, text: replies.map(shown).join('\n---\n') };
}

/**
 * Choices offered for an ambiguous word: "did you mean…" between close answers, or "not sure" with who
 * to call and the same choices (which one follows the trained model's scores).
 */
export const OFFERS_CHOICES =
  /(A few services could match|I'm not sure which service you mean\.[\s\S]*Is it one of these\?)/;

/**
 * The second option of a "did you mean…" list, read from the reply: its number and its name. Which
 * services are offered follows the trained model's scores, so tests pick by position and check the
 * answer names what was offered.
 */
export function secondOption(text: string): { number: string; name: string; startsAnswer: RegExp } {
  const line = text.split('\n').find((l) => /^2\. /.test(l));
  if (!line) throw new Error(`no second option among those offered:\n${text}`);
  const name = line.slice(3);
  return {
    number: '2',
    name,
    startsAnswer: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `),
  };
}
