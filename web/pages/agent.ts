import { localeOf } from '../../lib/vocabulary';
import { api } from '../lib/api';
import { Staff, StaffSession } from '../lib/auth';
import { announce, clear, h } from '../lib/dom';
import { initLanguageToggle, Lang, lang, onLanguageChange, t } from '../lib/strings';
import { HOME_ZONE } from '../../lib/time-zone';
import { MUNICIPAL_LIST_URL } from '../../knowledge/answer-types';
import type {
  ContactView,
  LookupAnswer,
  LookupResult,
  MunicipalityView,
  NearestAnswer,
  OfficeAnswer,
} from '../../knowledge/answer-types';

type Answer = Omit<LookupAnswer, 'language'> & { language: Lang };
type Result = LookupResult;
type Office = OfficeAnswer;
type Offices = NearestAnswer;

const app = document.getElementById('app') as HTMLElement;
const session = h('div', { class: 'session' });
const work = h('div', { class: 'agent' });
app.append(session, work);
let staff: Staff | null = null;
let lastQuestion = '';
let lastNear = '';
let referralLang: Lang | 'auto' = 'auto';

const auth = new StaffSession(session, ['agent'], (s) => {
  staff = s;
  renderForm();
});

const question = () => document.getElementById('caller-words') as HTMLInputElement | null;
const resultsBox = () => document.getElementById('results') as HTMLElement | null;

function renderForm(): void {
  clear(work);
  const input = h('input', {
    id: 'caller-words',
    type: 'search',
    autocomplete: 'off',
    maxlength: 500,
    required: true,
    'aria-describedby': 'caller-words-help',
    value: lastQuestion,
  });
  const select = h(
    'select',
    { id: 'referral-lang' },
    h('option', { value: 'auto', selected: referralLang === 'auto' }, t('page.sameAsCaller')),
    h('option', { value: 'en', lang: 'en', selected: referralLang === 'en' }, 'English'),
    h('option', { value: 'fr', lang: 'fr', selected: referralLang === 'fr' }, 'Français'),
  );
  const near = h('input', {
    id: 'caller-near',
    type: 'text',
    autocomplete: 'off',
    maxlength: 80,
    'aria-describedby': 'caller-near-help',
    value: lastNear,
  });
  const form = h(
    'form',
    { class: 'lookup', role: 'search' },
    h('label', { for: 'caller-words' }, t('page.callerWords')),
    input,
    h('p', { id: 'caller-words-help', class: 'help' }, t('page.callerWordsHelp')),
    h('label', { for: 'caller-near' }, t('page.near')),
    near,
    h('p', { id: 'caller-near-help', class: 'help' }, t('page.nearHelp')),
    h('label', { for: 'referral-lang' }, t('page.referralLanguage')),
    select,
    h('button', { type: 'submit' }, t('page.search')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    lastQuestion = input.value.trim();
    lastNear = near.value.trim();
    referralLang = select.value as Lang | 'auto';
    void search();
  });
  work.append(
    form,
    h('section', { id: 'results', 'aria-live': 'polite', 'aria-label': t('page.results') }),
  );
  input.focus();
}

async function search(): Promise<void> {
  const box = resultsBox();
  if (!box || !staff || !lastQuestion) return;
  clear(box);
  box.append(h('p', { role: 'status' }, t('common.loading')));
  const params = new URLSearchParams({ q: lastQuestion });
  if (referralLang !== 'auto') params.set('lang', referralLang);
  if (lastNear) params.set('near', lastNear);
  try {
    const answer = await api<Answer>(`/api/lookup?${params}`, { token: staff.token });
    renderResults(box, answer);
    const top = answer.results[0];
    if (lastNear && top && top.kind === 'service' && !answer.outOfScope)
      await renderOffices(box, top, answer.language);
  } catch (err) {
    clear(box);
    box.append(h('p', { class: 'error', role: 'alert' }, auth.handleError(err)));
  }
}

