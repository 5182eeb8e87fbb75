import type { AttemptClaim, DeliveryLog } from './deliveries';
import { Delivery, Publisher, PublishError, PublishResult } from './publishers/publisher';

export interface DeliverDeps {
  deliveries: DeliveryLog;
  /** After an outcome became unknown, how long a post missing from the feed is still awaited. */
  feedSettleMs: number;
  /**
   * Given, a delivery that went out (or was found in the feed) is handed to it instead of being
   * marked succeeded at once, and the caller marks it in its own next transaction. Until then its
   * row says `started`, as after a worker killed during the call: a try that finds it so reads the
   * feed before sending anything.
   */
  defer?: (key: string, result: PublishResult) => void;
}

const now = () => new Date().toISOString();

const asPublishError = (err: unknown) =>
  err instanceof PublishError
    ? err
    : new PublishError('retryable', 'internal', (err as Error).message ?? String(err));

/**
 * One delivery (a post in one language, one occurrence), with the claim the caller committed in the
 * idempotency log before the platform is called. An attempt whose outcome is unknown (timeout,
 * reset, 5xx, a worker killed mid-call) is never sent again blindly: the account's feed is read
 * first; found, it is recorded as published with the platform's id; not found once the feed had
 * time to show it, it is sent again; the feed unreadable, the delivery stays in doubt and the next
 * try reads again.
 */
export async function deliverOnce(
  deps: DeliverDeps,
  publisher: Publisher,
  delivery: Delivery,
  claim: AttemptClaim,
): Promise<PublishResult> {
  const { deliveries } = deps;
  const { key } = delivery;
  const succeeded = async (result: PublishResult) => {
    if (deps.defer) deps.defer(key, result);
    else await deliveries.succeed(key, result, now());
    return result;
  };
  if (claim.kind === 'done') return { externalId: claim.externalId, url: claim.url };
  if (claim.kind === 'in-doubt') {
    const found = await reconcile(deps, publisher, delivery, claim.since, claim.doubtSince);
    if (found) return succeeded(found);
    // A compare-and-swap on the attempt in doubt: of two workers that both found it absent, one sends.
    if ((await deliveries.takeOver(key, claim.attempt, now())).kind !== 'claimed')
      throw new PublishError(
        'retryable',
        'reconcile_pending',
        `another worker took the ${delivery.channel} delivery over`,
      );
  }
  if (claim.kind === 'taken')
    throw new PublishError('retryable', 'reconcile_pending', 'another worker took it over');
  let result: PublishResult;
  try {
    result = await publisher.publish(delivery);
  } catch (err) {
    const e = asPublishError(err);
    if (e.kind === 'retryable' && e.ambiguous) await deliveries.markUncertain(key, e.reason, now());
    else if (e.kind === 'retryable') await deliveries.release(key, e.reason, now());
    else await deliveries.fail(key, e.reason, now());
    throw e;
  }
  return succeeded(result);
}

/** The post if the feed shows it; null when it is safe to send again; throws while in doubt. */
async function reconcile(
  deps: DeliverDeps,
  publisher: Publisher,
  delivery: Delivery,
  since: string,
  doubtSince: string,
): Promise<PublishResult | null> {
  const { deliveries } = deps;
  if (!publisher.recover) {
    if (publisher.idempotent) return null;
    const e = new PublishError(
      'permanent',
      'outcome_unknown',
      `an attempt started at ${since} may have posted; ${delivery.channel} cannot be read back: check it before rescheduling`,
    );
    await deliveries.stillInDoubt(delivery.key, e.reason, now());
    throw e;
  }
  let found: PublishResult | null;
  try {
    found = await publisher.recover(delivery, since);
  } catch (err) {
    const e = asPublishError(err);
    await deliveries.stillInDoubt(delivery.key, `feed not read: ${e.reason}`, now());
    if (e.kind === 'permanent' && e.code === 'outcome_unknown') throw e;
    // Reading failed (or was refused): never post blindly; the next try reads again.
    throw new PublishError(
      'retryable',
      'reconcile_failed',
      `${delivery.channel} feed could not be read to check an attempt in doubt: ${e.reason}`,
      e.status,
      e.retryAfterMs,
    );
  }
  if (found) return found;
  const waited = Date.now() - Date.parse(doubtSince);
  if (waited < deps.feedSettleMs) {
    const wait = deps.feedSettleMs - waited;
    await deliveries.stillInDoubt(delivery.key, 'not in the feed yet', now());
    throw new PublishError(
      'retryable',
      'reconcile_pending',
      `not in the ${delivery.channel} feed yet; looked again in ${Math.ceil(wait / 1000)} s`,
      null,
      wait,
    );
  }
  return null;
}
