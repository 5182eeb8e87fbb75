import { api } from '../lib/api';
import { Staff, StaffSession } from '../lib/auth';
import { announce, clear, h } from '../lib/dom';
import { initLanguageToggle, Lang, lang, onLanguageChange, t } from '../lib/strings';
import { HOME_ZONE } from '../../lib/time-zone';

interface Result {
  id: string;
  kind: 'service' | 'bundle';
  jurisdiction: string;
  name: string;
  deliveredBy: string;
  score: number;
  url: string | null;
  answer: string;
  steps?: Array<{ service: string; name: string; jurisdiction: string }>;
}
interface Answer {
  language: Lang;
  outOfScope: boolean;
  results: Result[];
}
interface Office {
  id: string;
  name: string;
  address: string;
  distanceKm: number;
  openNow: boolean;
  waitMinutes: number;
  waitSource: 'live' | 'predicted' | 'typical';
  waitObservedAt: string | null;
  estimatedMinutes: number | null;
  hoursTodayText: string;
  reason: { message: string } | null;
  mapUrl: string;
}
interface Offices {
  origin: { label: string };
  online: { url: string } | null;
  offices: Office[];
}

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
  const input = h('input', { id: 'caller-words', type: 'search', autocomplete: 'off', maxlength: 500, required: true, 'aria-describedby': 'caller-words-help', value: lastQuestion });
  const select = h('select', { id: 'referral-lang' },
    h('option', { value: 'auto', selected: referralLang === 'auto' }, t('page.sameAsCaller')),
    h('option', { value: 'en', lang: 'en', selected: referralLang === 'en' }, 'English'),
    h('option', { value: 'fr', lang: 'fr', selected: referralLang === 'fr' }, 'Français'));
  const near = h('input', { id: 'caller-near', type: 'text', autocomplete: 'off', maxlength: 80, 'aria-describedby': 'caller-near-help', value: lastNear });
  const form = h('form', { class: 'lookup', role: 'search' },
    h('label', { for: 'caller-words' }, t('page.callerWords')),
    input,
    h('p', { id: 'caller-words-help', class: 'help' }, t('page.callerWordsHelp')),
    h('label', { for: 'caller-near' }, t('page.near')),
    near,
    h('p', { id: 'caller-near-help', class: 'help' }, t('page.nearHelp')),
    h('label', { for: 'referral-lang' }, t('page.referralLanguage')),
    select,
    h('button', { type: 'submit' }, t('page.search')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    lastQuestion = input.value.trim();
    lastNear = near.value.trim();
    referralLang = select.value as Lang | 'auto';
    void search();
  });
  work.append(form, h('section', { id: 'results', 'aria-live': 'polite', 'aria-label': t('page.results') }));
  input.focus();
}

async function search(): Promise<void> {
  const box = resultsBox();
  if (!box || !staff || !lastQuestion) return;
  clear(box);
  box.append(h('p', { role: 'status' }, t('common.loading')));
  const params = new URLSearchParams({ q: lastQuestion });
  if (referralLang !== 'auto') params.set('lang', referralLang);
  try {
    const answer = await api<Answer>(`/api/lookup?${params}`, { token: staff.token });
    renderResults(box, answer);
    const top = answer.results[0];
    if (lastNear && top && top.kind === 'service' && !answer.outOfScope) await renderOffices(box, top, answer.language);
  } catch (err) {
    clear(box);
    box.append(h('p', { class: 'error', role: 'alert' }, auth.handleError(err)));
  }
}