function renderResults(box: HTMLElement, answer: Answer): void {
  clear(box);
  if (answer.outOfScope) {
    box.append(
      h(
        'div',
        { class: 'notice', role: 'alert' },
        h('h2', {}, t('page.noMatch')),
        h('p', {}, t('page.noMatchHelp')),
      ),
    );
    announce(t('page.noMatch'));
    return;
  }
  if (answer.results.length === 0) {
    renderUnsure(box, answer);
    return;
  }
  box.append(h('h2', {}, t('page.resultsFor', { count: answer.results.length })));
  box.append(resultList(answer.results, answer, true));
  announce(t('page.resultsFor', { count: answer.results.length }));
}

function resultList(results: readonly Result[], answer: Answer, ranked: boolean): HTMLElement {
  const list = h('ol', { class: 'results' });
  results.forEach((r, i) => {
    const phones = r.contacts.length ? phoneList(r.contacts, answer.language) : null;
    list.append(
      h(
        'li',
        { class: 'result' },
        h(
          'h3',
          { lang: answer.language },
          h('span', { class: `badge j-${r.jurisdiction}` }, t(`common.${r.jurisdiction}`)),
          ' ',
          r.name,
        ),
        answer.contactRequest ? phones : null,
        h(
          'p',
          { class: 'delivered' },
          t('page.deliveredBy'),
          ' ',
          h('span', { lang: answer.language }, r.deliveredBy),
        ),
        h(
          'div',
          { class: 'referral' },
          h('h4', {}, t('page.tellCaller')),
          h('p', { lang: answer.language }, r.answer),
        ),
        r.jurisdiction === 'municipal' && ranked && i === 0
          ? municipalityBlock(answer.municipality, answer.language)
          : null,
        answer.contactRequest ? null : phones,
        r.steps
          ? h(
              'ol',
              { class: 'steps', 'aria-label': t('page.steps') },
              ...r.steps.map((s) =>
                h(
                  'li',
                  { lang: answer.language },
                  h('span', { class: `badge j-${s.jurisdiction}` }, t(`common.${s.jurisdiction}`)),
                  ' ',
                  s.name,
                ),
              ),
            )
          : null,
        r.url
          ? h(
              'p',
              {},
              h(
                'a',
                { href: r.url, rel: 'noopener noreferrer', target: '_blank' },
                t('page.online'),
                h('span', { class: 'visually-hidden' }, ` – ${r.name} (${t('page.newWindow')})`),
              ),
            )
          : null,
        ranked
          ? h(
              'p',
              { class: 'score' },
              t('page.rank', { rank: i + 1, score: Math.round(r.score * 100) }),
            )
          : null,
      ),
    );
  });
  return list;
}

/** Not sure: say so first, then what is known (federal inventory, likely government), who to call, and the closest records. */
function renderUnsure(box: HTMLElement, answer: Answer): void {
  const who = answer.whoToAsk;
  const likely = who?.jurisdiction
    ? t(`page.likely${who.jurisdiction[0].toUpperCase()}${who.jurisdiction.slice(1)}`)
    : null;
  box.append(
    h(
      'div',
      { class: 'notice', role: 'alert' },
      h('h2', {}, t('page.notSure')),
      h('p', {}, t('page.notSureHelp')),
      likely ? h('p', {}, likely) : null,
    ),
  );
  if (answer.bodies.length)
    box.append(
      listingSection(
        'government-bodies',
        t('page.bodies', { checked: answer.bodies[0].checked }),
        answer.language,
        answer.bodies.map((b) => [
          externalLink(b.url, b.name),
          `: ${b.about}`,
          b.phone ? ' ' : '',
          b.phone ? h('a', { href: `tel:${b.phone}` }, b.phone) : '',
          b.hours ? ` (${b.hours})` : '',
        ]),
      ),
    );
  if (answer.federalServices.length)
    box.append(
      listingSection(
        'federal-services',
        t('page.federalInventory', { year: answer.federalServices[0].asOf }),
        answer.language,
        answer.federalServices.map((f) => [
          f.url ? externalLink(f.url, f.name) : f.name,
          ` (${f.department})`,
        ]),
      ),
    );
  if (who && (who.jurisdiction === 'municipal' || who.municipality))
    box.append(municipalityBlock(who.municipality, answer.language));
  if (who?.contacts.length)
    box.append(
      h('section', {}, h('h3', {}, t('page.whoToCall')), phoneList(who.contacts, answer.language)),
    );
  if (answer.suggestions.length)
    box.append(h('h3', {}, t('page.closest')), resultList(answer.suggestions, answer, false));
  announce(t('page.notSure'));
}

