import type { Storage, StoreItems } from 'botbuilder';
import type Redis from 'ioredis';
import { connectingFirstTime, readyWithin, RedisUnavailableError } from '../../lib/redis';
import { stateJson } from './redact-state';
import { ETagConflictError, newETag, StorageOptions } from './sql-storage';

/**
 * Writes every item if each eTag is still the stored one (or the item's write is unconditional), all
 * or none, in one atomic step: KEYS are the items, ARGV the time to live then, per item, the eTag
 * expected, the new eTag and the JSON body. The stored value is the eTag, a newline, then the body.
 * Answers the number of items written, or -i when the i-th item's eTag was stale.
 */
const WRITE_SCRIPT = `
for i = 1, #KEYS do
  local expected = ARGV[i * 3 - 1]
  if expected ~= '' and expected ~= '*' then
    local current = redis.call('GET', KEYS[i])
    if current then
      local nl = string.find(current, '\\n', 1, true)
      if string.sub(current, 1, nl - 1) ~= expected then return -i end
    end
  end
end
for i = 1, #KEYS do
  redis.call('SET', KEYS[i], ARGV[i * 3] .. '\\n' .. ARGV[i * 3 + 1], 'PX', ARGV[1])
end
return #KEYS`;

const FIRST_CONNECTION_WAIT_MS = 5000;

export interface RedisStorageOptions extends StorageOptions {
  /**
   * Another store stands in while Redis is down (BOT_STATE=auto): a turn fails at once with
   * RedisUnavailableError rather than wait, except while the very first connection is being made
   * (it waits for it to succeed or fail, so the first turns after the start are not sent elsewhere).
   */
  standIn?: boolean;
}

/**
 * Bot Framework state in Redis (BOT_STATE=redis), so several bot instances behind a load balancer
 * share conversations. Every key starts with `prefix`; items expire `ttlMs` after their last write.
 */
export class RedisStorage implements Storage {
  private everReady = false;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly options: RedisStorageOptions,
  ) {}

  /**
   * Once connected, a turn fails fast while Redis is down (and apologizes, or the stand-in store
   * answers); until the first connection, it waits for it (a turn can arrive while the process is
   * still starting).
   */
  private async connected(): Promise<void> {
    if (this.redis.status === 'ready') {
      this.everReady = true;
      return;
    }
    const standIn = this.options.standIn === true;
    const waits =
      !this.everReady &&
      this.redis.status !== 'end' &&
      (connectingFirstTime(this.redis) || !standIn);
    const ready = waits && (await readyWithin(this.redis, FIRST_CONNECTION_WAIT_MS, standIn));
    if (standIn && !ready) throw new RedisUnavailableError();
  }

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    if (keys.length === 0) return items;
    await this.connected();
    const values = await this.redis.mget(keys.map((k) => this.prefix + k));
    keys.forEach((key, i) => {
      const value = values[i];
      if (value === null) return;
      const nl = value.indexOf('\n');
      items[key] = { ...JSON.parse(value.slice(nl + 1)), eTag: value.slice(0, nl) };
    });
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const entries = Object.entries(changes);
    if (entries.length === 0) return;
    await this.connected();
    const written = (await this.redis.eval(
      WRITE_SCRIPT,
      entries.length,
      ...entries.map(([key]) => this.prefix + key),
      String(this.options.ttlMs),
      ...entries.flatMap(([, item]) => {
        const { eTag, ...body } = (item ?? {}) as { eTag?: string };
        return [eTag ?? '', newETag(), stateJson(body)];
      }),
    )) as number;
    if (written < 0) throw new ETagConflictError(entries[-written - 1][0]);
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.connected();
    await this.redis.del(...keys.map((k) => this.prefix + k));
  }
}
