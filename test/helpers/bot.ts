import type { Activity } from 'botbuilder';
import { shown } from './dialogs';
import { getJson } from './app';

/** A message as a channel sends it, asking for the replies in the response body. */
export function message(conversation: string, text: string | undefined, extra: Record<string, unknown> = {}): Record<string, unknown> {
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
export async function send(baseUrl: string, activity: unknown, headers: Record<string, string> = {}): Promise<Turn> {
  const { status, body } = await getJson(`${baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof activity === 'string' ? activity : JSON.stringify(activity),
  });
  const replies: Partial<Activity>[] = body && Array.isArray(body.activities) ? body.activities : [];
  return { status, body, replies, text: replies.map(shown).join('\n---\n') };
}

/** The number the "did you mean…" list gives a service, read from the reply (the order follows the scores). */
export function optionNumber(text: string, name: string): string {
  const line = text.split('\n').find((l) => new RegExp(`^\\d+\\. ${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`).test(l));
  if (!line) throw new Error(`"${name}" is not among the options offered:\n${text}`);
  return line.split('.')[0];
}