/** A titled list of less detailed listings (government bodies, federal services), each item's parts in the answer's language. */
function listingSection(
  className: string,
  title: string,
  language: Lang,
  items: Array<Array<HTMLElement | string>>,
): HTMLElement {
  return h(
    'section',
    { class: className },
    h('h3', {}, title),
    h('ul', {}, ...items.map((parts) => h('li', { lang: language }, ...parts))),
  );
}

function externalLink(url: string, text: string): HTMLElement {
  return h('a', { href: url, rel: 'noopener noreferrer', target: '_blank' }, text);
}

function phoneList(contacts: readonly ContactView[], language: Lang): HTMLElement {
  return h(
    'div',
    { class: 'phones' },
    h('h4', {}, t('page.phones')),
    h(
      'ul',
      {},
      ...contacts.map((c) => {
        const extras = [
          c.phoneFr ? t('page.inFrench', { phone: c.phoneFr }) : '',
          c.tty ? t('page.tty', { phone: c.tty }) : '',
          c.outsideCanada ? t('page.outsideCanada', { phone: c.outsideCanada }) : '',
        ].filter(Boolean);
        return h(
          'li',
          { lang: language },
          h('strong', {}, c.name),
          ': ',
          h('a', { href: `tel:${c.phone}` }, c.phone),
          extras.length ? ` (${extras.join('; ')})` : '',
          ` – ${c.hours}`,
          c.note ? `. ${c.note}` : '',
        );
      }),
    ),
  );
}

function municipalityBlock(m: MunicipalityView | null, language: Lang): HTMLElement {
  if (!m) {
    return h(
      'div',
      { class: 'municipality' },
      h('h4', {}, t('page.municipality')),
      h(
        'p',
        {},
        t('page.municipalityUnknown'),
        ' ',
        h(
          'a',
          { href: MUNICIPAL_LIST_URL, rel: 'noopener noreferrer', target: '_blank' },
          t('page.list'),
        ),
      ),
    );
  }
  const line = m.line
    ? m.line.is311
      ? t('page.call311') + (m.line.fromOutside ? ` · ${m.line.fromOutside}` : '')
      : t('page.callMunicipal', { phone: m.line.phone })
    : t('page.noMunicipalLine');
  return h(
    'div',
    { class: 'municipality' },
    h('h4', {}, t('page.municipality')),
    h(
      'p',
      { lang: language },
      h('strong', {}, m.name),
      m.matched ? ` – ${t('page.municipalityFrom', { matched: m.matched, name: m.name })}` : '',
    ),
    m.alternatives.length
      ? h('p', {}, t('page.municipalitySeveral', { names: [m.name, ...m.alternatives].join(', ') }))
      : null,
    m.website
      ? h(
          'p',
          {},
          t('page.website'),
          ': ',
          h('a', { href: m.website, rel: 'noopener noreferrer', target: '_blank' }, m.website),
        )
      : null,
    h('p', {}, line),
    m.tier === 'lower' ? h('p', {}, t('page.lowerTier', { area: m.area })) : null,
  );
}

