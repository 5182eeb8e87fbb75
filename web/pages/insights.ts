import type { Insights } from '../../knowledge/usage/insights-types';
import { api, ApiError } from '../lib/api';
import { StaffSession, Staff } from '../lib/auth';
import { areaMap, horizontalBars, stackedBars } from '../lib/charts';
import { announce, clear, h } from '../lib/dom';
import { initLanguageToggle, lang, onLanguageChange, t } from '../lib/strings';
import { HOME_ZONE } from '../../lib/time-zone';

const app = document.getElementById('app') as HTMLElement;
const session = h('div', { class: 'session' });
const body = h('div', { class: 'insights' });
app.append(session, body);
let staff: Staff | null = null;
let data: Insights | null = null;
const today = new Date();
const iso = (d: Date) => d.toLocaleDateString('en-CA', { timeZone: HOME_ZONE });
let period = { from: iso(new Date(today.getTime() - 29 * 86_400_000)), to: iso(today) };

const auth = new StaffSession(session, ['admin'], (s) => {
  staff = s;
  void load();
});

async function load(): Promise<void> {
  if (!staff) return;
  clear(body);
  body.append(h('p', { role: 'status' }, t('common.loading')));
  try {
    data = await api<Insights>(`/api/insights?from=${period.from}&to=${period.to}`, {
      token: staff.token,
    });
    render();
    announce(t('page.loaded', { from: period.from, to: period.to }));
  } catch (err) {
    const message = auth.handleError(err);
    if (!(err instanceof ApiError && err.status === 401)) {
      clear(body);
      body.append(periodForm(), h('p', { class: 'error', role: 'alert' }, message));
    }
  }
}

function periodForm(): HTMLElement {
  const from = h('input', { type: 'date', id: 'from', value: period.from, required: true });
  const to = h('input', { type: 'date', id: 'to', value: period.to, required: true });
  const form = h(
    'form',
    { class: 'period' },
    h('label', { for: 'from' }, t('page.from')),
    from,
    h('label', { for: 'to' }, t('page.to')),
    to,
    h('button', { type: 'submit' }, t('page.show')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    period = { from: from.value, to: to.value };
    void load();
  });
  return form;
}

async function download(table: string): Promise<void> {
  if (!staff) return;
  try {
    const res = await fetch(
      `/api/insights/export.csv?table=${table}&from=${period.from}&to=${period.to}&lang=${lang()}`,
      { headers: { Authorization: `Bearer ${staff.token}` } },
    );
    if (!res.ok)
      throw new ApiError(
        res.status,
        'export',
        ((await res.json().catch(() => null)) as { error?: { message?: string } } | null)?.error
          ?.message ?? t('common.serverError', { message: String(res.status) }),
      );
    const url = URL.createObjectURL(await res.blob());
    const a = h('a', { href: url, download: `insights-${table}-${period.from}-${period.to}.csv` });
    document.body.append(a);
    a.click();
    a.remove();
    URL.revokeObjectURL(url);
  } catch (err) {
    announce(auth.handleError(err));
  }
}

const pct = (n: number, d: number) => (d ? `${Math.round((n / d) * 100)} %` : '–');

