/** Why a delivery did not go out; its own module so that credentials.ts can raise it without a cycle. */
export type PublishErrorKind = 'retryable' | 'permanent';

export class PublishError extends Error {
  constructor(
    readonly kind: PublishErrorKind,
    /** Stable code: platform_error, rate_limited, network, not_configured, outcome_unknown, image_unavailable, reconcile_failed, reconcile_pending. */
    readonly code: string,
    /** The platform's own words, or ours when the platform said nothing. */
    readonly reason: string,
    readonly status: number | null = null,
    /** For 429: how long the platform asked us to wait. */
    readonly retryAfterMs: number | null = null,
    /**
     * The request that creates the post may have gone through (a timeout or a reset after it was
     * sent, a 5xx): the account's feed must be read before it is sent again.
     */
    readonly ambiguous = false,
  ) {
    super(`${code}: ${reason}`);
    this.name = 'PublishError';
  }
}