/** The nearest offices for the top service, soonest served first, with their current waits. */
async function renderOffices(box: HTMLElement, service: Result, language: Lang): Promise<void> {
  if (!staff) return;
  const section = h(
    'section',
    { class: 'offices', 'aria-labelledby': 'offices-title' },
    h(
      'h2',
      { id: 'offices-title' },
      t('page.officesFor', { service: service.name, near: lastNear }),
    ),
  );
  box.append(section);
  try {
    const params = new URLSearchParams({
      service: service.id,
      near: lastNear,
      lang: language,
      limit: '3',
    });
    const found = await api<Offices>(`/api/offices/nearest?${params}`, { token: staff.token });
    if (found.online)
      section.append(
        h(
          'p',
          {},
          h(
            'a',
            { href: found.online.url, rel: 'noopener noreferrer', target: '_blank' },
            t('page.onlineFirst'),
          ),
        ),
      );
    if (found.serviceNote) section.append(h('p', { lang: language }, found.serviceNote));
    // Outreach visits and sites nearer than any office (fly-in and remote communities) come first.
    const nearestKm = found.offices[0]?.distanceKm ?? Infinity;
    for (const v of found.outreach.filter((v) => (v.distanceKm ?? Infinity) < nearestKm))
      section.append(
        h(
          'p',
          { lang: language },
          t('page.visit', {
            site: v.siteName,
            date: v.date,
            hours: v.hoursText,
            km: v.distanceKm ?? '–',
          }),
        ),
      );
    for (const site of found.outreachSites)
      section.append(h('p', { lang: language }, site.message));
    if (found.remote) section.append(h('p', { lang: language }, found.remote.message));
    if (found.offices.length === 0) {
      section.append(h('p', {}, t('page.noOffice')));
      return;
    }
    for (const g of found.sameTown)
      section.append(h('p', {}, t('page.sameTown', { count: g.officeIds.length, town: g.town })));
    section.append(
      h(
        'table',
        {},
        h(
          'caption',
          { class: 'visually-hidden' },
          t('page.officesFor', { service: service.name, near: found.origin.label }),
        ),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ...['officeName', 'distance', 'wait', 'served', 'hours'].map((k) =>
              h('th', { scope: 'col' }, t(`page.${k}`)),
            ),
          ),
        ),
        h(
          'tbody',
          {},
          ...found.offices.map((o) =>
            h(
              'tr',
              {},
              h(
                'td',
                { lang: language },
                h('a', { href: o.mapUrl, rel: 'noopener noreferrer', target: '_blank' }, o.name),
                h('br', {}),
                o.address,
                o.reason ? h('span', { class: 'error' }, ' – ', o.reason.message) : null,
                o.notice
                  ? h(
                      'span',
                      { class: 'notice' },
                      h('br', {}),
                      t('page.notice', { notice: o.notice }),
                    )
                  : null,
              ),
              h(
                'td',
                {},
                o.approximateLocation
                  ? t('page.kmApprox', { km: o.distanceKm, town: o.town })
                  : t('page.km', { km: o.distanceKm }),
              ),
              h('td', {}, waitText(o)),
              h(
                'td',
                {},
                o.estimatedMinutes === null
                  ? '–'
                  : t('page.minutes', { minutes: o.estimatedMinutes }),
              ),
              h(
                'td',
                { lang: language },
                o.openNow ? t('page.openNow') : t('page.closedNow'),
                ' · ',
                o.hoursTodayText,
                o.hoursTypical ? ` (${t('page.hoursTypical')})` : '',
              ),
            ),
          ),
        ),
      ),
    );
    announce(t('page.officesFound', { count: found.offices.length }));
  } catch (err) {
    section.append(h('p', { class: 'error', role: 'alert' }, auth.handleError(err)));
  }
}

function waitText(o: Office): string {
  if (o.waitSource === 'live' && o.waitObservedAt) {
    const time = new Date(o.waitObservedAt).toLocaleTimeString(localeOf(lang()), {
      hour: '2-digit',
      minute: '2-digit',
      timeZone: HOME_ZONE,
    });
    return t('page.waitLive', { minutes: o.waitMinutes, time });
  }
  return t(o.waitSource === 'predicted' ? 'page.waitPredicted' : 'page.waitTypical', {
    minutes: o.waitMinutes,
  });
}

document.addEventListener('keydown', (e) => {
  const el = document.activeElement;
  const typing =
    el instanceof HTMLInputElement ||
    el instanceof HTMLTextAreaElement ||
    el instanceof HTMLSelectElement;
  if (e.key === '/' && !typing) {
    e.preventDefault();
    question()?.focus();
  }
});

initLanguageToggle();
onLanguageChange(() => {
  if (!staff) return;
  renderForm();
  if (lastQuestion) void search();
});
void auth.start();
