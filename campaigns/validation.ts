import { parseExpression } from 'cron-parser';
import { z } from 'zod';
import type { Language } from '../lib/vocabulary';
import {
  andThen,
  check,
  isObject,
  Problem,
  problem,
  problemPath,
  validate,
  within,
} from '../lib/validation';
import { CHANNEL_LIMITS, textLength } from './channel-limits';
import {
  Account,
  ACCOUNTS,
  Bilingual,
  CampaignDraft,
  Channel,
  CHANNELS,
  PartnerShare,
  PostDraft,
  PostImage,
  Recurrence,
} from './model';
import { Blackout, blackoutAt, formatInZone, HOME_ZONE, isTimeZone, parseTime } from './time';

/** One thing wrong with a campaign: where (`posts[1].text.fr`), a stable code, and the values its message needs. */
export type { Problem };

export interface ValidationContext {
  now: number;
  blackouts: readonly Blackout[];
}

export const LIMITS = {
  title: 200,
  posts: 200,
  shareMinutes: 7 * 24 * 60,
  repeatCount: 1000,
  url: 2000,
} as const;

// The campaign schemas: every problem is listed (lib/validation), in the order the API has always
// listed them: a post's fields in turn, each field's parts in turn.

type Obj = Record<string, unknown>;
const absent = (v: unknown) => v === undefined || v === null;

type Schema<T> = z.ZodType<T, z.ZodTypeDef, unknown>;

/**
 * An object read by `schema`, or by `schema(value)` when one field's rules depend on another's (a
 * post's limits on its channel); anything else is a `type` problem.
 */
const object = <T>(expected: string, schema: Schema<T> | ((value: Obj) => Schema<T>)) =>
  check<T>((v, ctx) => {
    if (!isObject(v)) return problem(ctx, 'type', { expected });
    return within(typeof schema === 'function' ? schema(v) : schema, v, ctx);
  });

/** Undefined or null is a `required` problem. */
const required = <T>(schema: Schema<T>) =>
  check<T>((v, ctx) => (absent(v) ? problem(ctx, 'required') : within(schema, v, ctx)));

/** Undefined or null reads null: the part is left out. */
const optional = <T>(schema: Schema<T>) =>
  check<T | null>((v, ctx) => (absent(v) ? null : within(schema, v, ctx)));

/** A string that is not blank, at most `max` characters as typed; it reads trimmed. */
const text = (max?: number) =>
  check<string>((v, ctx) => {
    if (absent(v)) return problem(ctx, 'required');
    if (typeof v !== 'string') return problem(ctx, 'type', { expected: 'string' });
    if (v.trim() === '') return problem(ctx, 'empty');
    const length = [...v].length;
    if (max !== undefined && length > max) return problem(ctx, 'too_long', { max, length });
    return v.trim();
  });

const oneOf = <T extends string>(allowed: readonly T[], code: string) =>
  check<T>((v, ctx) => {
    if (absent(v)) return problem(ctx, 'required');
    if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
    return problem(ctx, code, { value: String(v).slice(0, 40), allowed: allowed.join(', ') });
  });

/** Both languages, each within `max` characters as `channel` counts them (code points without one). */
const bilingual = (
  channel: Channel | undefined,
  max: number | undefined,
  missing = 'missing_language',
) => {
  const language = (lang: Language) =>
    check<string>((v, ctx) => {
      if (typeof v !== 'string' || v.trim() === '')
        return problem(ctx, missing, { language: lang });
      const length = channel ? textLength(channel, v) : [...v].length;
      if (max !== undefined && length > max)
        return problem(ctx, 'too_long', { max, length, channel: channel ?? '' });
      return v.trim();
    });
  return required<Bilingual>(
    object('object {en, fr}', z.object({ en: language('en'), fr: language('fr') })),
  );
};

/** A schema for each channel, and one for a post whose channel is wrong; built once (zod schemas are costly to build). */
const perChannel = <T>(build: (channel: Channel | undefined) => T) => {
  const built = new Map([...CHANNELS, undefined].map((c) => [c, build(c)]));
  return (channel: Channel | undefined) => built.get(channel) as T;
};

const title = text(LIMITS.title);
const reason = text(500);
const anyText = text();
const channel = oneOf(CHANNELS, 'unknown_channel');
const account = oneOf<Account>(ACCOUNTS, 'unknown_account');
const postText = perChannel((c) => bilingual(c, c && CHANNEL_LIMITS[c].maxText));

