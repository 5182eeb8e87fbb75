import { redact } from '../../lib/redact';

/** Bot Framework bookkeeping that looks like numbers but is not text: dialog version hashes and instance ids. */
const BOOKKEEPING = new Set(['version', 'instanceId']);

/**
 * A safety net under "state holds ids and flags only": every string in a state item goes through
 * lib/redact on its way to JSON, so a personal number can never reach the database or Redis even if
 * a dialog one day keeps text it should not.
 */
export function stateJson(item: unknown): string {
  return JSON.stringify(item, (key, value) =>
    typeof value === 'string' && !BOOKKEEPING.has(key) ? redact(value) : value,
  );
}
