import type { Activity } from 'botbuilder';
import type { Server } from 'restify';
import { AppError, badRequest } from '../../lib/errors';
import { I18n } from '../../lib/i18n';
import { Logger } from '../../lib/logger';
import { activitySchema, describeActivityError } from '../activity-schema';
import { AuthenticateResult, BotAdapter } from '../adapter';
import { AssistantBot } from '../assistant-bot';
import { RateLimiter } from '../../lib/rate-limit';
import { route } from '../http';

export interface MessagesDeps {
  i18n: I18n;
  logger: Logger;
  adapter: BotAdapter;
  bot: AssistantBot;
  /** Turns one conversation may take per rate-limit window (0: no limit). */
  conversationLimit: ConversationLimit;
}

/** Per-conversation turn limit, shared by every instance (lib/rate-limit). */
export interface ConversationLimit {
  limiter: RateLimiter;
  perWindow: number;
}

/** 429 with Retry-After when a conversation sends more turns than its window allows. */
export async function checkConversationLimit(
  limit: ConversationLimit,
  conversationId: string,
): Promise<void> {
  if (limit.perWindow <= 0) return;
  const decision = await limit.limiter.hit(
    'conversation',
    conversationId.slice(0, 200),
    limit.perWindow,
  );
  if (!decision.allowed)
    throw new AppError(
      429,
      'rate_limited',
      'rateLimited',
      { seconds: decision.retryAfterSeconds },
      {},
      { 'Retry-After': String(decision.retryAfterSeconds) },
    );
}

/** Errors from delivering replies to a channel (HTTP client errors), as opposed to bugs. */
function isDeliveryError(err: unknown): boolean {
  const e = err as { name?: string; code?: string; statusCode?: number };
  return (
    e?.name === 'RestError' ||
    e?.name === 'FetchError' ||
    /^E[A-Z]+/.test(String(e?.code ?? '')) ||
    typeof e?.statusCode === 'number'
  );
}

/** The SDK's trace activities are for the Emulator's inspector; other channels get the replies only. */
function withoutTraces(body: unknown, channelId: string): unknown {
  const activities = (body as { activities?: Array<{ type?: string }> } | undefined)?.activities;
  if (channelId === 'emulator' || !Array.isArray(activities)) return body;
  return { ...(body as object), activities: activities.filter((a) => a.type !== 'trace') };
}

/**
 * POST /api/messages: the Bot Framework endpoint. A body that is not an activity is 400 (naming the
 * field), a bad or missing token when an app id is configured is 401, and with
 * `deliveryMode: "expectReplies"` the replies come back in the response body (`{ activities }`).
 */
export function registerMessagesRoute(server: Server, deps: MessagesDeps): void {
  server.post(
    '/api/messages',
    route(deps, async (req, res) => {
      const body: unknown = req.body;
      if (!body || typeof body !== 'object' || Array.isArray(body)) {
        throw badRequest('bad_activity', 'badActivity', {
          detail: 'the body must be a JSON object (an activity)',
        });
      }
      const parsed = activitySchema.safeParse(body);
      if (!parsed.success)
        throw badRequest('bad_activity', 'badActivity', {
          detail: describeActivityError(parsed.error),
        });
      const activity = parsed.data as unknown as Activity;
      await checkConversationLimit(deps.conversationLimit, activity.conversation.id);

      let auth: AuthenticateResult;
      try {
        auth = await deps.adapter.authenticate(activity, String(req.headers.authorization ?? ''));
      } catch (err) {
        const status = (err as { statusCode?: number }).statusCode;
        if (typeof status === 'number' && status >= 500) {
          deps.logger.warn('bot authentication unavailable', { err });
          throw new AppError(503, 'bot_auth_unavailable', 'botAuthUnavailable');
        }
        deps.logger.info('bot request rejected', {
          channel: activity.channelId,
          reason: (err as Error).message,
        });
        throw new AppError(401, 'unauthorized', 'botUnauthorized');
      }

      let response;
      try {
        response = await deps.adapter.runTurn(auth, activity, (context) => deps.bot.run(context));
      } catch (err) {
        if (!isDeliveryError(err)) throw err;
        deps.logger.warn('bot replies not delivered', { channel: activity.channelId, err });
        throw new AppError(502, 'channel_unreachable', 'channelUnreachable');
      }
      if (!response) return void res.send(200);
      res.send(response.status, withoutTraces(response.body, activity.channelId) ?? {});
    }),
  );
}
