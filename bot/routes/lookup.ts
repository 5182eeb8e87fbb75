import type { Server } from 'restify';
import { badRequest, notFound } from '../../lib/errors';
import { I18n } from '../../lib/i18n';
import { Logger } from '../../lib/logger';
import { Metrics } from '../../lib/metrics';
import { lookup, LookupDeps as AnswerDeps } from '../../knowledge/lookup';
import { UsageStore } from '../../knowledge/usage/usage-store';
import { Language, LANGUAGES } from '../../knowledge/schema';
import { queryString, route } from '../http';

export const MAX_QUESTION_LENGTH = 500;

export const MAX_NEAR_LENGTH = 100;

export interface LookupDeps extends AnswerDeps {
  i18n: I18n;
  logger: Logger;
  metrics: Metrics;
  usage: UsageStore;
}

/** `lang` when given must be en or fr. */
export function parseLang(value: string | undefined): Language | undefined {
  if (value === undefined) return undefined;
  if (!(LANGUAGES as readonly string[]).includes(value))
    throw badRequest('bad_lang', 'badLanguage', { lang: value.slice(0, 20) });
  return value as Language;
}

export function registerLookupRoutes(server: Server, deps: LookupDeps): void {
  server.get(
    '/api/lookup',
    route(deps, async (req, res) => {
      const lang = parseLang(queryString(req, 'lang'));
      const q = queryString(req, 'q');
      if (q === undefined) throw badRequest('missing_q', 'missingQuery');
      if (q.trim() === '') throw badRequest('empty_q', 'emptyQuery');
      if (q.length > MAX_QUESTION_LENGTH)
        throw badRequest('q_too_long', 'queryTooLong', {
          max: MAX_QUESTION_LENGTH,
          length: q.length,
        });
      const near = queryString(req, 'near');
      if (near !== undefined && (near.trim() === '' || near.length > MAX_NEAR_LENGTH))
        throw badRequest('bad_near', 'badNear', { max: MAX_NEAR_LENGTH });
      const answer = await lookup(deps, q, { lang, near });
      const outcome = answer.outOfScope
        ? 'out_of_scope'
        : answer.results.length > 0
          ? 'answered'
          : 'fallback';
      const top = answer.results[0];
      deps.metrics.answers.inc({ channel: 'api', outcome, language: answer.language });
      deps.usage.recordAnswer({
        channel: 'api',
        language: answer.language,
        outcome,
        recordId: top?.id,
        jurisdiction: top?.jurisdiction,
        referral: top?.url ? 'online' : '',
        question: q,
      });
      res.send(200, answer);
    }),
  );

  server.get(
    '/api/services/:id',
    route(deps, (req, res) => {
      const lang = parseLang(queryString(req, 'lang'));
      const id = String(req.params.id ?? '');
      const record = deps.repo.get(id);
      if (!record) throw notFound('unknown_service', 'unknownService', { id: id.slice(0, 80) });
      res.send(200, lang ? { ...record, language: lang } : record);
    }),
  );
}