/** A future time outside every blackout, written in Toronto time. */
const time = (vctx: ValidationContext) =>
  andThen(anyText, (value, ctx) => {
    const parsed = parseTime(value);
    if ('error' in parsed) {
      const code = parsed.error === 'invalid' ? 'bad_time' : 'nonexistent_time';
      return problem(ctx, code, { value: value.slice(0, 40) });
    }
    if (parsed.ms <= vctx.now)
      return problem(ctx, 'time_past', {
        value: formatInZone(parsed.ms),
        now: formatInZone(vctx.now),
      });
    const blackout = blackoutAt(parsed.ms, vctx.blackouts);
    if (blackout)
      return problem(ctx, 'time_blackout', {
        value: formatInZone(parsed.ms),
        blackout: blackout.label,
      });
    return formatInZone(parsed.ms);
  });

const imageUrl = andThen(text(LIMITS.url), (url, ctx) =>
  /^https?:\/\/[^\s/]+\.?[^\s]*$/i.test(url)
    ? url
    : problem(ctx, 'bad_url', { value: url.slice(0, 80) }),
);

const image = perChannel((c) =>
  optional<PostImage>(
    object(
      'object {url, alt}',
      z.object({
        url: imageUrl,
        alt: bilingual(undefined, c && CHANNEL_LIMITS[c].maxAlt, 'alt_missing'),
      }),
    ),
  ),
);

function isCronPattern(pattern: string): boolean {
  try {
    parseExpression(pattern, { tz: HOME_ZONE });
    return pattern.split(/\s+/).length <= 5;
  } catch {
    return false;
  }
}

/** A time zone name; without one, Toronto. */
const zoneName = check<string>((v, ctx) =>
  v === undefined
    ? HOME_ZONE
    : within(
        andThen(text(60), (zone, c) =>
          isTimeZone(zone) ? zone : problem(c, 'bad_timezone', { value: zone.slice(0, 60) }),
        ),
        v,
        ctx,
      ),
);

const patternAndZone = z.object({ pattern: text(100), timeZone: zoneName });

// The pattern is read as cron once the pattern and the zone are read: the order the API lists their problems in.
const patternZoneAndCron = patternAndZone.superRefine(({ pattern }, ctx) => {
  if (pattern !== undefined && !isCronPattern(pattern))
    problem(ctx, 'bad_pattern', { value: pattern }, ['pattern']);
});

const until = (startMs: number | undefined) =>
  optional(
    andThen(anyText, (value, ctx) => {
      const parsed = parseTime(value);
      if ('error' in parsed) return problem(ctx, 'bad_time', { value: value.slice(0, 40) });
      if (startMs !== undefined && parsed.ms <= startMs) return problem(ctx, 'until_before_start');
      return formatInZone(parsed.ms);
    }),
  );

const count = optional(
  check<number>((v, ctx) =>
    Number.isInteger(v) && (v as number) >= 1 && (v as number) <= LIMITS.repeatCount
      ? (v as number)
      : problem(ctx, 'bad_count', { max: LIMITS.repeatCount }),
  ),
);

/** A recurrence starting at `startMs`: pattern and zone, then until and count. */
const recurrence = (startMs: number | undefined) =>
  optional<Recurrence>(
    object('object {pattern, timeZone}', () =>
      patternZoneAndCron.and(z.object({ until: until(startMs), count })),
    ),
  );

const minutes = check<number>((v, ctx) =>
  Number.isInteger(v) && (v as number) >= 0 && (v as number) <= LIMITS.shareMinutes
    ? (v as number)
    : problem(ctx, 'bad_minutes', { max: LIMITS.shareMinutes }),
);

const partnerShare = perChannel((c) =>
  optional<PartnerShare>(
    object(
      'object {afterMinutes}',
      z.object({ afterMinutes: minutes, text: optional(postText(c)) }),
    ),
  ),
);

/** A post; its length limits follow its channel, its recurrence starts at its publish time. */
const post = (vctx: ValidationContext) => {
  const publishAt = time(vctx);
  return object<PostDraft>('object', (raw) => {
    const c = CHANNELS.find((name) => name === raw.channel);
    const at = publishAt.safeParse(raw.publishAt);
    // A post repeats once its pattern and zone are read, whatever else its recurrence gets wrong.
    const repeats = isObject(raw.repeat) && patternAndZone.safeParse(raw.repeat).success;
    return z
      .object({
        channel,
        account,
        publishAt,
        text: postText(c),
        image: image(c),
        repeat: recurrence(at.success ? Date.parse(at.data) : undefined),
        partnerShare: partnerShare(c),
      })
      .superRefine((p, ctx) => {
        if (repeats && p.partnerShare) problem(ctx, 'share_with_repeat', {}, ['partnerShare']);
      });
  });
};

