import {
  CampaignContext,
  campaignError,
  isLive,
  loadCampaign,
  refuseClosed,
  requireInvolved,
  StaffActor,
  syncJobs,
  ValidationFailed,
} from './context';
import {
  ACCOUNT_ORGANIZATION,
  CampaignRecord,
  isCompleted,
  partnerAccount,
  PostDraft,
  PostRecord,
} from './model';
import type { CampaignStore } from './store';
import { formatInZone, parseTime } from './time';
import { isObject } from '../lib/validation';
import { validateEdit } from './validation';

type Obj = Record<string, unknown>;

/** A stored post written back as input, so an edit is validated exactly like a new post. */
function asInput(post: PostRecord): Obj {
  return {
    channel: post.channel,
    account: post.account,
    publishAt: post.publishAt,
    text: post.text,
    image: post.image,
    repeat: post.repeat,
    partnerShare: post.partnerShare,
  };
}

/** Overlays an edit on a stored post: `text` and `image.alt` merge per language, `null` removes an optional part. */
function merge(post: PostRecord, patch: Obj): Obj {
  const out = asInput(post);
  for (const [key, value] of Object.entries(patch)) {
    if (key === 'id') continue;
    const old = out[key];
    if (key === 'text' && isObject(value) && isObject(old)) out.text = { ...old, ...value };
    else if (key === 'image' && isObject(value) && isObject(old)) {
      out.image = {
        ...old,
        ...value,
        alt:
          isObject(value.alt) && isObject(old.alt)
            ? { ...old.alt, ...value.alt }
            : (value.alt ?? old.alt),
      };
    } else out[key] = value;
  }
  return out;
}

const content = (
  p: Pick<PostRecord, 'channel' | 'account' | 'text' | 'image' | 'repeat' | 'partnerShare'>,
) => JSON.stringify([p.channel, p.account, p.text, p.image, p.repeat, p.partnerShare]);

function refuseLocked(post: PostRecord, path: string): void {
  if (post.shareOf)
    throw campaignError(409, 'share_edit', 'shareEdit', {
      postId: post.id,
      of: post.shareOf,
      path,
    });
  if (post.status === 'published')
    throw campaignError(409, 'post_published', 'postPublished', {
      postId: post.id,
      publishedAt: formatInZone(Date.parse(post.publishedAt ?? '')),
    });
  if (post.status === 'publishing')
    throw campaignError(409, 'post_publishing', 'postPublishing', { postId: post.id });
  if (post.status === 'cancelled')
    throw campaignError(409, 'post_cancelled', 'postCancelled', { postId: post.id });
}

/** What the edit asks, read against the campaign: every problem at once, or a 409 for a post that cannot change. */
function plan(ctx: CampaignContext, campaign: CampaignRecord, body: unknown) {
  const checked = validateEdit(
    body,
    { now: Date.now(), blackouts: ctx.blackouts },
    {
      postCount: campaign.posts.filter((p) => !p.shareOf).length,
      find: (id, path) => {
        const post = campaign.posts.find((p) => p.id === id);
        if (post) refuseLocked(post, path);
        return post;
      },
      merge,
    },
  );
  if ('problems' in checked) throw new ValidationFailed(checked.problems);
  return checked.edit;
}

/** Keeps a post's partner share in step with its `partnerShare`. */
async function syncShare(
  store: CampaignStore,
  post: PostRecord,
  draft: PostDraft,
  now: string,
): Promise<void> {
  const share = await store.shareOf(post.id);
  if (!draft.partnerShare) {
    if (share)
      await store.patchPost(
        share.id,
        { status: 'cancelled', version: share.version + 1 },
        undefined,
        now,
      );
    return;
  }
  if (!share)
    return void (await store.insertShare(
      { ...post, channel: draft.channel, account: draft.account, partnerShare: draft.partnerShare },
      now,
    ));
  const partner = partnerAccount(draft.account);
  await store.patchPost(
    share.id,
    {
      channel: draft.channel,
      account: partner,
      org: ACCOUNT_ORGANIZATION[partner],
      text: draft.partnerShare.text,
      status: 'draft',
      publishAt: null,
      publishAtMs: null,
      version: share.version + 1,
      error: null,
    },
    undefined,
    now,
  );
}

