import { announce, clear, h } from '../lib/dom';
import { lang, t } from '../lib/strings';
import {
  addDays,
  addMonths,
  clockTime,
  Day,
  longDay,
  monthLabel,
  monthWeeks,
  mediumDay,
  shortDay,
  today,
  torontoDay,
  torontoHour,
  weekDays,
  weekdayName,
} from './dates';
import { parseTime } from '../../campaigns/time';
import { statusBadge, orgLabel } from './labels';
import { occurrencesBetween } from './recurrence';
import type { CampaignView, PostView } from './types';

/**
 * One post placed on the calendar; a partner's share not yet timed is placed where it is expected,
 * a recurring post at each of its occurrences (`repeat` for all but the first).
 */
export interface Entry {
  campaign: CampaignView;
  post: PostView;
  ms: number;
  estimated: boolean;
  repeat: boolean;
}

/** The posts that fall from `fromMs` (included) to `toMs` (excluded), in time order. */
export function calendarEntries(
  campaigns: readonly CampaignView[],
  fromMs: number,
  toMs: number,
): Entry[] {
  const out: Entry[] = [];
  for (const campaign of campaigns) {
    for (const post of campaign.posts) {
      if (post.repeat) {
        for (const o of occurrencesBetween(post, fromMs, toMs))
          out.push({ campaign, post, ms: o.ms, estimated: false, repeat: o.repeat });
        continue;
      }
      let ms = post.publishAt ? Date.parse(post.publishAt) : NaN;
      let estimated = false;
      if (Number.isNaN(ms) && post.shareOf) {
        const original = campaign.posts.find((p) => p.id === post.shareOf);
        const base = original?.publishedAt ?? original?.publishAt;
        if (base && original?.partnerShare) {
          ms = Date.parse(base) + original.partnerShare.afterMinutes * 60_000;
          estimated = true;
        }
      }
      if (!Number.isNaN(ms) && ms >= fromMs && ms < toMs)
        out.push({ campaign, post, ms, estimated, repeat: false });
    }
  }
  return out.sort((a, b) => a.ms - b.ms || a.campaign.title.localeCompare(b.campaign.title));
}

export type CalendarView = 'month' | 'week';
const FIRST_HOUR = 8;
const LAST_HOUR = 18;

/**
 * The month and week calendar of both organizations' posts, laid out in Toronto time: a real table
 * with column (and, by week, row) headers. Each post is a button naming its time, organization,
 * channel, title and status in words; the status also has a colour and a symbol.
 */
export class Calendar {
  view: CalendarView = 'month';
  anchor: Day = today();
  private campaigns: readonly CampaignView[] = [];
  private readonly grid = h('div', {
    class: 'calendar-scroll',
    tabindex: 0,
    role: 'region',
    'aria-labelledby': 'calendar-period',
  });
  private readonly period = h('h3', { id: 'calendar-period', tabindex: -1 });
  private toggles: Record<CalendarView, HTMLButtonElement> | null = null;

  constructor(private readonly onOpen: (campaignId: string) => void) {
    this.grid.addEventListener('keydown', (e) => {
      if (e.key !== 'PageUp' && e.key !== 'PageDown') return;
      e.preventDefault();
      this.move(e.key === 'PageUp' ? -1 : 1);
      this.period.focus();
    });
  }