const posts = (vctx: ValidationContext) => {
  const each = z.array(post(vctx));
  return check<PostDraft[]>((v, ctx) => {
    if (!Array.isArray(v))
      return problem(ctx, v === undefined ? 'required' : 'type', { expected: 'array' });
    if (v.length === 0) return problem(ctx, 'no_posts');
    if (v.length > LIMITS.posts)
      return problem(ctx, 'too_many_posts', { max: LIMITS.posts, count: v.length });
    return within(each, v, ctx);
  });
};

/** Validates a new campaign: every problem is listed, none is skipped because another was found. */
export function validateCampaign(
  body: unknown,
  vctx: ValidationContext,
): { draft: CampaignDraft } | { problems: Problem[] } {
  const campaign = object('object {title, posts}', z.object({ title, posts: posts(vctx) }));
  const checked = validate(campaign, body);
  return 'problems' in checked ? checked : { draft: checked.value };
}

/** A rejection needs a reason the other organization can act on. */
export function validateReason(
  value: unknown,
  required: boolean,
): { reason: string | null } | { problems: Problem[] } {
  if (!required && absent(value)) return { reason: null };
  const checked = validate(reason, value, 'reason');
  return 'problems' in checked ? checked : { reason: checked.value };
}

/** What an edit asks, read: a new title, stored posts with their edited values, new posts. */
export interface EditDraft<P> {
  title?: string;
  edits: { post: P; draft: PostDraft }[];
  additions: PostDraft[];
}

/** The campaign an edit applies to, as its validation needs it. */
export interface EditTarget<P> {
  /** How many posts it has, its partners' shares left out (the limit counts the new ones with them). */
  postCount: number;
  /** The stored post an edit names (undefined: none); throws when that post cannot be edited. */
  find(id: unknown, path: string): P | undefined;
  /** The stored post with the edit laid over it, written as input: it is then read as a new post. */
  merge(post: P, patch: Obj): Obj;
}

type Patch<P> = { post: P; draft: PostDraft } | { draft: PostDraft };

/**
 * An edit of a campaign: `{ title?, posts? }` where each post with an `id` edits that post (merged
 * with its stored values, then read like a new post) and each post without one is added. Every
 * problem is listed, in the order of the fields; a post that cannot be edited throws its own error.
 */
export function validateEdit<P>(
  body: unknown,
  vctx: ValidationContext,
  target: EditTarget<P>,
): { edit: EditDraft<P> } | { problems: Problem[] } {
  const newPost = post(vctx);
  const patch = check<Patch<P>>((v, ctx) => {
    if (!isObject(v)) return problem(ctx, 'type', { expected: 'object' });
    if (v.id === undefined) {
      const draft = within(newPost, v, ctx);
      return draft && { draft };
    }
    // Read within `posts`: the path below it is the post's place, `[1]`.
    const stored = target.find(v.id, problemPath(ctx.path, 'posts'));
    if (!stored) return problem(ctx, 'unknown_post', { value: String(v.id).slice(0, 80) }, ['id']);
    const draft = within(newPost, target.merge(stored, v), ctx);
    return draft && { post: stored, draft };
  });
  const patches = z.array(patch);
  const edits = z.object({
    title: check<string | undefined>((v, ctx) => (v === undefined ? v : within(title, v, ctx))),
    posts: check<Patch<P>[] | undefined>((v, ctx) => {
      if (v === undefined) return v;
      if (!Array.isArray(v)) return problem(ctx, 'type', { expected: 'array' });
      const count = target.postCount + v.filter((p) => isObject(p) && p.id === undefined).length;
      if (count > LIMITS.posts) problem(ctx, 'too_many_posts', { max: LIMITS.posts, count });
      return within(patches, v, ctx);
    }),
  });
  const schema = check((v, ctx) => {
    if (!isObject(v)) return problem(ctx, 'type', { expected: 'object {title, posts}' });
    if (v.title === undefined && v.posts === undefined) return problem(ctx, 'nothing_to_change');
    return within(edits, v, ctx);
  });
  const checked = validate(schema, body);
  if ('problems' in checked) return checked;
  const read = checked.value!;
  const all = read.posts ?? [];
  return {
    edit: {
      ...(read.title === undefined ? {} : { title: read.title }),
      edits: all.filter((p): p is { post: P; draft: PostDraft } => 'post' in p),
      additions: all.filter((p) => !('post' in p)).map((p) => p.draft),
    },
  };
}