function render(): void {
  if (!data) return;
  const d = data;
  clear(body);
  const jur = ['federal', 'provincial', 'municipal', 'shared'].map((k) => ({
    key: k,
    label: t(`common.${k}`),
    className: `j-${k}`,
  }));
  const unansweredSeries = [
    { key: 'unanswered', label: t('page.unansweredSeries'), className: 'j-none' },
  ];
  body.append(
    periodForm(),
    h(
      'section',
      { 'aria-labelledby': 'totals-title' },
      h('h2', { id: 'totals-title' }, t('page.totals')),
      h(
        'dl',
        { class: 'totals' },
        h('dt', {}, t('page.questions')),
        h('dd', {}, String(d.totals.questions)),
        h('dt', {}, t('page.answered')),
        h('dd', {}, `${d.totals.answered} (${pct(d.totals.answered, d.totals.questions)})`),
        h('dt', {}, t('page.outOfScope')),
        h('dd', {}, String(d.totals.outOfScope + d.totals.fallback)),
        h('dt', {}, t('page.french')),
        h('dd', {}, pct(d.byLanguage.fr, d.byLanguage.en + d.byLanguage.fr)),
      ),
    ),
    h(
      'section',
      { 'aria-labelledby': 'daily-title' },
      h('h2', { id: 'daily-title' }, t('page.perDay')),
      d.perDay.length
        ? stackedBars(
            t('page.perDayChart'),
            t('page.perDaySummary', { days: d.perDay.length, total: d.totals.questions }),
            d.perDay.map((x) => x.day),
            [...jur, ...unansweredSeries],
            d.perDay,
          )
        : h('p', {}, t('page.noData')),
      exportButton('daily'),
    ),
    h(
      'section',
      { 'aria-labelledby': 'services-title' },
      h('h2', { id: 'services-title' }, t('page.servicesAndReferrals')),
      d.byService.length
        ? horizontalBars(
            t('page.byService'),
            d.byService.map((s) => ({
              label: s.name,
              value: s.count,
              className: `j-${s.jurisdiction}`,
            })),
          )
        : h('p', {}, t('page.noData')),
      horizontalBars(t('page.byLanguage'), [
        { label: 'English', value: d.byLanguage.en },
        { label: 'Français', value: d.byLanguage.fr },
      ]),
      horizontalBars(t('page.referrals'), [
        { label: t('page.referralOnline'), value: d.referrals.online },
        { label: t('page.referralOffice'), value: d.referrals.office },
      ]),
      exportButton('services'),
    ),
    h(
      'section',
      { 'aria-labelledby': 'unanswered-title' },
      h('h2', { id: 'unanswered-title' }, t('page.unanswered')),
      h('p', { class: 'help' }, t('page.unansweredHelp')),
      d.unanswered.length
        ? h(
            'table',
            {},
            h('caption', { class: 'visually-hidden' }, t('page.unanswered')),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', { scope: 'col' }, t('page.question')),
                h('th', { scope: 'col' }, t('page.language')),
                h('th', { scope: 'col' }, t('page.count')),
              ),
            ),
            h(
              'tbody',
              {},
              ...d.unanswered.map((u) =>
                h(
                  'tr',
                  {},
                  h('td', { lang: u.language }, u.text),
                  h('td', {}, u.language),
                  h('td', {}, String(u.count)),
                ),
              ),
            ),
          )
        : h('p', {}, t('page.noData')),
      exportButton('unanswered'),
    ),
    h(
      'section',
      { 'aria-labelledby': 'areas-title' },
      h('h2', { id: 'areas-title' }, t('page.areas')),
      d.populationImported ? null : h('p', { class: 'notice' }, t('page.noPopulation')),
      d.areas.some((a) => a.lat !== null)
        ? areaMap(
            t('page.areasMap'),
            d.areas
              .filter((a) => a.lat !== null && a.lon !== null)
              .map((a) => ({
                label: a.fsa,
                lat: a.lat as number,
                lon: a.lon as number,
                value: a.per10k ?? a.count,
                text:
                  a.per10k !== null
                    ? t('page.per10k', { count: a.count, rate: a.per10k })
                    : t('page.countOnly', { count: a.count }),
              })),
          )
        : h('p', {}, t('page.noAreas')),
      d.areas.length
        ? h(
            'table',
            {},
            h('caption', { class: 'visually-hidden' }, t('page.areas')),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', { scope: 'col' }, t('page.fsa')),
                h('th', { scope: 'col' }, t('page.count')),
                h('th', { scope: 'col' }, t('page.rate')),
              ),
            ),
            h(
              'tbody',
              {},
              ...d.areas
                .slice(0, 25)
                .map((a) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, a.fsa),
                    h('td', {}, String(a.count)),
                    h('td', {}, a.per10k === null ? '–' : String(a.per10k)),
                  ),
                ),
            ),
          )
        : null,
      exportButton('areas'),
    ),
  );
}

function exportButton(table: string): HTMLElement {
  return h(
    'button',
    { type: 'button', class: 'secondary', onclick: () => void download(table) },
    t('page.export', { table: t(`page.table_${table}`) }),
  );
}

initLanguageToggle();
onLanguageChange(() => void load());
void auth.start();
