import { Activity, AttachmentLayoutTypes, CardFactory, MessageFactory } from 'botbuilder';
import type { NearestAnswer, OfficeAnswer, VisitAnswer } from '../../knowledge/offices/answer';
import { HOME_ZONE, localTime } from '../../knowledge/offices/time';
import type { Language } from '../../knowledge/schema';
import { localeOf } from '../../lib/vocabulary';
import { adaptiveCard, AdaptiveElement, openUrl, Say, textBlock } from './channel';

/** Times, dates and distances as a person reads them in each language ("09:50" / "09 h 50", "12,3 km"). */
interface Formatters {
  time: Intl.DateTimeFormat;
  date: Intl.DateTimeFormat;
  number: Intl.NumberFormat;
}

/** Intl formatters are costly to build (a large share of an office reply's time): one set per language. */
const FORMATTERS = new Map<Language, Formatters>();
function formattersFor(lang: Language): Formatters {
  let f = FORMATTERS.get(lang);
  if (!f) {
    const locale = localeOf(lang);
    f = {
      time: new Intl.DateTimeFormat(locale, {
        timeZone: HOME_ZONE,
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }),
      date: new Intl.DateTimeFormat(locale, {
        timeZone: HOME_ZONE,
        weekday: 'long',
        day: 'numeric',
        month: 'long',
      }),
      number: new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }),
    };
    FORMATTERS.set(lang, f);
  }
  return f;
}

export class Formats {
  private readonly f: Formatters;

  constructor(
    lang: Language,
    private readonly now: Date,
  ) {
    this.f = formattersFor(lang);
  }

  timeOf(iso: string): string {
    return this.f.time.format(new Date(iso));
  }

  /** A local date YYYY-MM-DD, or the day of an ISO time: "Tuesday, March 18" / "mardi 18 mars". */
  dateOf(dayOrIso: string): string {
    return this.f.date.format(
      new Date(dayOrIso.length === 10 ? `${dayOrIso}T12:00:00Z` : dayOrIso),
    );
  }

  isToday(iso: string): boolean {
    return localTime(new Date(iso)).date === localTime(this.now).date;
  }

  km(n: number): string {
    return this.f.number.format(n);
  }
}

/** What one office's card (or text) shows, in one language. */
export interface OfficeView {
  name: string;
  organization: string;
  subtitle: string;
  /** Why the office cannot serve the person today, when it cannot. */
  reason: string | null;
  facts: { title: string; value: string }[];
  visit: string | null;
  mapUrl: string;
  url: string | null;
}

function waitText(o: OfficeAnswer, say: Say, f: Formats): string {
  if (o.waitSource === 'live' && o.waitObservedAt)
    return say('card.waitLive', { minutes: o.waitMinutes, time: f.timeOf(o.waitObservedAt) });
  return say(o.waitSource === 'predicted' ? 'card.waitPredicted' : 'card.waitTypical', {
    minutes: o.waitMinutes,
  });
}

export function officeView(o: OfficeAnswer, say: Say, f: Formats): OfficeView {
  const organization = say(`organization.${o.organization}`);
  const facts: OfficeView['facts'] = [];
  if (o.available && o.openNow && o.closesAt)
    facts.push({
      title: say('card.now'),
      value: say('card.openUntil', { time: f.timeOf(o.closesAt) }),
    });
  else if (o.available && o.reason) facts.push({ title: say('card.now'), value: o.reason.message });
  const distance = o.approximateLocation ? 'card.distanceApproximate' : 'card.distanceValue';
  facts.push({
    title: say('card.distance'),
    value: say(distance, { km: f.km(o.distanceKm), minutes: o.travelMinutes, town: o.town }),
  });
  facts.push({ title: say('card.wait'), value: waitText(o, say, f) });
  if (o.available && o.estimatedMinutes !== null)
    facts.push({
      title: say('card.served'),
      value: say('card.servedValue', { minutes: o.estimatedMinutes }),
    });
  facts.push({
    title: say('card.hours'),
    value: o.hoursTypical
      ? say('card.hoursTypical', { hours: o.hoursTodayText })
      : o.hoursTodayText,
  });
  facts.push({
    title: say('card.address'),
    value: o.building ? `${o.address} (${o.building})` : o.address,
  });
  if (o.notice) facts.push({ title: say('card.notice'), value: o.notice });
  return {
    name: o.name,
    organization,
    subtitle: o.typeName.includes(organization) ? o.typeName : `${organization} · ${o.typeName}`,
    reason: o.available ? null : (o.reason?.message ?? null),
    facts,
    visit: o.visit ? say('card.visitToday', { hours: o.visit.hoursText }) : null,
    mapUrl: o.mapUrl,
    url: o.url,
  };
}

