import restify, { Request, Server } from 'restify';
import { AppError } from '../lib/errors';
import { I18n } from '../lib/i18n';
import { Logger } from '../lib/logger';
import { Metrics } from '../lib/metrics';
import { RateLimiter } from '../lib/rate-limit';
import { requestLanguage, sendError } from './http';

/** restify's own errors (unknown route, bad body…), by status, mapped to our codes and messages. */
const RESTIFY_ERRORS: Record<number, { code: string; key: string }> = {
  404: { code: 'not_found', key: 'notFound' },
  405: { code: 'method_not_allowed', key: 'methodNotAllowed' },
  413: { code: 'payload_too_large', key: 'payloadTooLarge' },
  415: { code: 'unsupported_media_type', key: 'unsupportedMediaType' },
};

export interface ServerDeps {
  i18n: I18n;
  logger: Logger;
  metrics: Metrics;
  rateLimiter: RateLimiter;
  limits: {
    /** Largest accepted request body, in bytes. */
    maxBodyBytes: number;
    perClient: number;
    trustProxy: boolean;
    requestTimeoutMs: number;
  };
}

/** The client address: the socket's, or the first X-Forwarded-For hop when a trusted proxy sets it. */
export function clientAddress(req: Request, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = String(req.headers['x-forwarded-for'] ?? '')
      .split(',')[0]
      .trim();
    if (forwarded) return forwarded.slice(0, 64);
  }
  return req.socket?.remoteAddress ?? 'unknown';
}

/**
 * The HTTP server with the cross-cutting parts every route shares: query and body parsing, JSON
 * errors in the request language for everything restify rejects itself, and a request log line
 * (path only: query strings can hold what a person typed).
 */
export function createServer(deps: ServerDeps): Server {
  const server = restify.createServer({
    name: 'ontario-services-assistant',
    handleUncaughtExceptions: false,
  });
  server.server.requestTimeout = deps.limits.requestTimeoutMs;
  server.server.headersTimeout = Math.min(deps.limits.requestTimeoutMs, 60_000);
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(
    restify.plugins.bodyParser({
      mapParams: false,
      maxBodySize: deps.limits.maxBodyBytes,
      rejectUnknown: false,
    }),
  );
  if (deps.limits.perClient > 0) {
    // Callback style: an async handler cannot stop the chain after answering 429.
    server.use((req, res, next) => {
      if (!req.path().startsWith('/api/')) return next();
      deps.rateLimiter
        .hit('client', clientAddress(req, deps.limits.trustProxy), deps.limits.perClient)
        .then((decision) => {
          if (decision.allowed) return next();
          res.setHeader('Retry-After', String(decision.retryAfterSeconds));
          sendError(
            res,
            deps.i18n,
            requestLanguage(req),
            new AppError(429, 'rate_limited', 'rateLimited', {
              seconds: decision.retryAfterSeconds,
            }),
          );
          return next(false);
        }, next);
    });
  }

  server.on('restifyError', (req, res, err, callback) => {
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
    const known =
      status < 500 ? (RESTIFY_ERRORS[status] ?? { code: 'bad_request', key: 'badRequest' }) : null;
    const lang = requestLanguage(req);
    const appError = known
      ? new AppError(status, known.code, known.key, {
          path: req.path(),
          method: req.method,
          detail: String(err.message ?? '').slice(0, 200),
        })
      : new AppError(500, 'internal', 'internal');
    if (!known) deps.logger.error('unhandled error', { path: req.path(), err });
    sendError(res, deps.i18n, lang, appError);
    return callback(false);
  });

  const started = new WeakMap<object, bigint>();
  server.pre((req, _res, next) => {
    started.set(req, process.hrtime.bigint());
    next();
  });
  server.on('after', (req, res) => {
    // The route template (/api/services/:id), never the path: paths can carry what a person typed.
    const route = req.getRoute()?.path?.toString() ?? 'unmatched';
    const t0 = started.get(req);
    deps.metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
    if (t0)
      deps.metrics.httpDuration.observe(
        { method: req.method, route },
        Number(process.hrtime.bigint() - t0) / 1e9,
      );
    deps.logger.debug('request', { method: req.method, route, status: res.statusCode });
  });
  return server;
}
