import type { AnswerOutcome } from '../../lib/vocabulary';
import { Db, migrate } from '../../lib/db';
import { redact } from '../../lib/redact';
import { Language } from '../schema';
import { HOME_ZONE } from '../../lib/time-zone';

const MIGRATIONS = [
  `CREATE TABLE usage_counts (
     day TEXT NOT NULL, channel TEXT NOT NULL, language TEXT NOT NULL, outcome TEXT NOT NULL,
     record_id TEXT NOT NULL DEFAULT '', jurisdiction TEXT NOT NULL DEFAULT '', referral TEXT NOT NULL DEFAULT '',
     count INTEGER NOT NULL,
     PRIMARY KEY (day, channel, language, outcome, record_id, jurisdiction, referral)
   );
   CREATE TABLE usage_unanswered (
     day TEXT NOT NULL, language TEXT NOT NULL, text TEXT NOT NULL, count INTEGER NOT NULL,
     PRIMARY KEY (day, language, text)
   );
   CREATE TABLE usage_demand_by_area (
     day TEXT NOT NULL, fsa TEXT NOT NULL, record_id TEXT NOT NULL DEFAULT '', count INTEGER NOT NULL,
     PRIMARY KEY (day, fsa, record_id)
   );`,
];

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

/** The day in Toronto (the service's home time zone), YYYY-MM-DD. */
export function torontoDay(at: Date): string {
  return TORONTO_DAY.format(at);
}

/**
 * Counts for the managers' insights: only aggregates and redacted text, never a person. Events
 * are summed in memory and written in one transaction per flush, so answering never waits on a
 * write.
 */
export class UsageStore {
  private pending = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {
    migrate(db, 'usage', MIGRATIONS);
  }

  /** Flushes every `ms` until `stop()`. */
  start(ms = 2000): void {
    this.timer ??= setInterval(() => this.flush(), ms);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.flush();
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

  private add(key: string[]): void {
    const k = JSON.stringify(key);
    this.pending.set(k, (this.pending.get(k) ?? 0) + 1);
  }

  flush(): void {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    const counts = this.db.prepare(
      `INSERT INTO usage_counts (day, channel, language, outcome, record_id, jurisdiction, referral, count) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET count = count + excluded.count`,
    );
    const unanswered = this.db.prepare(
      'INSERT INTO usage_unanswered (day, language, text, count) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET count = count + excluded.count',
    );
    const area = this.db.prepare(
      'INSERT INTO usage_demand_by_area (day, fsa, record_id, count) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET count = count + excluded.count',
    );
    this.db.transaction(() => {
      for (const [k, n] of batch) {
        const [kind, ...cols] = JSON.parse(k) as string[];
        if (kind === 'c') counts.run(...cols, n);
        else if (kind === 'u') unanswered.run(...cols, n);
        else area.run(...cols, n);
      }
    })();
  }
}
