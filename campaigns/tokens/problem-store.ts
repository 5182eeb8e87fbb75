import type { Kysely } from 'kysely';
import type { Database } from '../../lib/database';
import type { TokenTables } from './tables';

/** Something that stops a credentials entry from publishing, found by the pre-flight. */
export interface CredentialIssue {
  /** The credentials file's entry (`service-canada.x.fr`), or the entry a post needs and lacks. */
  entry: string;
  /** credentials_missing, token_expired, token_expires, token_refresh_failed, token_invalid, wrong_account, account_unverified, missing_scope, entry_*, credentials_file_invalid */
  code: string;
  account: string | null;
  channel: string | null;
  language: string | null;
  /** What is wrong, in words that name no secret. */
  detail: string;
  /** When the first post it stops is due (ISO 8601), if known. */
  firstDueAt: string | null;
}

export interface StoredIssue extends CredentialIssue {
  firstSeen: string;
  lastSeen: string;
  alertedAt: string | null;
}

type Row = TokenTables['campaign_credential_problems'];

const toIssue = (r: Row): StoredIssue => ({
  entry: r.entry,
  code: r.code,
  account: r.account,
  channel: r.channel,
  language: r.language,
  detail: r.detail,
  firstDueAt: r.first_due_at,
  firstSeen: r.first_seen,
  lastSeen: r.last_seen,
  alertedAt: r.alerted_at,
});

/**
 * The credential problems the pre-flight found, shared by every process: the API shows them on the
 * campaigns they stop, and a problem is alerted once, by whichever process records it first.
 */
export class ProblemStore {
  private readonly db: Kysely<TokenTables>;

  constructor(database: Database) {
    this.db = database.kysely.withTables<TokenTables>();
  }

  async list(): Promise<StoredIssue[]> {
    const rows = await this.db
      .selectFrom('campaign_credential_problems')
      .selectAll()
      .orderBy('entry')
      .orderBy('code')
      .execute();
    return rows.map(toIssue);
  }

  /**
   * Records what a check found. Returns the problems that are new (to alert); those already known
   * are brought up to date. Known problems the check could have found again but did not
   * (`resolvable`) are removed, and returned as resolved.
   */
  async record(
    found: readonly CredentialIssue[],
    resolvable: (issue: StoredIssue) => boolean,
    now: string,
  ): Promise<{ added: CredentialIssue[]; resolved: StoredIssue[] }> {
    const added: CredentialIssue[] = [];
    for (const p of found) {
      const inserted = await this.db
        .insertInto('campaign_credential_problems')
        .values({
          entry: p.entry,
          code: p.code,
          account: p.account,
          channel: p.channel,
          language: p.language,
          detail: p.detail.slice(0, 1000),
          first_due_at: p.firstDueAt,
          first_seen: now,
          last_seen: now,
          alerted_at: null,
        })
        .onConflict((oc) => oc.columns(['entry', 'code']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) {
        added.push(p);
        continue;
      }
      await this.db
        .updateTable('campaign_credential_problems')
        .set({ detail: p.detail.slice(0, 1000), first_due_at: p.firstDueAt, last_seen: now })
        .where('entry', '=', p.entry)
        .where('code', '=', p.code)
        .execute();
    }
    const still = new Set(found.map((p) => `${p.entry}\0${p.code}`));
    const resolved = (await this.list()).filter(
      (r) => !still.has(`${r.entry}\0${r.code}`) && resolvable(r),
    );
    for (const r of resolved)
      await this.db
        .deleteFrom('campaign_credential_problems')
        .where('entry', '=', r.entry)
        .where('code', '=', r.code)
        .execute();
    return { added, resolved };
  }

  async markAlerted(issue: Pick<CredentialIssue, 'entry' | 'code'>, at: string): Promise<void> {
    await this.db
      .updateTable('campaign_credential_problems')
      .set({ alerted_at: at })
      .where('entry', '=', issue.entry)
      .where('code', '=', issue.code)
      .execute();
  }
}