/**
 * Edits and reschedules what is not yet published. A change of content (text, image, channel,
 * account, recurrence, partner share) or a new post needs both approvals again; a change of time
 * alone keeps them and moves the jobs.
 */
export async function edit(
  ctx: CampaignContext,
  id: string,
  body: unknown,
  actor: StaffActor,
): Promise<CampaignRecord> {
  const campaign = await loadCampaign(ctx, id);
  // Only an organization that posts in the campaign, or the one that wrote it, may change it.
  if (campaign.createdBy.org !== actor.org) requireInvolved(campaign, actor);
  refuseClosed(campaign);
  if (isCompleted(campaign)) throw campaignError(409, 'campaign_completed', 'completed', { id });
  const { title, edits, additions } = plan(ctx, campaign, body);
  const reapprove = additions.length > 0 || edits.some((e) => content(e.post) !== content(e.draft));
  const now = new Date().toISOString();
  await ctx.store.transaction(async ({ store, audit }) => {
    await store.lockCampaign(id);
    const fresh = await loadCampaign({ store }, id);
    refuseClosed(fresh);
    for (const e of edits)
      refuseLocked(
        fresh.posts.find((p) => p.id === e.post.id)!,
        '',
      );
    if (title !== undefined) await store.setCampaign(id, { title }, now);
    const keepScheduled = !reapprove && fresh.status === 'scheduled';
    for (const { post, draft } of edits) {
      await store.patchPost(
        post.id,
        {
          channel: draft.channel,
          account: draft.account,
          org: ACCOUNT_ORGANIZATION[draft.account],
          publishAt: draft.publishAt,
          publishAtMs: (parseTime(draft.publishAt) as { ms: number }).ms,
          text: draft.text,
          image: draft.image,
          repeat: draft.repeat,
          partnerShare: draft.partnerShare,
          version: post.version + 1,
          status: keepScheduled ? 'scheduled' : 'draft',
          error: null,
          nextAttemptAt: null,
        },
        undefined,
        now,
      );
      if (content(post) !== content(draft)) await syncShare(store, post, draft, now);
    }
    const next = Math.floor(Math.max(-1, ...fresh.posts.map((p) => p.position)) / 2) + 1;
    for (const [k, draft] of additions.entries()) await store.insertPost(id, next + k, draft, now);
    if (reapprove || fresh.status === 'rejected') {
      await store.clearApprovals(id);
      await store.movePosts(id, ['scheduled'], 'draft', now);
      if (fresh.status !== 'draft')
        await store.setCampaign(id, { status: 'draft', rejection: null }, now);
    }
    const moves = edits
      .filter((e) => e.post.publishAt !== e.draft.publishAt)
      .map((e) => ({ id: e.post.id, from: e.post.publishAt, to: e.draft.publishAt }));
    await audit.record(
      {
        campaignId: id,
        action: reapprove ? 'edited' : 'rescheduled',
        actor,
        details: {
          title,
          posts: edits.map((e) => e.post.id),
          added: additions.length,
          moves,
          reapprove,
        },
      },
      now,
    );
  });
  const after = await loadCampaign(ctx, id);
  const unschedule = reapprove
    ? campaign.posts.filter((p) => p.status === 'scheduled')
    : edits.map((e) => e.post);
  const schedule = (await isLive(ctx, after))
    ? after.posts.filter((p) => p.status === 'scheduled' && edits.some((e) => e.post.id === p.id))
    : [];
  await syncJobs(ctx, { unschedule, schedule });
  return after;
}
