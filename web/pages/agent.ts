import { api } from '../lib/api';
import { Staff, StaffSession } from '../lib/auth';
import { announce, clear, h } from '../lib/dom';
import { initLanguageToggle, Lang, onLanguageChange, t } from '../lib/strings';

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

const app = document.getElementById('app') as HTMLElement;
const session = h('div', { class: 'session' });
const work = h('div', { class: 'agent' });
app.append(session, work);
let staff: Staff | null = null;
let lastQuestion = '';
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
  const form = h('form', { class: 'lookup', role: 'search' },
    h('label', { for: 'caller-words' }, t('page.callerWords')),
    input,
    h('p', { id: 'caller-words-help', class: 'help' }, t('page.callerWordsHelp')),
    h('label', { for: 'referral-lang' }, t('page.referralLanguage')),
    select,
    h('button', { type: 'submit' }, t('page.search')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    lastQuestion = input.value.trim();
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
