import type { Storage, StoreItems } from 'botbuilder';
import type Redis from 'ioredis';
import { stateJson } from './redact-state';
import { ETagConflictError, newETag, StorageOptions } from './sql-storage';

/**
 * Writes an item if its eTag is still the stored one (or the write is unconditional), in one atomic
 * step. The stored value is the eTag, a newline, then the JSON body.
 */
const WRITE_SCRIPT = `
local expected = ARGV[1]
if expected ~= '' and expected ~= '*' then
  local current = redis.call('GET', KEYS[1])
  if current then
    local nl = string.find(current, '\\n', 1, true)
    if string.sub(current, 1, nl - 1) ~= expected then return 0 end
  end
end
redis.call('SET', KEYS[1], ARGV[2] .. '\\n' .. ARGV[3], 'PX', ARGV[4])
return 1`;

const FIRST_CONNECTION_WAIT_MS = 5000;

/**
 * Bot Framework state in Redis (BOT_STATE=redis), so several bot instances behind a load balancer
 * share conversations. Every key starts with `prefix`; items expire `ttlMs` after their last write.
 */
export class RedisStorage implements Storage {
  private everReady = false;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly options: StorageOptions,
  ) {}

  /**
   * Once connected, a turn fails fast while Redis is down (and apologizes); until the first
   * connection, it waits for it (a turn can arrive while the process is still starting).
   */
  private async connected(): Promise<void> {
    if (this.redis.status === 'ready') {
      this.everReady = true;
      return;
    }
    if (this.everReady || this.redis.status === 'end') return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, FIRST_CONNECTION_WAIT_MS);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.redis.once('ready', done);
    });
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
    await this.connected();
    for (const [key, item] of Object.entries(changes)) {
      const { eTag, ...body } = (item ?? {}) as { eTag?: string };
      const written = await this.redis.eval(
        WRITE_SCRIPT,
        1,
        this.prefix + key,
        eTag ?? '',
        newETag(),
        stateJson(body),
        String(this.options.ttlMs),
      );
      if (written === 0) throw new ETagConflictError(key);
    }
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length) await this.redis.del(...keys.map((k) => this.prefix + k));
  }
}
