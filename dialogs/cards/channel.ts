import type { Activity } from 'botbuilder';

/** Channels that show text only: an Adaptive Card would arrive empty or not at all. */
const TEXT_ONLY_CHANNELS = new Set(['sms', 'email', 'telephony', 'twilio-sms']);

/**
 * Whether the channel the activity came from can show Adaptive Cards. A client can also say it
 * cannot, with `channelData.attachmentsUnsupported` (or `textOnly`) set to true.
 */
export function supportsCards(activity: Partial<Activity>): boolean {
  if (activity.channelId && TEXT_ONLY_CHANNELS.has(activity.channelId)) return false;
  const data = activity.channelData as
    { attachmentsUnsupported?: unknown; textOnly?: unknown } | undefined;
  return !(data && (data.attachmentsUnsupported === true || data.textOnly === true));
}

/** The schema every card declares: Adaptive Cards 1.5 (Teams, Web Chat, Emulator). */
export const ADAPTIVE_CARD_VERSION = '1.5';

export type Say = (key: string, params?: Record<string, unknown>) => string;

export interface AdaptiveElement {
  type: string;
  [key: string]: unknown;
}

/** An Adaptive Card 1.5 document. */
export function adaptiveCard(
  lang: string,
  body: AdaptiveElement[],
  actions: AdaptiveElement[],
): Record<string, unknown> {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: ADAPTIVE_CARD_VERSION,
    lang,
    body,
    ...(actions.length ? { actions } : {}),
  };
}

export const textBlock = (text: string, extra: Record<string, unknown> = {}): AdaptiveElement => ({
  type: 'TextBlock',
  text,
  wrap: true,
  ...extra,
});

export const openUrl = (title: string, url: string): AdaptiveElement => ({
  type: 'Action.OpenUrl',
  title,
  url,
});

/** A button that sends `data` back as the message value (`{ action, … }`). */
export const submit = (title: string, data: Record<string, unknown>): AdaptiveElement => ({
  type: 'Action.Submit',
  title,
  data,
});
