import type { CampaignDb } from '../store';
import type { CampaignTables } from '../tables';
import { formatInZone } from '../time';
import { Delivery, Publisher, PublishResult } from './publisher';
import type { PublisherContext } from './publisher';

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

const externalId = (id: number) => `outbox-${id}`;

/**
 * The embedded channel: a post is "published" by writing it to the database, shown by GET /api/outbox.
 * The delivery key is unique, so delivering twice stores once.
 */
export class OutboxPublisher implements Publisher {
  readonly channel = 'outbox' as const;
  readonly idempotent = true;

  constructor(private readonly db: CampaignDb) {}

  async publish(d: Delivery): Promise<PublishResult> {
    await this.db
      .insertInto('campaign_outbox')
      .values({
        delivery_key: d.key,
        post_id: d.postId,
        campaign_id: d.campaignId,
        account: d.account,
        language: d.language,
        text: d.text,
        image_json: d.image ? JSON.stringify(d.image) : null,
        share_of: d.shareOf?.externalId ?? null,
        scheduled_at: d.scheduledAt,
        published_at: new Date().toISOString(),
      })
      .onConflict((oc) => oc.column('delivery_key').doNothing())
      .execute();
    return (await this.recover(d)) as PublishResult;
  }

  async recover(d: Delivery): Promise<PublishResult | null> {
    const row = await this.db
      .selectFrom('campaign_outbox')
      .select('id')
      .where('delivery_key', '=', d.key)
      .executeTakeFirst();
    return row ? { externalId: externalId(row.id), url: null } : null;
  }

  missingConfiguration(): string[] {
    return [];
  }
}

/** Reads what the outbox published, newest first. */
export async function listOutbox(
  db: CampaignDb,
  opts: { limit: number; offset: number; campaignId?: string },
): Promise<{ items: OutboxItem[]; total: number }> {
  let q = db.selectFrom('campaign_outbox');
  if (opts.campaignId) q = q.where('campaign_id', '=', opts.campaignId);
  const rows = await q
    .selectAll()
    .orderBy('id', 'desc')
    .limit(opts.limit)
    .offset(opts.offset)
    .execute();
  const { n } = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return {
    total: Number(n),
    items: rows.map((r) => ({
      id: externalId(r.id),
      campaignId: r.campaign_id,
      postId: r.post_id,
      account: r.account,
      language: r.language,
      text: r.text,
      image: r.image_json ? (JSON.parse(r.image_json) as { url: string; alt: string }) : null,
      shareOf: r.share_of,
      scheduledAt: r.scheduled_at,
      publishedAt: formatInZone(Date.parse(r.published_at)),
    })),
  };
}

export const outbox = {
  channel: 'outbox' as const,
  create: (ctx: PublisherContext): Publisher =>
    new OutboxPublisher(ctx.database.kysely.withTables<CampaignTables>()),
};
