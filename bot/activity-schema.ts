import { z } from 'zod';

const account = z
  .object({ id: z.string().min(1).max(256), name: z.string().max(256).optional() })
  .passthrough();

/** Activity types whose replies go back to the channel's serviceUrl unless they are expected in the response. */
const REPLYING_TYPES = new Set(['message', 'conversationUpdate', 'invoke', 'event']);

/**
 * What /api/messages accepts: a Bot Framework activity with what the bot needs to answer it
 * (type, channel, conversation, sender). Unknown fields pass through; unknown types are accepted
 * and ignored by the bot.
 */
export const activitySchema = z
  .object({
    type: z.string().min(1).max(64),
    id: z.string().max(256).optional(),
    channelId: z.string().min(1).max(64),
    serviceUrl: z.string().url().max(2048).optional(),
    conversation: z.object({ id: z.string().min(1).max(512) }).passthrough(),
    from: account,
    recipient: account.optional(),
    text: z.string().optional(),
    locale: z.string().max(35).optional(),
    deliveryMode: z.enum(['normal', 'notification', 'expectReplies', 'ephemeral']).optional(),
    value: z.unknown().optional(),
    attachments: z
      .array(z.object({ contentType: z.string() }).passthrough())
      .max(50)
      .optional(),
    entities: z
      .array(z.object({ type: z.string() }).passthrough())
      .max(50)
      .optional(),
    membersAdded: z.array(account).max(500).optional(),
    membersRemoved: z.array(account).max(500).optional(),
    channelData: z.record(z.unknown()).optional(),
  })
  .passthrough()
  .superRefine((a, ctx) => {
    if (a.deliveryMode !== 'expectReplies' && !a.serviceUrl && REPLYING_TYPES.has(a.type)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['serviceUrl'],
        message: 'required unless deliveryMode is "expectReplies"',
      });
    }
  });

/** The first problems of a rejected activity, each naming its field: `conversation.id: Required`. */
export function describeActivityError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${['activity', ...i.path].join('.')}: ${i.message}`)
    .join('; ');
}
