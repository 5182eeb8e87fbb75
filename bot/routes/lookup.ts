import type { Server } from 'restify';
import { notFound } from '../../lib/errors';
import { I18n } from '../../lib/i18n';
import { Logger } from '../../lib/logger';
import { Metrics } from '../../lib/metrics';
import { check, errorTable, parseOrThrow, problem } from '../../lib/validation';
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

const lookupError = errorTable({
  bad_lang: 'badLanguage',
  missing_q: 'missingQuery',
  empty_q: 'emptyQuery',
  q_too_long: 'queryTooLong',
  bad_near: 'badNear',
});

const language = check<Language>((v, ctx) =>
  (LANGUAGES as readonly unknown[]).includes(v)
    ? (v as Language)
    : problem(ctx, 'bad_lang', { lang: String(v).slice(0, 20) }),
);

const question = check<string>((q, ctx) => {
  if (typeof q !== 'string') return problem(ctx, 'missing_q');
  if (q.trim() === '') return problem(ctx, 'empty_q');
  if (q.length > MAX_QUESTION_LENGTH)
    return problem(ctx, 'q_too_long', { max: MAX_QUESTION_LENGTH, length: q.length });
  return q;
});

/** A place to rank offices from, when given. */
const near = check<string | undefined>((v, ctx) =>
  v === undefined || (typeof v === 'string' && v.trim() !== '' && v.length <= MAX_NEAR_LENGTH)
    ? v
    : problem(ctx, 'bad_near', { max: MAX_NEAR_LENGTH }),
);

/** `lang` when given must be en or fr. */
export function parseLang(value: string | undefined): Language | undefined {
  return value === undefined ? undefined : parseOrThrow(language, value, lookupError);
}

export function registerLookupRoutes(server: Server, deps: LookupDeps): void {
  server.get(
    '/api/lookup',
    route(deps, async (req, res) => {
      const lang = parseLang(queryString(req, 'lang'));
      const q = parseOrThrow(question, queryString(req, 'q'), lookupError);
      const place = parseOrThrow(near, queryString(req, 'near'), lookupError);
      const answer = await lookup(deps, q, { lang, near: place });
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
