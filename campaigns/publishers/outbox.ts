import type { Db } from '../../lib/db';
import { formatInZone } from '../time';
import { Delivery, Publisher, PublishResult } from './publisher';
import type { PublisherContext } from './publisher';
import { statement } from '../sql';

export interface OutboxItem {
  id: string;
  campaignId: string;
  postId: string;
  account: string;
  language: string;
  text: string | null;
  image: { url: string; alt: string } | null;
  shareOf: string | null;
  scheduledAt: string;
  publishedAt: string;
}

interface OutboxRow {
  id: number;
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
}

const externalId = (id: number) => `outbox-${id}`;

/**
 * The embedded channel: a post is "published" by writing it to SQLite, shown by GET /api/outbox.
 * The delivery key is unique, so delivering twice stores once.
 */
export class OutboxPublisher implements Publisher {
  readonly channel = 'outbox' as const;
  readonly idempotent = true;

  constructor(private readonly db: Db) {}

  async publish(d: Delivery): Promise<PublishResult> {
    statement(
      this.db,
      `INSERT INTO campaign_outbox (delivery_key, post_id, campaign_id, account, language, text, image_json, share_of, scheduled_at, published_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(delivery_key) DO NOTHING`,
    ).run(
      d.key,
      d.postId,
      d.campaignId,
      d.account,
      d.language,
      d.text,
      d.image ? JSON.stringify(d.image) : null,
      d.shareOf?.externalId ?? null,
      d.scheduledAt,
      new Date().toISOString(),
    );
    return (await this.recover(d)) as PublishResult;
  }

  async recover(d: Delivery): Promise<PublishResult | null> {
    const row = statement(this.db, 'SELECT id FROM campaign_outbox WHERE delivery_key = ?').get(
      d.key,
    ) as { id: number } | undefined;
    return row ? { externalId: externalId(row.id), url: null } : null;
  }

  missingConfiguration(): string[] {
    return [];
  }
}

/** Reads what the outbox published, newest first. */
export function listOutbox(
  db: Db,
  opts: { limit: number; offset: number; campaignId?: string },
): { items: OutboxItem[]; total: number } {
  const where = opts.campaignId ? 'WHERE campaign_id = ?' : '';
  const args = opts.campaignId ? [opts.campaignId] : [];
  const rows = statement(
    db,
    `SELECT * FROM campaign_outbox ${where} ORDER BY id DESC LIMIT ? OFFSET ?`,
  ).all(...args, opts.limit, opts.offset) as OutboxRow[];
  const { n } = statement(db, `SELECT COUNT(*) AS n FROM campaign_outbox ${where}`).get(
    ...args,
  ) as { n: number };
  return {
    total: n,
    items: rows.map((r) => ({
      id: externalId(r.id),
      campaignId: r.campaign_id,
      postId: r.post_id,
      account: r.account,
      language: r.language,
      text: r.text,
      image: r.image_json ? JSON.parse(r.image_json) : null,
      shareOf: r.share_of,
      scheduledAt: r.scheduled_at,
      publishedAt: formatInZone(Date.parse(r.published_at)),
    })),
  };
}

export const outbox = {
  channel: 'outbox' as const,
  create: (ctx: PublisherContext): Publisher => new OutboxPublisher(ctx.db),
};
