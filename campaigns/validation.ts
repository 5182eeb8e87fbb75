import { parseExpression } from 'cron-parser';
import { LANGUAGES } from '../knowledge/schema';
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
export interface Problem {
  path: string;
  code: string;
  params?: Record<string, unknown>;
}

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

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Collects every problem instead of stopping at the first. */
class Checker {
  readonly problems: Problem[] = [];
  add(path: string, code: string, params?: Record<string, unknown>): void {
    this.problems.push(params ? { path, code, params } : { path, code });
  }

  string(v: unknown, path: string, max?: number): string | undefined {
    if (v === undefined || v === null) return void this.add(path, 'required');
    if (typeof v !== 'string') return void this.add(path, 'type', { expected: 'string' });
    if (v.trim() === '') return void this.add(path, 'empty');
    if (max !== undefined && [...v].length > max)
      return void this.add(path, 'too_long', { max, length: [...v].length });
    return v.trim();
  }

  oneOf<T extends string>(
    v: unknown,
    path: string,
    allowed: readonly T[],
    code: string,
  ): T | undefined {
    if (v === undefined || v === null) return void this.add(path, 'required');
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      return void this.add(path, code, {
        value: String(v).slice(0, 40),
        allowed: allowed.join(', '),
      });
    }
    return v as T;
  }

  /** Both languages, each within `max` characters as `channel` counts them. */
  bilingual(
    v: unknown,
    path: string,
    channel: Channel | undefined,
    max: number | undefined,
    missing = 'missing_language',
  ): Bilingual | undefined {
    if (!isObject(v))
      return void (v === undefined || v === null
        ? this.add(path, 'required')
        : this.add(path, 'type', { expected: 'object {en, fr}' }));
    const out: Partial<Bilingual> = {};
    for (const lang of LANGUAGES) {
      const text = v[lang];
      if (typeof text !== 'string' || text.trim() === '') {
        this.add(`${path}.${lang}`, missing, { language: lang });
        continue;
      }
      const length = channel ? textLength(channel, text) : [...text].length;
      if (max !== undefined && length > max)
        this.add(`${path}.${lang}`, 'too_long', { max, length, channel: channel ?? '' });
      else out[lang] = text.trim();
    }
    return out.en !== undefined && out.fr !== undefined ? (out as Bilingual) : undefined;
  }

  /** A future time outside every blackout, returned in Toronto time. */
  time(v: unknown, path: string, ctx: ValidationContext): string | undefined {
    const text = this.string(v, path);
    if (text === undefined) return undefined;
    const parsed = parseTime(text);
    if ('error' in parsed)
      return void this.add(path, parsed.error === 'invalid' ? 'bad_time' : 'nonexistent_time', {
        value: text.slice(0, 40),
      });
    if (parsed.ms <= ctx.now)
      return void this.add(path, 'time_past', {
        value: formatInZone(parsed.ms),
        now: formatInZone(ctx.now),
      });
    const blackout = blackoutAt(parsed.ms, ctx.blackouts);
    if (blackout)
      return void this.add(path, 'time_blackout', {
        value: formatInZone(parsed.ms),
        blackout: blackout.label,
      });
    return formatInZone(parsed.ms);
  }
}

function checkImage(
  c: Checker,
  v: unknown,
  path: string,
  channel: Channel | undefined,
): PostImage | null | undefined {
  if (v === undefined || v === null) return null;
  if (!isObject(v)) return void c.add(path, 'type', { expected: 'object {url, alt}' });
  const url = c.string(v.url, `${path}.url`, LIMITS.url);
  if (url !== undefined && !/^https?:\/\/[^\s/]+\.?[^\s]*$/i.test(url))
    c.add(`${path}.url`, 'bad_url', { value: url.slice(0, 80) });
  const alt = c.bilingual(
    v.alt,
    `${path}.alt`,
    undefined,
    channel ? CHANNEL_LIMITS[channel].maxAlt : undefined,
    'alt_missing',
  );
  return url !== undefined && alt ? { url, alt } : undefined;
}

function checkRepeat(
  c: Checker,
  v: unknown,
  path: string,
  startMs: number | undefined,
): Recurrence | null | undefined {
  if (v === undefined || v === null) return null;
  if (!isObject(v)) return void c.add(path, 'type', { expected: 'object {pattern, timeZone}' });
  const pattern = c.string(v.pattern, `${path}.pattern`, 100);
  const timeZone =
    v.timeZone === undefined ? HOME_ZONE : c.string(v.timeZone, `${path}.timeZone`, 60);
  if (timeZone !== undefined && !isTimeZone(timeZone))
    c.add(`${path}.timeZone`, 'bad_timezone', { value: timeZone.slice(0, 60) });
  if (pattern !== undefined) {
    try {
      parseExpression(pattern, { tz: HOME_ZONE });
      if (pattern.split(/\s+/).length > 5)
        c.add(`${path}.pattern`, 'bad_pattern', { value: pattern });
    } catch {
      c.add(`${path}.pattern`, 'bad_pattern', { value: pattern });
    }
  }
  let until: string | null = null;
  if (v.until !== undefined && v.until !== null) {
    const text = c.string(v.until, `${path}.until`);
    const parsed = text === undefined ? undefined : parseTime(text);
    if (parsed && 'error' in parsed)
      c.add(`${path}.until`, 'bad_time', { value: String(text).slice(0, 40) });
    else if (parsed && startMs !== undefined && parsed.ms <= startMs)
      c.add(`${path}.until`, 'until_before_start');
    else if (parsed) until = formatInZone(parsed.ms);
  }
  let count: number | null = null;
  if (v.count !== undefined && v.count !== null) {
    if (
      !Number.isInteger(v.count) ||
      (v.count as number) < 1 ||
      (v.count as number) > LIMITS.repeatCount
    )
      c.add(`${path}.count`, 'bad_count', { max: LIMITS.repeatCount });
    else count = v.count as number;
  }
  if (pattern === undefined || timeZone === undefined || !isTimeZone(timeZone)) return undefined;
  return { pattern, timeZone, until, count };
}