/** Adaptive Card 1.5: the office's name and organization, why it cannot serve today, its facts, map and page buttons. */
export function officeCard(view: OfficeView, lang: Language, say: Say): Record<string, unknown> {
  const body: AdaptiveElement[] = [
    textBlock(view.name, { size: 'Medium', weight: 'Bolder', style: 'heading' }),
    textBlock(view.subtitle, { isSubtle: true, spacing: 'None' }),
  ];
  if (view.reason) body.push(textBlock(view.reason, { color: 'Attention', weight: 'Bolder' }));
  body.push({ type: 'FactSet', facts: view.facts });
  if (view.visit) body.push(textBlock(view.visit, { color: 'Good' }));
  const actions = [openUrl(say('card.map'), view.mapUrl)];
  if (view.url) actions.push(openUrl(say('card.website'), view.url));
  return adaptiveCard(lang, body, actions);
}

/** The same office as plain text, for channels without cards. */
export function officeText(view: OfficeView, number: number, say: Say): string {
  const lines = [
    say('card.textOffice', { number, name: view.name, organization: view.organization }),
  ];
  if (view.reason) lines.push(view.reason);
  for (const fact of view.facts)
    lines.push(say('card.textLine', { label: fact.title, value: fact.value }));
  if (view.visit) lines.push(view.visit);
  lines.push(say('card.textMap', { url: view.mapUrl }));
  return lines.join('\n');
}

/** The offices: one card each (as a list), or one text message, after a one-line introduction. */
export function officesReply(
  answer: NearestAnswer,
  place: string,
  lang: Language,
  say: Say,
  f: Formats,
  cards: boolean,
): Partial<Activity> {
  const intro = [
    say('intro', { service: answer.service.name, place }),
    ...sameTownLines(answer, say),
  ].join(' ');
  const views = answer.offices.map((o) => officeView(o, say, f));
  if (!cards)
    return MessageFactory.text(
      [intro, ...views.map((v, i) => officeText(v, i + 1, say))].join('\n\n'),
    );
  const reply = MessageFactory.carousel(
    views.map((v) => CardFactory.adaptiveCard(officeCard(v, lang, say))),
    intro,
  );
  reply.attachmentLayout = AttachmentLayoutTypes.List;
  return reply;
}

/**
 * Offices placed only at their town's centre cannot be told apart by distance: say so, and that they
 * are listed by wait ("The 3 offices in Toronto are listed by wait: their exact places are not known here").
 */
export function sameTownLines(answer: NearestAnswer, say: Say): string[] {
  return answer.sameTown.map((g) => say('sameTown', { count: g.officeIds.length, town: g.town }));
}

/** Why nearer offices were left out: "X is closed today: flooding", holidays, closing too soon. */
export function leftOutLines(answer: NearestAnswer, say: Say, f: Formats): string[] {
  return answer.excluded.map((o) => {
    const closure = o.status === 'closure' ? o.closures[0] : undefined;
    if (!closure) return say('leftOut', { office: o.name, reason: o.reason?.message ?? '' });
    if (!closure.until) return say('closedToday', { office: o.name, reason: closure.reason });
    if (f.isToday(closure.until))
      return say('closedUntilToday', {
        office: o.name,
        reason: closure.reason,
        time: f.timeOf(closure.until),
      });
    const until = say('until', { date: f.dateOf(closure.until), time: f.timeOf(closure.until) });
    return say('closedUntil', { office: o.name, reason: closure.reason, until });
  });
}

/** Upcoming outreach visits nearby (how fly-in communities are served), soonest first. */
export function visitLines(
  visits: readonly VisitAnswer[],
  place: string,
  say: Say,
  f: Formats,
): string[] {
  return visits.map((v) => {
    const here = (v.distanceKm ?? 0) < 1;
    const line = say(here ? 'visitHere' : 'visit', {
      organization: say(`organization.${v.organization}`),
      site: v.siteName,
      date: f.dateOf(v.date),
      hours: v.hoursText,
      distance: f.km(v.distanceKm ?? 0),
      place,
    });
    return v.note ? `${line} ${say('visitNote', { note: v.note })}` : line;
  });
}
