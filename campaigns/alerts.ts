import type { Logger } from '../lib/logger';
import { signWebhook } from './publishers/webhook';

/**
 * Something a person must look at: a post that failed, or whose outcome cannot be decided; or a
 * channel's credentials that will stop posts (the pre-flight), before they are due.
 */
export interface Alert {
  /** The error code: outcome_unknown, reconcile_failed, platform_rejected, not_configured, token_expired… */
  code: string;
  /** For a credentials problem: the first campaign and post it stops, when one is due. */
  campaignId: string | null;
  postId: string | null;
  channel: string;
  account: string;
  language: string | null;
  reason: string;
  /** HTTP status of the platform's last answer, if any. */
  status: number | null;
  at: string;
  /** For a credentials problem: the credentials file's entry (`service-canada.x.fr`). */
  entry?: string;
  /** For a credentials problem: when the first post it stops is due. */
  firstDueAt?: string | null;
}

export interface AlertSink {
  /** Never throws: an alert that cannot be delivered is logged. */
  send(alert: Alert): Promise<void>;
}

/**
 * Alerts POSTed as JSON to CAMPAIGN_ALERT_WEBHOOK_URL, signed as the webhook channel signs its posts
 * (X-Campaign-Timestamp, X-Campaign-Signature over `timestamp.body` with the alert secret), and
 * always logged at error level; without a URL they are only logged.
 */
export class WebhookAlerts implements AlertSink {
  constructor(
    private readonly url: string,
    private readonly secret: string,
    private readonly logger: Logger,
    private readonly timeoutMs = 5000,
  ) {}

  async send(alert: Alert): Promise<void> {
    this.logger.error('campaign alert', { ...alert });
    if (!this.url) return;
    const body = JSON.stringify({ type: 'campaign.alert', ...alert });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'Idempotency-Key': `${alert.postId ?? alert.entry}:${alert.code}:${alert.at}`,
    };
    if (this.secret) {
      headers['X-Campaign-Timestamp'] = timestamp;
      headers['X-Campaign-Signature'] = signWebhook(this.secret, timestamp, body);
    }
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await res.arrayBuffer();
      if (!res.ok) this.logger.error('the alert webhook refused an alert', { status: res.status });
    } catch (err) {
      this.logger.error('the alert webhook cannot be reached', { err: (err as Error).message });
    }
  }
}