function renderResults(box: HTMLElement, answer: Answer): void {
  clear(box);
  if (answer.outOfScope || answer.results.length === 0) {
    box.append(h('div', { class: 'notice', role: 'alert' }, h('h2', {}, t('page.noMatch')), h('p', {}, t('page.noMatchHelp'))));
    announce(t('page.noMatch'));
    return;
  }
  box.append(h('h2', {}, t('page.resultsFor', { count: answer.results.length })));
  const list = h('ol', { class: 'results' });
  answer.results.forEach((r, i) => {
    list.append(h('li', { class: 'result' },
      h('h3', { lang: answer.language }, h('span', { class: `badge j-${r.jurisdiction}` }, t(`common.${r.jurisdiction}`)), ' ', r.name),
      h('p', { class: 'delivered' }, t('page.deliveredBy'), ' ', h('span', { lang: answer.language }, r.deliveredBy)),
      h('div', { class: 'referral' }, h('h4', {}, t('page.tellCaller')), h('p', { lang: answer.language }, r.answer)),
      r.steps ? h('ol', { class: 'steps', 'aria-label': t('page.steps') }, ...r.steps.map((s) => h('li', { lang: answer.language }, h('span', { class: `badge j-${s.jurisdiction}` }, t(`common.${s.jurisdiction}`)), ' ', s.name))) : null,
      r.url ? h('p', {}, h('a', { href: r.url, rel: 'noopener noreferrer', target: '_blank' }, t('page.online'), h('span', { class: 'visually-hidden' }, ` – ${r.name} (${t('page.newWindow')})`))) : null,
      h('p', { class: 'score' }, t('page.rank', { rank: i + 1, score: Math.round(r.score * 100) }))));
  });
  box.append(list);
  announce(t('page.resultsFor', { count: answer.results.length }));
}

/** The nearest offices for the top service, soonest served first, with their current waits. */
async function renderOffices(box: HTMLElement, service: Result, language: Lang): Promise<void> {
  if (!staff) return;
  const section = h('section', { class: 'offices', 'aria-labelledby': 'offices-title' }, h('h2', { id: 'offices-title' }, t('page.officesFor', { service: service.name, near: lastNear })));
  box.append(section);
  try {
    const params = new URLSearchParams({ service: service.id, near: lastNear, lang: language, limit: '3' });
    const found = await api<Offices>(`/api/offices/nearest?${params}`, { token: staff.token });
    if (found.online) section.append(h('p', {}, h('a', { href: found.online.url, rel: 'noopener noreferrer', target: '_blank' }, t('page.onlineFirst'))));
    if (found.offices.length === 0) {
      section.append(h('p', {}, t('page.noOffice')));
      return;
    }
    section.append(
      h('table', {},
        h('caption', { class: 'visually-hidden' }, t('page.officesFor', { service: service.name, near: found.origin.label })),
        h('thead', {}, h('tr', {}, ...['officeName', 'distance', 'wait', 'served', 'hours'].map((k) => h('th', { scope: 'col' }, t(`page.${k}`))))),
        h('tbody', {}, ...found.offices.map((o) => h('tr', {},
          h('td', { lang: language }, h('a', { href: o.mapUrl, rel: 'noopener noreferrer', target: '_blank' }, o.name), h('br', {}), o.address, o.reason ? h('span', { class: 'error' }, ' – ', o.reason.message) : null),
          h('td', {}, t('page.km', { km: o.distanceKm })),
          h('td', {}, waitText(o)),
          h('td', {}, o.estimatedMinutes === null ? '–' : t('page.minutes', { minutes: o.estimatedMinutes })),
          h('td', { lang: language }, o.openNow ? t('page.openNow') : t('page.closedNow'), ' · ', o.hoursTodayText))))));
    announce(t('page.officesFound', { count: found.offices.length }));
  } catch (err) {
    section.append(h('p', { class: 'error', role: 'alert' }, auth.handleError(err)));
  }
}

function waitText(o: Office): string {
  if (o.waitSource === 'live' && o.waitObservedAt) {
    const time = new Date(o.waitObservedAt).toLocaleTimeString(lang() === 'fr' ? 'fr-CA' : 'en-CA', { hour: '2-digit', minute: '2-digit', timeZone: HOME_ZONE });
    return t('page.waitLive', { minutes: o.waitMinutes, time });
  }
  return t(o.waitSource === 'predicted' ? 'page.waitPredicted' : 'page.waitTypical', { minutes: o.waitMinutes });
}

document.addEventListener('keydown', (e) => {
  const el = document.activeElement;
  const typing = el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement;
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
