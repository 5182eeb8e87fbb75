import crypto from 'node:crypto';
import type { Request, Server } from 'restify';
import { AppError, badRequest, notFound } from '../../lib/errors';
import { I18n } from '../../lib/i18n';
import { Logger } from '../../lib/logger';
import { redact } from '../../lib/redact';
import { headerOnce, queryString, route } from '../http';
import { checkConversationLimit, ConversationLimit } from '../routes/messages';
import { ConversationStore, DlActivity } from './store';
import { ConversationTokens } from './tokens';

/** Runs one bot turn for an activity and returns the bot's replies (expectReplies). */
export type TurnRunner = (activity: DlActivity) => Promise<DlActivity[]>;

export interface DirectLineDeps {
  i18n: I18n;
  logger: Logger;
  store: ConversationStore;
  tokens: ConversationTokens;
  runTurn: TurnRunner;
  /** Bot's id and name as the channel shows them. */
  bot: { id: string; name: string };
  /** Largest message a person may type, in characters (longer text is cut). */
  maxTextLength: number;
  conversationLimit: ConversationLimit;
}

export const DIRECT_LINE_BASE = '/v3/directline';

/** The token of the Authorization header (given once: two tokens are a 400, not the first one). */
function bearer(req: Request): string {
  const m = /^Bearer\s+(\S+)$/i.exec(headerOnce(req, 'Authorization') ?? '');
  return m ? m[1] : '';
}

/**
 * A Direct Line 3.0-compatible channel served by the project itself (REST with polling), so the
 * citizens' page runs Microsoft's Web Chat with no cloud service: conversations, tokens, posting
 * activities and reading them from a watermark. Pointing Web Chat at Azure Bot Service's Direct
 * Line instead only changes the token and domain given to createDirectLine (see README).
 *
 * What a person typed is kept only redacted (the echo shown back in the chat too), and only for
 * the conversation's lifetime.
 */
export function registerDirectLineRoutes(server: Server, deps: DirectLineDeps): void {
  const conversationOf = (req: Request): string => {
    const id = deps.tokens.verify(bearer(req));
    if (!id) throw new AppError(401, 'unauthorized', 'chatTokenInvalid');
    const wanted = String(req.params.conversationId ?? id);
    if (wanted !== id) throw new AppError(403, 'forbidden', 'chatTokenWrongConversation');
    return id;
  };

  /** The token's conversation, greeted (a conversationUpdate, as Azure's Direct Line sends) if nothing was said yet. */
  const startedConversation = async (req: Request): Promise<string> => {
    const conversationId = conversationOf(req);
    if (!(await deps.store.exists(conversationId)))
      throw notFound('unknown_conversation', 'chatConversationUnknown');
    const { watermark } = await deps.store.since(conversationId, 0);
    if (watermark === 0) {
      const update: DlActivity = {
        type: 'conversationUpdate',
        membersAdded: [
          { id: deps.bot.id, name: deps.bot.name },
          { id: `user-${conversationId}`, role: 'user' },
        ],
      };
      const greeting = await deps.runTurn(envelope(update, conversationId, deps.bot));
      await deps.store.append(
        conversationId,
        greeting.map((r) => asReply(r, conversationId, deps.bot)),
      );
    }
    return conversationId;
  };

  // The page asks for a token (Azure's equivalent needs the bot's secret, kept server-side).
  server.post(
    `${DIRECT_LINE_BASE}/tokens/generate`,
    route(deps, async (_req, res) => {
      const conversationId = crypto.randomBytes(18).toString('base64url');
      await deps.store.create(conversationId);
      const { token, expiresIn } = deps.tokens.issue(conversationId);
      res.send(200, { conversationId, token, expires_in: expiresIn });
    }),
  );

  server.post(
    `${DIRECT_LINE_BASE}/tokens/refresh`,
    route(deps, async (req, res) => {
      const conversationId = conversationOf(req);
      const { token, expiresIn } = deps.tokens.issue(conversationId);
      res.send(200, { conversationId, token, expires_in: expiresIn });
    }),
  );

  // Starting the conversation greets the person.
  server.post(
    `${DIRECT_LINE_BASE}/conversations`,
    route(deps, async (req, res) => {
      const conversationId = await startedConversation(req);
      const { token, expiresIn } = deps.tokens.issue(conversationId);
      res.send(201, { conversationId, token, expires_in: expiresIn, streamUrl: null });
    }),
  );

  // Reconnecting to a conversation (what Direct Line clients do when given its id; it is started if
  // it was not): the citizens' page starts the conversation while Web Chat's bundle is still loading.
  server.get(
    `${DIRECT_LINE_BASE}/conversations/:conversationId`,
    route(deps, async (req, res) => {
      const conversationId = await startedConversation(req);
      const { token, expiresIn } = deps.tokens.issue(conversationId);
      res.send(200, { conversationId, token, expires_in: expiresIn, streamUrl: null });
    }),
  );

  server.post(
    `${DIRECT_LINE_BASE}/conversations/:conversationId/activities`,
    route(deps, async (req, res) => {
      const conversationId = conversationOf(req);
      if (!(await deps.store.exists(conversationId)))
        throw notFound('unknown_conversation', 'chatConversationUnknown');
      await checkConversationLimit(deps.conversationLimit, conversationId);
      const incoming = req.body as Record<string, unknown> | undefined;
      if (
        !incoming ||
        typeof incoming !== 'object' ||
        Array.isArray(incoming) ||
        typeof incoming.type !== 'string'
      ) {
        throw badRequest('bad_activity', 'badActivity', {
          detail: 'the body must be an activity with a type',
        });
      }
      const activity = envelope(sanitize(incoming, deps.maxTextLength), conversationId, deps.bot);
      // The echo the page shows back, and what the conversation keeps, are redacted.
      const echo = {
        ...activity,
        text: typeof activity.text === 'string' ? redact(activity.text) : activity.text,
      };
      const [id] = await deps.store.append(conversationId, [echo]);
      const replies = await deps.runTurn({ ...activity, id });
      await deps.store.append(
        conversationId,
        replies.map((r) => asReply(r, conversationId, deps.bot)),
      );
      res.send(200, { id });
    }),
  );

  server.get(
    `${DIRECT_LINE_BASE}/conversations/:conversationId/activities`,
    route(deps, async (req, res) => {
      const conversationId = conversationOf(req);
      // Given once, as every query parameter (a repeated one is a 400, not read as 0).
      const raw = queryString(req, 'watermark') ?? '0';
      const watermark = /^\d{1,9}$/.test(raw) ? Number(raw) : 0;
      const page = await deps.store.since(conversationId, watermark);
      res.send(200, { activities: page.activities, watermark: String(page.watermark) });
    }),
  );
}

