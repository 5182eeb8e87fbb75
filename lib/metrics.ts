import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

import type { AnswerOutcome } from './vocabulary';

export type { AnswerOutcome };

/**
 * Prometheus metrics. Labels are route templates, outcomes, languages, channels and queue names
 * only: never a path, a question or anything a person typed.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method and route template.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly answers = new Counter({
    name: 'answers_total',
    help: 'Answers given, by channel (api, bot, agent), outcome and language.',
    labelNames: ['channel', 'outcome', 'language'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
