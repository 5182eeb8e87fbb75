import { AuditLog } from '../../campaigns/audit';
import { DeliveryLog } from '../../campaigns/deliveries';
import { Actor, PostDraft } from '../../campaigns/model';
import { CampaignStore } from '../../campaigns/store';
import { formatInZone } from '../../campaigns/time';
import { type Engine, openSharedDatabase } from '../../lib/database';
import { openDatabase } from '../../lib/db';
import { migrateAll } from '../../lib/migrations';
import { SHARED_MIGRATIONS } from '../../bot/migrations';
import { testDatabase } from './databases';

export const STAFF = {
  kind: 'staff',
  org: 'service-canada',
  role: 'comms',
  tokenId: 'token-1',
} as const satisfies Actor;

/** The campaign tables in a fresh migrated database (in-memory SQLite, or a PostgreSQL schema of its own); `close()` drops it. */
export async function testStore(engine: Engine = 'sqlite') {
  const { database, url, close } = await testDatabase(engine);
  const store = CampaignStore.open(database);
  return {
    database,
    url,
    store,
    deliveries: new DeliveryLog(store.db, engine),
    audit: new AuditLog(store.db),
    close,
  };
}

/** The campaign tables in the embedded file of a DATA_DIR (shared with the processes a test starts there). */
export async function fileStore(dir: string) {
  const db = openDatabase(dir);
  const database = openSharedDatabase({ url: '', poolMax: 1, sqlite: db });
  await migrateAll(database, SHARED_MIGRATIONS);
  return { store: CampaignStore.open(database), close: () => db.close() };
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
export async function scheduledCampaign(store: CampaignStore, posts: PostDraft[]) {
  const now = new Date().toISOString();
  const id = await store.insertCampaign({ title: 'Test', posts }, STAFF, now);
  await store.setCampaign(id, { status: 'scheduled' }, now);
  await store.movePosts(id, ['draft'], 'scheduled', now);
  return (await store.getCampaign(id))!;
}