function checkShare(
  c: Checker,
  v: unknown,
  path: string,
  channel: Channel | undefined,
): PartnerShare | null | undefined {
  if (v === undefined || v === null) return null;
  if (!isObject(v)) return void c.add(path, 'type', { expected: 'object {afterMinutes}' });
  const minutes = v.afterMinutes;
  const ok =
    Number.isInteger(minutes) &&
    (minutes as number) >= 0 &&
    (minutes as number) <= LIMITS.shareMinutes;
  if (!ok) c.add(`${path}.afterMinutes`, 'bad_minutes', { max: LIMITS.shareMinutes });
  const max = channel ? CHANNEL_LIMITS[channel].maxText : undefined;
  const text =
    v.text === undefined || v.text === null
      ? null
      : c.bilingual(v.text, `${path}.text`, channel, max);
  return ok && text !== undefined ? { afterMinutes: minutes as number, text } : undefined;
}

/** Checks one post; `undefined` when it has problems (they are added to the checker). */
function checkPost(
  c: Checker,
  v: unknown,
  path: string,
  ctx: ValidationContext,
): PostDraft | undefined {
  if (!isObject(v)) return void c.add(path, 'type', { expected: 'object' });
  const before = c.problems.length;
  const channel = c.oneOf<Channel>(v.channel, `${path}.channel`, CHANNELS, 'unknown_channel');
  const account = c.oneOf<Account>(v.account, `${path}.account`, ACCOUNTS, 'unknown_account');
  const publishAt = c.time(v.publishAt, `${path}.publishAt`, ctx);
  const text = c.bilingual(
    v.text,
    `${path}.text`,
    channel,
    channel ? CHANNEL_LIMITS[channel].maxText : undefined,
  );
  const image = checkImage(c, v.image, `${path}.image`, channel);
  const startMs = publishAt === undefined ? undefined : (parseTime(publishAt) as { ms: number }).ms;
  const repeat = checkRepeat(c, v.repeat, `${path}.repeat`, startMs);
  const partnerShare = checkShare(c, v.partnerShare, `${path}.partnerShare`, channel);
  if (repeat && partnerShare) c.add(`${path}.partnerShare`, 'share_with_repeat');
  if (c.problems.length > before) return undefined;
  return {
    channel: channel!,
    account: account!,
    publishAt: publishAt!,
    text: text!,
    image: image!,
    repeat: repeat!,
    partnerShare: partnerShare!,
  };
}

/** Validates a new campaign: every problem is listed, none is skipped because another was found. */
export function validateCampaign(
  body: unknown,
  ctx: ValidationContext,
): { draft: CampaignDraft } | { problems: Problem[] } {
  const c = new Checker();
  if (!isObject(body))
    return {
      problems: [{ path: '', code: 'type', params: { expected: 'object {title, posts}' } }],
    };
  const title = c.string(body.title, 'title', LIMITS.title);
  const posts: PostDraft[] = [];
  if (!Array.isArray(body.posts))
    c.add('posts', body.posts === undefined ? 'required' : 'type', { expected: 'array' });
  else if (body.posts.length === 0) c.add('posts', 'no_posts');
  else if (body.posts.length > LIMITS.posts)
    c.add('posts', 'too_many_posts', { max: LIMITS.posts, count: body.posts.length });
  else
    body.posts.forEach((p, i) => {
      const post = checkPost(c, p, `posts[${i}]`, ctx);
      if (post) posts.push(post);
    });
  return c.problems.length ? { problems: c.problems } : { draft: { title: title!, posts } };
}

/** Validates one post (an edited post merged with its stored values, or a new one); path names it in the answer. */
export function validatePost(
  value: unknown,
  path: string,
  ctx: ValidationContext,
): { post: PostDraft } | { problems: Problem[] } {
  const c = new Checker();
  const post = checkPost(c, value, path, ctx);
  return post ? { post } : { problems: c.problems };
}

export function validateTitle(value: unknown): { title: string } | { problems: Problem[] } {
  const c = new Checker();
  const title = c.string(value, 'title', LIMITS.title);
  return title === undefined ? { problems: c.problems } : { title };
}

/** A rejection needs a reason the other organization can act on. */
export function validateReason(
  value: unknown,
  required: boolean,
): { reason: string | null } | { problems: Problem[] } {
  if (!required && (value === undefined || value === null)) return { reason: null };
  const c = new Checker();
  const reason = c.string(value, 'reason', 500);
  return reason === undefined ? { problems: c.problems } : { reason };
}