/** Only the fields a web chat user may set; the channel sets who, where and when. */
function sanitize(a: Record<string, unknown>, maxText: number): DlActivity {
  const out: DlActivity = { type: String(a.type).slice(0, 40) };
  if (typeof a.text === 'string') out.text = a.text.slice(0, maxText);
  if (typeof a.locale === 'string' && /^[a-zA-Z]{2}(-[a-zA-Z]{2})?$/.test(a.locale))
    out.locale = a.locale;
  if (typeof a.name === 'string') out.name = a.name.slice(0, 80);
  if (a.value !== undefined && JSON.stringify(a.value).length <= 2000) out.value = a.value;
  if (a.channelData && typeof a.channelData === 'object') {
    const cd = a.channelData as Record<string, unknown>;
    if (typeof cd.clientActivityID === 'string')
      out.channelData = { clientActivityID: cd.clientActivityID.slice(0, 80) };
  }
  const from = a.from as Record<string, unknown> | undefined;
  out.from = { id: typeof from?.id === 'string' ? from.id.slice(0, 80) : 'user', role: 'user' };
  return out;
}

/** A bot reply as the page reads it: from the bot, in this conversation, time-stamped. */
function asReply(
  r: DlActivity,
  conversationId: string,
  bot: { id: string; name: string },
): DlActivity {
  return {
    ...r,
    from: { id: bot.id, name: bot.name, role: 'bot' },
    conversation: { id: conversationId },
    timestamp: new Date().toISOString(),
  };
}

function envelope(
  a: DlActivity,
  conversationId: string,
  bot: { id: string; name: string },
): DlActivity {
  return {
    ...a,
    channelId: 'directline',
    conversation: { id: conversationId },
    recipient: { id: bot.id, name: bot.name, role: 'bot' },
    from: (a.from as object | undefined) ?? { id: `user-${conversationId}`, role: 'user' },
    timestamp: new Date().toISOString(),
    serviceUrl: 'https://directline.invalid/',
  };
}
