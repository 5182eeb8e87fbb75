import type { ColumnDefinitionBuilder, Generated } from 'kysely';
import type { Language } from '../knowledge/schema';
import type { Engine } from '../lib/database';
import type { ModuleMigrations } from '../lib/migrations';

/** A delivery's state in the idempotency log (see deliveries.ts). */
export type DeliveryState = 'started' | 'succeeded' | 'retryable' | 'failed' | 'uncertain';

/**
 * The campaign tables, in the shared database (the embedded SQLite file, or PostgreSQL with
 * DATABASE_URL): the source of truth. Redis holds only the jobs that wake the workers, rebuilt from
 * here when Redis loses them. Times are ISO text, epoch milliseconds bigint, JSON text, flags 0/1.
 */
export type CampaignTables = {
  campaigns: {
    id: string;
    title: string;
    status: string;
    paused: Generated<number>;
    created_by_org: string;
    created_by_token: string;
    created_at: string;
    updated_at: string;
    rejected_by_org: string | null;
    rejected_reason: string | null;
    rejected_at: string | null;
  };
  campaign_approvals: {
    campaign_id: string;
    org: string;
    token_id: string;
    approved_at: string;
  };
  campaign_posts: {
    id: string;
    campaign_id: string;
    position: number;
    channel: string;
    account: string;
    org: string;
    publish_at: string | null;
    publish_at_ms: number | null;
    text_json: string | null;
    image_json: string | null;
    repeat_json: string | null;
    partner_share_json: string | null;
    share_of: string | null;
    status: string;
    version: Generated<number>;
    attempts: Generated<number>;
    occurrences: Generated<number>;
    published_at: string | null;
    lateness_ms: number | null;
    external_id: string | null;
    external_url: string | null;
    external_ids_json: string | null;
    error_json: string | null;
    next_attempt_at: string | null;
    updated_at: string;
  };
  campaign_deliveries: {
    key: string;
    post_id: string;
    occurrence: string;
    language: Language;
    state: DeliveryState;
    attempt: Generated<number>;
    external_id: string | null;
    external_url: string | null;
    reason: string | null;
    started_at: string | null;
    finished_at: string | null;
    /** When the delivery was first tried: its post is looked for in the feed from then on. */
    first_started_at: string | null;
    /** When its outcome became unknown (state `uncertain`). */
    uncertain_at: string | null;
  };
  campaign_outbox: {
    id: Generated<number>;
    delivery_key: string;
    post_id: string;
    campaign_id: string;
    account: string;
    language: string;
    text: string | null;
    image_json: string | null;
    share_of: string | null;
    scheduled_at: string;
    published_at: string;
  };
  campaign_audit: {
    id: Generated<number>;
    at: string;
    campaign_id: string | null;
    post_id: string | null;
    action: string;
    actor_kind: string;
    actor_org: string | null;
    actor_role: string | null;
    actor_token: string | null;
    details_json: string | null;
  };
  campaign_settings: {
    key: string;
    value: string;
  };
};

/** An ever-growing id column: INTEGER PRIMARY KEY AUTOINCREMENT on SQLite (ids never reused), bigserial on PostgreSQL. */
const serialId = (engine: Engine) =>
  [
    engine === 'postgres' ? 'bigserial' : 'integer',
    (c: ColumnDefinitionBuilder) =>
      engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
  ] as const;

/**
 * The module keeps its name and versions from when it migrated itself in the embedded file
 * (`campaigns`, versions 1 and 2, the same tables), so an existing DATA_DIR finds nothing to do.
 */
export const CAMPAIGN_MIGRATIONS: ModuleMigrations = {
  module: 'campaigns',
  migrations: [
    async (db, engine) => {
      await db.schema
        .createTable('campaigns')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('paused', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_by_org', 'text', (c) => c.notNull())
        .addColumn('created_by_token', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('rejected_by_org', 'text')
        .addColumn('rejected_reason', 'text')
        .addColumn('rejected_at', 'text')
        .execute();
      await db.schema
        .createTable('campaign_approvals')
        .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id'))
        .addColumn('org', 'text', (c) => c.notNull())
        .addColumn('token_id', 'text', (c) => c.notNull())
        .addColumn('approved_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('campaign_approvals_pkey', ['campaign_id', 'org'])
        .execute();
      await db.schema
        .createTable('campaign_posts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('account', 'text', (c) => c.notNull())
        .addColumn('org', 'text', (c) => c.notNull())
        .addColumn('publish_at', 'text')
        .addColumn('publish_at_ms', 'bigint')
        .addColumn('text_json', 'text')
        .addColumn('image_json', 'text')
        .addColumn('repeat_json', 'text')
        .addColumn('partner_share_json', 'text')
        .addColumn('share_of', 'text', (c) => c.references('campaign_posts.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('occurrences', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('published_at', 'text')
        .addColumn('lateness_ms', 'bigint')
        .addColumn('external_id', 'text')
        .addColumn('external_url', 'text')
        .addColumn('external_ids_json', 'text')
        .addColumn('error_json', 'text')
        .addColumn('next_attempt_at', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('campaign_posts_by_campaign')
        .on('campaign_posts')
        .columns(['campaign_id', 'position'])
        .execute();
      await db.schema
        .createIndex('campaign_posts_by_status')
        .on('campaign_posts')
        .columns(['status', 'publish_at_ms'])
        .execute();
      await db.schema
        .createTable('campaign_deliveries')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('post_id', 'text', (c) => c.notNull().references('campaign_posts.id'))
        .addColumn('occurrence', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('external_id', 'text')
        .addColumn('external_url', 'text')
        .addColumn('reason', 'text')
        .addColumn('started_at', 'text')
        .addColumn('finished_at', 'text')
        .execute();
      await db.schema
        .createIndex('campaign_deliveries_by_post')
        .on('campaign_deliveries')
        .column('post_id')
        .execute();
      await db.schema
        .createTable('campaign_outbox')
        .addColumn('id', ...serialId(engine))
        .addColumn('delivery_key', 'text', (c) => c.notNull().unique())
        .addColumn('post_id', 'text', (c) => c.notNull())
        .addColumn('campaign_id', 'text', (c) => c.notNull())
        .addColumn('account', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('text', 'text')
        .addColumn('image_json', 'text')
        .addColumn('share_of', 'text')
        .addColumn('scheduled_at', 'text', (c) => c.notNull())
        .addColumn('published_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('campaign_audit')
        .addColumn('id', ...serialId(engine))
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('campaign_id', 'text')
        .addColumn('post_id', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('actor_kind', 'text', (c) => c.notNull())
        .addColumn('actor_org', 'text')
        .addColumn('actor_role', 'text')
        .addColumn('actor_token', 'text')
        .addColumn('details_json', 'text')
        .execute();
      await db.schema
        .createIndex('campaign_audit_by_campaign')
        .on('campaign_audit')
        .columns(['campaign_id', 'id'])
        .execute();
      await db.schema
        .createTable('campaign_settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
    async (db) => {
      await db.schema
        .alterTable('campaign_deliveries')
        .addColumn('first_started_at', 'text')
        .execute();
      await db.schema.alterTable('campaign_deliveries').addColumn('uncertain_at', 'text').execute();
      await db
        .updateTable('campaign_deliveries')
        .set((eb) => ({ first_started_at: eb.ref('started_at') }))
        .execute();
    },
  ],
};
