import { AuditLog } from '../../campaigns/audit';
import { DeliveryLog } from '../../campaigns/deliveries';
import { Actor, PostDraft } from '../../campaigns/model';
import { CampaignStore } from '../../campaigns/store';
import { formatInZone } from '../../campaigns/time';
import { openDatabase } from '../../lib/db';

export const STAFF = {
  kind: 'staff',
  org: 'service-canada',
  role: 'comms',
  tokenId: 'token-1',
} as const satisfies Actor;

/** The campaign tables in a fresh in-memory database. */
export function memoryStore() {
  const db = openDatabase(':memory:');
  const store = new CampaignStore(db);
  return { db, store, deliveries: new DeliveryLog(db), audit: new AuditLog(db) };
}

export function draftPost(o: Partial<PostDraft> & { at?: number } = {}): PostDraft {
  const { at, ...rest } = o;
  return {
    channel: 'outbox',
    account: 'service-canada',
    publishAt: formatInZone(at ?? Date.now() + 3_600_000),
    text: { en: 'Renew online', fr: 'Renouvelez en ligne' },
    image: null,
    repeat: null,
    partnerShare: null,
    ...rest,
  };
}

/** A campaign already approved by everyone: its posts are `scheduled`. */
export function scheduledCampaign(store: CampaignStore, posts: PostDraft[]) {
  const now = new Date().toISOString();
  const id = store.insertCampaign({ title: 'Test', posts }, STAFF, now);
  store.setCampaign(id, { status: 'scheduled' }, now);
  store.movePosts(id, ['draft'], 'scheduled', now);
  return store.getCampaign(id)!;
}
