import type { AnswerOutcome } from '../../lib/vocabulary';
import type { Kysely } from 'kysely';
import type { Database } from '../../lib/database';
import type { ModuleMigrations } from '../../lib/migrations';
import { redact } from '../../lib/redact';
import { Language } from '../schema';
import { HOME_ZONE } from '../../lib/time-zone';

/** The tables the counts go to; insights.ts reads the same ones. */
export type UsageTables = {
  usage_counts: {
    day: string;
    channel: string;
    language: string;
    outcome: string;
    record_id: string;
    jurisdiction: string;
    referral: string;
    count: number;
  };
  usage_unanswered: { day: string; language: string; text: string; count: number };
  usage_demand_by_area: { day: string; fsa: string; record_id: string; count: number };
};

/** The key columns of usage_counts, in the order recordAnswer lists them (insights groups by them). */
export const COUNT_KEYS = [
  'day',
  'channel',
  'language',
  'outcome',
  'record_id',
  'jurisdiction',
  'referral',
] as const;

/** Each kind of pending count: its table and key columns, in the order `add` lists them. */
const COUNTERS = {
  c: { table: 'usage_counts', keys: COUNT_KEYS },
  u: { table: 'usage_unanswered', keys: ['day', 'language', 'text'] },
  a: { table: 'usage_demand_by_area', keys: ['day', 'fsa', 'record_id'] },
} as const;

export const USAGE_MIGRATIONS: ModuleMigrations = {
  module: 'usage',
  migrations: [
    async (db) => {
      await db.schema
        .createTable('usage_counts')
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('record_id', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('jurisdiction', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('referral', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('count', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('usage_counts_pkey', [...COUNT_KEYS])
        .execute();
      await db.schema
        .createTable('usage_unanswered')
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('usage_unanswered_pkey', [...COUNTERS.u.keys])
        .execute();
      await db.schema
        .createTable('usage_demand_by_area')
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('fsa', 'text', (c) => c.notNull())
        .addColumn('record_id', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('count', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('usage_demand_by_area_pkey', [...COUNTERS.a.keys])
        .execute();
    },
  ],
};

export type Channel = 'api' | 'bot' | 'agent';
export type Outcome = AnswerOutcome;
/** Where the answer sent the person: the online service, or an office. */
export type Referral = 'online' | 'office' | '';

export interface AnswerEvent {
  channel: Channel;
  language: Language;
  outcome: Outcome;
  recordId?: string;
  jurisdiction?: string;
  referral?: Referral;
  /** The question, kept (redacted, shortened) only when it was not answered: to improve the knowledge base. */
  question?: string;
}

/** Longest unanswered question kept, after redaction. */
export const UNANSWERED_MAX_CHARS = 200;

/** en-CA writes dates YYYY-MM-DD. One formatter for all: `toLocaleDateString` builds one per call (a third of a millisecond). */
const TORONTO_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: HOME_ZONE });

/** The last minute formatted: the day cannot change within a minute (Toronto's offsets are whole hours). */
let lastDay = { minute: NaN, day: '' };

/** The day in Toronto (the service's home time zone), YYYY-MM-DD. */
export function torontoDay(at: Date): string {
  const minute = Math.floor(at.getTime() / 60_000);
  if (minute !== lastDay.minute) lastDay = { minute, day: TORONTO_DAY.format(at) };
  return lastDay.day;
}

/**
 * Counts for the managers' insights: only aggregates and redacted text, never a person. Events
 * are summed in memory and written in one transaction per flush, so answering never waits on a
 * write. A flush that fails (database down) puts its counts back, to be written by the next one.
 */
export class UsageStore {
  private pending = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private readonly db: Kysely<UsageTables>;

  constructor(
    database: Database,
    private readonly now: () => Date = () => new Date(),
    private readonly onFlushError: (err: Error) => void = () => {},
  ) {
    this.db = database.kysely.withTables<UsageTables>();
  }

  /** Flushes every `ms` until `stop()`. */
  start(ms = 2000): void {
    this.timer ??= setInterval(() => {
      this.flush().catch((err: Error) => this.onFlushError(err));
    }, ms);
    this.timer.unref();
  }

  /** Stops the timer and writes what is pending (throws when it cannot be written). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  recordAnswer(e: AnswerEvent): void {
    const day = torontoDay(this.now());
    this.add([
      'c',
      day,
      e.channel,
      e.language,
      e.outcome,
      e.recordId ?? '',
      e.jurisdiction ?? '',
      e.referral ?? '',
    ]);
    if ((e.outcome === 'out_of_scope' || e.outcome === 'fallback') && e.question) {
      const text = redact(e.question).replace(/\s+/g, ' ').trim().slice(0, UNANSWERED_MAX_CHARS);
      if (text) this.add(['u', day, e.language, text]);
    }
  }

  /** A search for offices from a postal area (first three characters of a postal code). */
  recordAreaDemand(fsa: string, recordId = ''): void {
    if (!/^[A-Z]\d[A-Z]$/.test(fsa)) return;
    this.add(['a', torontoDay(this.now()), fsa, recordId]);
  }

  private add(key: string[], n = 1): void {
    const k = JSON.stringify(key);
    this.pending.set(k, (this.pending.get(k) ?? 0) + n);
  }

  /** Writes the pending counts in one transaction; on failure they stay pending and the error is thrown. */
  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await this.db.transaction().execute(async (trx) => {
        for (const [k, count] of batch) {
          const [kind, ...cols] = JSON.parse(k) as string[];
          const { table, keys } = COUNTERS[kind as keyof typeof COUNTERS];
          const row = Object.fromEntries(keys.map((key, i) => [key, cols[i]]));
          // The three tables differ only in their key columns: one upsert, typed loosely.
          await (trx as unknown as Kysely<Record<string, { count: number }>>)
            .insertInto(table)
            .values({ ...row, count })
            .onConflict((oc) =>
              oc.columns(keys as unknown as 'count'[]).doUpdateSet((eb) => ({
                count: eb(eb.ref(`${table}.count`), '+', eb.ref('excluded.count')),
              })),
            )
            .execute();
        }
      });
    } catch (err) {
      // Nothing counted is dropped: the batch goes back in front of what arrived meanwhile.
      for (const [k, n] of batch) this.add(JSON.parse(k) as string[], n);
      throw err;
    }
  }
}