  /** The whole calendar section (toolbar, legend, table), in the current language. */
  render(): HTMLElement {
    const toggle = (view: CalendarView) =>
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          'aria-pressed': String(this.view === view),
          onclick: () => this.setView(view),
        },
        t(`page.view_${view}`),
      );
    this.toggles = { month: toggle('month'), week: toggle('week') };
    const section = h(
      'section',
      { class: 'calendar', 'aria-labelledby': 'calendar-title' },
      h('h2', { id: 'calendar-title' }, t('page.calendarTitle')),
      h('p', { class: 'help', id: 'calendar-help' }, t('page.calendarHelp')),
      h(
        'div',
        { class: 'toolbar' },
        h(
          'div',
          { role: 'group', 'aria-label': t('page.viewLabel') },
          this.toggles.month,
          ' ',
          this.toggles.week,
        ),
        h(
          'div',
          { role: 'group', 'aria-label': t('page.navigateLabel') },
          h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              id: 'calendar-previous',
              onclick: () => this.move(-1),
            },
            h('span', { 'aria-hidden': 'true' }, '← '),
            t('page.previous'),
          ),
          ' ',
          h(
            'button',
            { type: 'button', class: 'secondary', onclick: () => this.goTo(today()) },
            t('page.today'),
          ),
          ' ',
          h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              id: 'calendar-next',
              onclick: () => this.move(1),
            },
            t('page.next'),
            h('span', { 'aria-hidden': 'true' }, ' →'),
          ),
        ),
      ),
      this.period,
      this.legend(),
      this.grid,
    );
    this.grid.setAttribute('aria-describedby', 'calendar-help');
    this.draw();
    return section;
  }

  setCampaigns(campaigns: readonly CampaignView[]): void {
    this.campaigns = campaigns;
    this.draw();
  }

  /** Shows the period holding `day` and says so to screen readers. */
  goTo(day: Day): void {
    this.anchor = day;
    this.draw();
    announce(this.period.textContent ?? '');
  }

  private setView(view: CalendarView): void {
    this.view = view;
    if (this.toggles)
      for (const v of ['month', 'week'] as const)
        this.toggles[v].setAttribute('aria-pressed', String(v === view));
    this.goTo(this.anchor);
  }

  private move(step: number): void {
    this.goTo(
      this.view === 'month' ? addMonths(this.anchor, step) : addDays(this.anchor, 7 * step),
    );
  }

  private legend(): HTMLElement {
    const statuses = [
      'draft',
      'scheduled',
      'paused',
      'publishing',
      'published',
      'failed',
      'cancelled',
    ] as const;
    return h(
      'ul',
      { class: 'legend status-legend', 'aria-label': t('page.legend') },
      ...statuses.map((s) => h('li', {}, statusBadge(s))),
    );
  }

  private draw(): void {
    const l = lang();
    const days = this.view === 'month' ? monthWeeks(this.anchor).flat() : weekDays(this.anchor);
    const first = days[0];
    const last = days[days.length - 1];
    this.period.textContent =
      this.view === 'month'
        ? t('page.monthOf', { month: monthLabel(this.anchor, l) })
        : t('page.weekOf', { start: mediumDay(first, l), end: mediumDay(last, l) });
    const byDay = new Map<Day, Entry[]>();
    const midnight = (day: Day) => (parseTime(`${day}T00:00`) as { ms: number }).ms;
    for (const e of calendarEntries(this.campaigns, midnight(first), midnight(addDays(last, 1)))) {
      const day = torontoDay(e.ms);
      byDay.set(day, [...(byDay.get(day) ?? []), e]);
    }
    const count = [...byDay.values()].reduce((n, list) => n + list.length, 0);
    clear(this.grid);
    this.grid.append(
      this.view === 'month' ? this.monthTable(byDay) : this.weekTable(byDay),
      h('p', { class: 'help' }, t('page.postsInPeriod', { count })),
    );
  }

  private header(day: Day, width: 'long' | 'short'): HTMLElement {
    return h(
      'th',
      { scope: 'col', abbr: weekdayName(day, lang(), 'long') },
      width === 'long' ? shortDay(day, lang()) : weekdayName(day, lang(), 'short'),
    );
  }

  private monthTable(byDay: Map<Day, Entry[]>): HTMLElement {
    const weeks = monthWeeks(this.anchor);
    const month = this.anchor.slice(0, 7);
    const now = today();
    return h(
      'table',
      { class: 'calendar-table month' },
      h('caption', { class: 'visually-hidden' }, this.period.textContent),
      h('thead', {}, h('tr', {}, ...weeks[0].map((d) => this.header(d, 'short')))),
      h(
        'tbody',
        {},
        ...weeks.map((week) =>
          h(
            'tr',
            {},
            ...week.map((day) => {
              const entries = byDay.get(day) ?? [];
              return h(
                'td',
                {
                  class: `day${day.slice(0, 7) === month ? '' : ' other-month'}${day === now ? ' today' : ''}`,
                  'aria-current': day === now ? 'date' : null,
                },
                h(
                  'p',
                  { class: 'day-number' },
                  h('span', { 'aria-hidden': 'true' }, String(Number(day.slice(8)))),
                  h(
                    'span',
                    { class: 'visually-hidden' },
                    longDay(day, lang()),
                    day === now ? ` (${t('page.todayMark')})` : '',
                  ),
                ),
                entries.length ? this.list(entries) : null,
              );
            }),
          ),
        ),
      ),
    );
  }

  private weekTable(byDay: Map<Day, Entry[]>): HTMLElement {
    const days = weekDays(this.anchor);
    const hours = new Set<number>();
    for (let hour = FIRST_HOUR; hour <= LAST_HOUR; hour++) hours.add(hour);
    for (const list of byDay.values()) for (const e of list) hours.add(torontoHour(e.ms));
    const now = today();
    return h(
      'table',
      { class: 'calendar-table week' },
      h('caption', { class: 'visually-hidden' }, this.period.textContent),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, t('page.hour')),
          ...days.map((d) => {
            const th = this.header(d, 'long');
            if (d === now)
              th.append(h('span', { class: 'visually-hidden' }, ` (${t('page.todayMark')})`));
            return th;
          }),
        ),
      ),
      h(
        'tbody',
        {},
        ...[...hours]
          .sort((a, b) => a - b)
          .map((hour) =>
            h(
              'tr',
              {},
              h('th', { scope: 'row' }, `${String(hour).padStart(2, '0')}:00`),
              ...days.map((day) => {
                const entries = (byDay.get(day) ?? []).filter((e) => torontoHour(e.ms) === hour);
                return h(
                  'td',
                  { class: `slot${day === now ? ' today' : ''}` },
                  entries.length ? this.list(entries) : null,
                );
              }),
            ),
          ),
      ),
    );
  }

  private list(entries: Entry[]): HTMLElement {
    return h('ul', { class: 'entries' }, ...entries.map((e) => h('li', {}, this.entry(e))));
  }

  private entry(e: Entry): HTMLElement {
    const { post, campaign } = e;
    return h(
      'button',
      {
        type: 'button',
        class: `entry s-${post.status}`,
        'data-campaign': campaign.id,
        'data-post': post.id,
        'data-occurrence': post.repeat ? String(e.ms) : null,
        onclick: () => this.onOpen(campaign.id),
      },
      // First, so that a post that will not go out is seen (and heard) before anything else.
      post.credentials?.length
        ? h(
            'span',
            { class: 'entry-credentials' },
            h('span', { 'aria-hidden': 'true' }, '⚠ '),
            `${t('page.credentialsShort')} `,
          )
        : null,
      h(
        'span',
        { class: 'entry-time' },
        e.estimated ? t('page.about', { time: clockTime(e.ms) }) : clockTime(e.ms),
      ),
      ' ',
      orgLabel(post.organization),
      ' ',
      h('span', { class: 'entry-channel' }, t(`page.channel_${post.channel}`)),
      post.shareOf
        ? h('span', { class: 'entry-share' }, ` (${t('page.partnerShareShort')})`)
        : null,
      e.repeat
        ? h(
            'span',
            { class: 'entry-repeat' },
            h('span', { 'aria-hidden': 'true' }, ' ↻'),
            ` (${t('page.repeatShort')})`,
          )
        : null,
      h('span', { class: 'entry-title' }, campaign.title),
      statusBadge(post.status),
    );
  }
}
