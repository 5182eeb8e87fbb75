import { approve } from '../../campaigns/approval';
import { AuditLog } from '../../campaigns/audit';
import type { CampaignContext, StaffActor } from '../../campaigns/context';
import { deliveryKey, DeliveryLog } from '../../campaigns/deliveries';
import { pauseAll, resumeAll } from '../../campaigns/lifecycle';
import { CLI } from '../../campaigns/model';
import { CampaignStore } from '../../campaigns/store';
import { type Database, openSharedDatabase } from '../../lib/database';
import { openDatabase } from '../../lib/db';
import { createLogger } from '../../lib/logger';
import { draftPost, scheduledCampaign, STAFF, testStore } from '../helpers/campaign-store';
import { rejection } from '../helpers/campaigns';
import { ENGINES } from '../helpers/databases';

const SO: StaffActor = { kind: 'staff', org: 'serviceontario', role: 'comms', tokenId: 'token-2' };
const now = () => new Date().toISOString();

/** The campaign operations' context over a store, without Redis (no jobs to move). */
function contextOf(store: CampaignStore): CampaignContext {
  return {
    store,
    audit: new AuditLog(store.db),
    deliveries: new DeliveryLog(store.db, store.engine),
    scheduler: null,
    publishers: new Map(),
    blackouts: [],
    logger: createLogger('silent'),
    queueTimeoutMs: 1000,
  };
}

/** A draft joint campaign: one post on each organization's account, so both must approve. */
async function jointDraft(store: CampaignStore): Promise<string> {
  return store.insertCampaign(
    {
      title: 'Joint',
      posts: [draftPost(), draftPost({ account: 'serviceontario' })],
    },
    STAFF,
    now(),
  );
}

describe.each(ENGINES)('the campaigns store (%s)', (engine) => {
  let env: Awaited<ReturnType<typeof testStore>>;
  beforeEach(async () => {
    env = await testStore(engine);
  });
  afterEach(() => env.close());

  it('stores a campaign with its posts and partner share, and reads it back', async () => {
    const id = await env.store.insertCampaign(
      {
        title: 'Passports',
        posts: [
          draftPost({ partnerShare: { afterMinutes: 30, text: null } }),
          draftPost({ channel: 'x', text: { en: 'Two', fr: 'Deux' } }),
        ],
      },
      STAFF,
      now(),
    );
    const campaign = (await env.store.getCampaign(id))!;
    expect(campaign).toMatchObject({ title: 'Passports', status: 'draft', paused: false });
    expect(campaign.posts.map((p) => [p.position, p.account, p.shareOf !== null])).toEqual([
      [0, 'service-canada', false],
      [1, 'serviceontario', true],
      [2, 'service-canada', false],
    ]);
    expect(campaign.posts[2].text).toEqual({ en: 'Two', fr: 'Deux' });
    expect(typeof campaign.posts[0].publishAtMs).toBe('number');
    expect(await env.store.listCampaignIds({ limit: 10, offset: 0 })).toEqual([id]);
    expect(await env.store.listCampaignIds({ status: 'scheduled', limit: 10, offset: 0 })).toEqual(
      [],
    );
  });

  it('records an approval once per organization', async () => {
    const id = await jointDraft(env.store);
    expect(await env.store.addApproval(id, 'service-canada', 't1', now())).toBe(true);
    expect(await env.store.addApproval(id, 'service-canada', 't9', now())).toBe(false);
    expect((await env.store.getCampaign(id))!.approvals).toEqual([
      { org: 'service-canada', tokenId: 't1', at: expect.any(String) },
    ]);
  });

  it('claims a delivery once, then says it is in doubt or done; a take-over is a compare-and-swap', async () => {
    const [post] = (await scheduledCampaign(env.store, [draftPost()])).posts;
    const key = deliveryKey(post.id, 'once', 'en');
    expect(await env.deliveries.claim(key, post.id, 'once', 'en', now())).toEqual({
      kind: 'claimed',
      attempt: 1,
    });
    const doubt = await env.deliveries.claim(key, post.id, 'once', 'en', now());
    expect(doubt).toMatchObject({ kind: 'in-doubt', attempt: 1 });
    expect(await env.deliveries.takeOver(key, 1, now())).toEqual({ kind: 'claimed', attempt: 2 });
    expect(await env.deliveries.takeOver(key, 1, now())).toEqual({ kind: 'taken' });
    await env.deliveries.succeed(key, { externalId: 'ext-1', url: null }, now());
    expect(await env.deliveries.claim(key, post.id, 'once', 'en', now())).toEqual({
      kind: 'done',
      externalId: 'ext-1',
      url: null,
    });
    expect(await env.deliveries.occurrencesDone(post.id, 1)).toEqual(['once']);
  });

  it('claims nothing for a post that moved to another version since its job read it', async () => {
    const [post] = (await scheduledCampaign(env.store, [draftPost()])).posts;
    const key = deliveryKey(post.id, 'once', 'en');
    await env.store.patchPost(post.id, { version: post.version + 1 });
    expect(await env.deliveries.claim(key, post.id, 'once', 'en', now(), post.version)).toEqual({
      kind: 'stale',
    });
    expect(await env.deliveries.get(key)).toBeUndefined();
    expect(
      await env.deliveries.claim(key, post.id, 'once', 'en', now(), post.version + 1),
    ).toMatchObject({ kind: 'claimed' });
  });

  it('writes a publish record only at the version it read', async () => {
    const [post] = (await scheduledCampaign(env.store, [draftPost()])).posts;
    const record = { status: 'published', externalIds: { en: 'a', fr: 'b' }, latenessMs: 12 };
    expect(await env.store.patchPost(post.id, record as never, { version: post.version - 1 })).toBe(
      false,
    );
    expect(await env.store.patchPost(post.id, record as never, { version: post.version })).toBe(
      true,
    );
    expect(await env.store.getPost(post.id)).toMatchObject(record);
    expect(await env.store.renew(post)).toBe(true);
    expect(await env.store.renew(post)).toBe(false);
  });

  it('keeps the audit newest first, redacted', async () => {
    await env.audit.record({ campaignId: 'c', action: 'created', actor: STAFF });
    await env.audit.record({
      campaignId: 'c',
      action: 'rejected',
      actor: STAFF,
      details: { reason: 'call 416-555-0199' },
    });
    await env.audit.record({ action: 'paused_all', actor: CLI });
    const entries = await env.audit.list({ campaignId: 'c', limit: 10 });
    expect(entries.map((e) => e.action)).toEqual(['rejected', 'created']);
    expect(JSON.stringify(entries[0].details)).not.toContain('416-555-0199');
    expect(await env.audit.list({ campaignId: 'c', limit: 10, beforeId: entries[0].id })).toEqual([
      entries[1],
    ]);
    expect((await env.audit.list({ campaignId: null, limit: 10 })).map((e) => e.action)).toEqual([
      'paused_all',
    ]);
  });

  it('keeps settings, and pauses and resumes everything once', async () => {
    await env.store.setSetting('k', 'v1');
    await env.store.setSetting('k', 'v2');
    expect(await env.store.getSetting('k')).toBe('v2');
    await env.store.setSetting('k', null);
    expect(await env.store.getSetting('k')).toBeUndefined();

    await scheduledCampaign(env.store, [draftPost(), draftPost()]);
    const ctx = contextOf(env.store);
    expect(await pauseAll(ctx, CLI, { reason: 'Storm' })).toEqual({
      paused: true,
      changed: true,
      posts: 2,
    });
    expect(await pauseAll(ctx, CLI, {})).toMatchObject({ changed: false });
    expect(await env.store.pausedAll()).toMatchObject({ reason: 'Storm' });
    expect(await resumeAll(ctx, CLI)).toEqual({ paused: false, changed: true, posts: 2 });
    expect(await env.store.pausedAll()).toBeNull();
  });

  it('schedules a joint campaign only when both organizations approved', async () => {
    const id = await jointDraft(env.store);
    const ctx = contextOf(env.store);
    expect((await approve(ctx, id, STAFF)).status).toBe('draft');
    expect(await rejection(approve(ctx, id, STAFF))).toMatchObject({ code: 'already_approved' });
    const scheduled = await approve(ctx, id, SO);
    expect(scheduled.status).toBe('scheduled');
    expect(scheduled.posts.every((p) => p.status === 'scheduled')).toBe(true);
  });
});

