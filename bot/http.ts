import type { Request, Response } from 'restify';
import { isDatabaseUnavailable } from '../lib/database';
import { AppError } from '../lib/errors';
import { I18n } from '../lib/i18n';
import { Logger } from '../lib/logger';
import { Language, LANGUAGES } from '../knowledge/schema';

/** The language to answer in: an explicit `lang` query value when valid, else Accept-Language, else English. */
export function requestLanguage(req: Request): Language {
  const q = (req.query as Record<string, unknown> | undefined)?.lang;
  if (typeof q === 'string' && (LANGUAGES as readonly string[]).includes(q)) return q as Language;
  const accept = String(req.headers['accept-language'] ?? '').toLowerCase();
  const fr = accept.indexOf('fr');
  const en = accept.indexOf('en');
  return fr >= 0 && (en < 0 || fr < en) ? 'fr' : 'en';
}

export interface ErrorBody {
  error: { code: string; message: string; [extra: string]: unknown };
}

/** Sends `{ error: { code, message } }` in the request language. */
export function sendError(res: Response, i18n: I18n, lang: Language, err: AppError): void {
  const body: ErrorBody = {
    error: {
      ...err.details,
      code: err.code,
      message: i18n.t(lang, `errors:${err.messageKey}`, err.params),
    },
  };
  for (const [name, value] of Object.entries(err.headers))
    if (!res.headersSent) res.setHeader(name, value);
  if (!res.headersSent) res.send(err.status, body);
}

const DATABASE_UNAVAILABLE = new AppError(
  503,
  'database_unavailable',
  'databaseUnavailable',
  {},
  {},
  { 'Retry-After': '5' },
);

export type Handler = (req: Request, res: Response) => Promise<void> | void;

/**
 * Wraps a route so that an AppError becomes its JSON answer and anything else a logged 500 with a
 * generic message (never a stack trace in the response).
 */
export function route(deps: { i18n: I18n; logger: Logger }, handler: Handler) {
  return async (req: Request, res: Response): Promise<void> => {
    try {
      await handler(req, res);
    } catch (err) {
      const lang = requestLanguage(req);
      if (err instanceof AppError) return sendError(res, deps.i18n, lang, err);
      if (isDatabaseUnavailable(err)) {
        // Nothing was written: the client retries; the pool reconnects when the database is back.
        deps.logger.warn('database unavailable', {
          route: req.getRoute()?.path,
          err: (err as Error).message,
        });
        return sendError(res, deps.i18n, lang, DATABASE_UNAVAILABLE);
      }
      deps.logger.error('request failed', { route: req.getRoute()?.path, err });
      sendError(res, deps.i18n, lang, new AppError(500, 'internal', 'internal'));
    }
  };
}

/** A parameter or header given more than once: a client error, whichever copy the server would read. */
function givenTwice(name: string): AppError {
  return new AppError(400, 'bad_parameter', 'badRequest', { detail: `${name} must be given once` });
}

/** A query parameter as a single string (repeated parameters are a client error, not an array). */
export function queryString(req: Request, name: string): string | undefined {
  const v = (req.query as Record<string, unknown> | undefined)?.[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw givenTwice(name);
  return v;
}

/**
 * A header given once, as a string. Given twice, a client error: Node keeps only the first copy of
 * some headers (Authorization among them), so two tokens would otherwise pass as the first one.
 */
export function headerOnce(req: Request, name: string): string | undefined {
  const lower = name.toLowerCase();
  let copies = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2)
    if (req.rawHeaders[i].toLowerCase() === lower) copies++;
  if (copies > 1) throw givenTwice(name);
  const v = req.headers[lower];
  return typeof v === 'string' ? v : undefined;
}
