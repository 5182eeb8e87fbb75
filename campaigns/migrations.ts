import { Db, migrate } from '../lib/db';

/**
 * The campaigns module's tables (append-only). SQLite is the source of truth: Redis holds only the
 * jobs that wake the worker, and they are rebuilt from here when Redis loses them.
 */
const MIGRATIONS = [
  `CREATE TABLE campaigns (
     id TEXT PRIMARY KEY,
     title TEXT NOT NULL,
     status TEXT NOT NULL,
     paused INTEGER NOT NULL DEFAULT 0,
     created_by_org TEXT NOT NULL,
     created_by_token TEXT NOT NULL,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     rejected_by_org TEXT,
     rejected_reason TEXT,
     rejected_at TEXT
   );
   CREATE TABLE campaign_approvals (
     campaign_id TEXT NOT NULL REFERENCES campaigns(id),
     org TEXT NOT NULL,
     token_id TEXT NOT NULL,
     approved_at TEXT NOT NULL,
     PRIMARY KEY (campaign_id, org)
   );
   CREATE TABLE campaign_posts (
     id TEXT PRIMARY KEY,
     campaign_id TEXT NOT NULL REFERENCES campaigns(id),
     position INTEGER NOT NULL,
     channel TEXT NOT NULL,
     account TEXT NOT NULL,
     org TEXT NOT NULL,
     publish_at TEXT,
     publish_at_ms INTEGER,
     text_json TEXT,
     image_json TEXT,
     repeat_json TEXT,
     partner_share_json TEXT,
     share_of TEXT REFERENCES campaign_posts(id),
     status TEXT NOT NULL,
     version INTEGER NOT NULL DEFAULT 1,
     attempts INTEGER NOT NULL DEFAULT 0,
     occurrences INTEGER NOT NULL DEFAULT 0,
     published_at TEXT,
     lateness_ms INTEGER,
     external_id TEXT,
     external_url TEXT,
     external_ids_json TEXT,
     error_json TEXT,
     next_attempt_at TEXT,
     updated_at TEXT NOT NULL
   );
   CREATE INDEX campaign_posts_by_campaign ON campaign_posts (campaign_id, position);
   CREATE INDEX campaign_posts_by_status ON campaign_posts (status, publish_at_ms);
   CREATE TABLE campaign_deliveries (
     key TEXT PRIMARY KEY,
     post_id TEXT NOT NULL REFERENCES campaign_posts(id),
     occurrence TEXT NOT NULL,
     language TEXT NOT NULL,
     state TEXT NOT NULL,
     attempt INTEGER NOT NULL DEFAULT 0,
     external_id TEXT,
     external_url TEXT,
     reason TEXT,
     started_at TEXT,
     finished_at TEXT
   );
   CREATE INDEX campaign_deliveries_by_post ON campaign_deliveries (post_id);
   CREATE TABLE campaign_outbox (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     delivery_key TEXT NOT NULL UNIQUE,
     post_id TEXT NOT NULL,
     campaign_id TEXT NOT NULL,
     account TEXT NOT NULL,
     language TEXT NOT NULL,
     text TEXT,
     image_json TEXT,
     share_of TEXT,
     scheduled_at TEXT NOT NULL,
     published_at TEXT NOT NULL
   );
   CREATE TABLE campaign_audit (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     at TEXT NOT NULL,
     campaign_id TEXT,
     post_id TEXT,
     action TEXT NOT NULL,
     actor_kind TEXT NOT NULL,
     actor_org TEXT,
     actor_role TEXT,
     actor_token TEXT,
     details_json TEXT
   );
   CREATE INDEX campaign_audit_by_campaign ON campaign_audit (campaign_id, id);
   CREATE TABLE campaign_settings (
     key TEXT PRIMARY KEY,
     value TEXT NOT NULL
   );`,
  // Reconciliation of outcomes in doubt: when the delivery was first tried (its post is looked for
  // in the feed from then on) and when its outcome became unknown (state 'uncertain').
  `ALTER TABLE campaign_deliveries ADD COLUMN first_started_at TEXT;
   ALTER TABLE campaign_deliveries ADD COLUMN uncertain_at TEXT;
   UPDATE campaign_deliveries SET first_started_at = started_at;`,
];

export function migrateCampaigns(db: Db): void {
  migrate(db, 'campaigns', MIGRATIONS);
}