describe('two machines on one PostgreSQL', () => {
  let env: Awaited<ReturnType<typeof testStore>>;
  let other: Database;
  let store2: CampaignStore;
  beforeEach(async () => {
    env = await testStore('postgres');
    // A second pool on the same schema: another machine's process.
    const sqlite = openDatabase(':memory:');
    other = openSharedDatabase({ url: env.url, poolMax: 4, sqlite });
    sqlite.close();
    store2 = CampaignStore.open(other);
  });
  afterEach(async () => {
    await other.close();
    await env.close();
  });

  it('never let two claimers of the same delivery both win', async () => {
    const posts = (
      await scheduledCampaign(
        env.store,
        Array.from({ length: 20 }, () => draftPost()),
      )
    ).posts;
    const log2 = new DeliveryLog(store2.db, 'postgres');
    for (const post of posts) {
      const key = deliveryKey(post.id, 'once', 'fr');
      const claims = await Promise.all([
        env.deliveries.claim(key, post.id, 'once', 'fr', now()),
        log2.claim(key, post.id, 'once', 'fr', now()),
      ]);
      expect(claims.filter((c) => c.kind === 'claimed')).toHaveLength(1);
      const takeOvers = await Promise.all([
        env.deliveries.takeOver(key, 1, now()),
        log2.takeOver(key, 1, now()),
      ]);
      expect(takeOvers.filter((c) => c.kind === 'claimed')).toHaveLength(1);
    }
  });

  it('schedules a campaign approved on both machines at once, once', async () => {
    for (let i = 0; i < 5; i++) {
      const id = await jointDraft(env.store);
      const results = await Promise.allSettled([
        approve(contextOf(env.store), id, STAFF),
        approve(contextOf(store2), id, SO),
      ]);
      expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
      const campaign = (await env.store.getCampaign(id))!;
      expect(campaign.status).toBe('scheduled');
      expect(campaign.approvals).toHaveLength(2);
      const actions = (await env.audit.list({ campaignId: id, limit: 10 })).map((e) => e.action);
      expect(actions.filter((a) => a === 'scheduled')).toHaveLength(1);
    }
  });

  it('takes one of two approvals by the same organization at once', async () => {
    const id = await jointDraft(env.store);
    const results = await Promise.allSettled([
      approve(contextOf(env.store), id, STAFF),
      approve(contextOf(store2), id, STAFF),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await env.store.getCampaign(id))!.approvals).toHaveLength(1);
  });

  it('stops everything once when both machines are told at once', async () => {
    const results = await Promise.all([
      pauseAll(contextOf(env.store), CLI, {}),
      pauseAll(contextOf(store2), CLI, {}),
    ]);
    expect(results.filter((r) => r.changed)).toHaveLength(1);
  });
});
