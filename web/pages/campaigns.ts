import { api, ApiError } from '../lib/api';
import { Staff, StaffSession } from '../lib/auth';
import { announce, clear, h } from '../lib/dom';
import { initLanguageToggle, onLanguageChange, t } from '../lib/strings';
import { Calendar } from '../campaigns/calendar';
import { torontoDay } from '../campaigns/dates';
import { Action, CampaignDetails, DetailsMessage } from '../campaigns/details';
import { EditBody, EditForm } from '../campaigns/edit-form';
import { CampaignForm } from '../campaigns/form';
import { approvalSummary, campaignList } from '../campaigns/list';
import type { CampaignView, Organization, Problem } from '../campaigns/types';

const app = document.getElementById('app') as HTMLElement;
const session = h('div', { class: 'session' });
const pageMessage = h('div', { class: 'page-message' });
const body = h('div', { class: 'campaigns' });
app.append(session, pageMessage, body);

const PAGE_SIZE = 200;
const MAX_PAGES = 10;

let staff: Staff | null = null;
let campaigns: CampaignView[] = [];
let selected: string | null = null;
let detailsMessage: DetailsMessage | null = null;
let calendar: Calendar | null = null;
let details: CampaignDetails | null = null;
let form: CampaignForm | null = null;
let editing: EditForm | null = null;
const detailsSlot = h('div', { id: 'details-slot' });
const listSlot = h('div', { id: 'list-slot' });

const auth = new StaffSession(
  session,
  ['comms'],
  (s) => {
    staff = s;
    // /api/me answers one of the two organizations (lib/vocabulary.ts ORGANIZATIONS).
    const org = s.org as Organization;
    calendar = new Calendar(open);
    details = new CampaignDetails(
      org,
      (id, action, payload) => void act(id, action, payload),
      startEdit,
    );
    form = new CampaignForm(org, (payload) => void submit(payload));
    render();
    void load();
  },
  () => {
    staff = null;
    campaigns = [];
    selected = null;
    editing = null;
    clear(body);
    clear(pageMessage);
  },
);

/** A failure in words: 503 means the scheduler is down (scheduled posts are kept), 409 a state that forbids it. */
function errorText(err: unknown): string {
  const message = auth.handleError(err);
  if (!(err instanceof ApiError)) return message;
  if (err.status === 503) return t('page.unavailable');
  if (err.status === 409) return t('page.conflict', { message });
  return message;
}

function showPageError(text: string | null): void {
  clear(pageMessage);
  if (text) pageMessage.append(h('p', { class: 'error', role: 'alert' }, text));
}

function render(): void {
  if (!staff || !calendar || !form) return;
  clear(body);
  body.append(
    h(
      'p',
      { class: 'page-tools' },
      h('a', { href: '#new-campaign', class: 'button-link' }, t('page.writeCampaign')),
      ' ',
      h(
        'button',
        { type: 'button', class: 'secondary', id: 'refresh', onclick: () => void load(true) },
        t('page.refresh'),
      ),
    ),
    calendar.render(),
    detailsSlot,
    listSlot,
    form.render(),
  );
  renderData();
}

function renderData(): void {
  calendar?.setCampaigns(campaigns);
  clear(listSlot);
  listSlot.append(campaignList(campaigns, (id) => open(id, true)));
  renderDetails();
}

function renderDetails(): void {
  clear(detailsSlot);
  const c = campaigns.find((x) => x.id === selected);
  if (editing && editing.campaign.id !== c?.id) editing = null;
  if (c && details)
    detailsSlot.append(
      details.render(c, detailsMessage, renderDetails, !!editing),
      editing ? editing.render() : '',
    );
}

/** Opens the edit form of a campaign, prefilled, with the focus on its heading. */
function startEdit(id: string): void {
  const c = campaigns.find((x) => x.id === id);
  if (!c) return;
  editing = new EditForm(c, (payload) => void saveEdit(c.id, payload), stopEdit);
  detailsMessage = null;
  renderDetails();
  const heading = document.getElementById('edit-campaign-title');
  heading?.focus();
  heading?.scrollIntoView({ block: 'start' });
}

function stopEdit(): void {
  editing = null;
  renderDetails();
  document.getElementById('action-edit')?.focus();
}

/** Sends the edit form's PATCH; on success the details and the calendar show the campaign as saved. */
async function saveEdit(id: string, payload: EditBody): Promise<void> {
  if (!staff || !editing) return;
  if (!payload) {
    editing = null;
    detailsMessage = { kind: 'ok', text: t('page.noChanges') };
    renderDetails();
    document.getElementById('details-title')?.focus();
    return;
  }
  const form = editing;
  form.setBusy(true);
  try {
    const updated = await api<CampaignView>(`/api/campaigns/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      token: staff.token,
      body: payload,
    });
    editing = null;
    campaigns = campaigns.map((c) => (c.id === id ? updated : c));
    detailsMessage = {
      kind: 'ok',
      text: t('page.edited', {
        status: t(`page.status_${updated.status}`),
        approvals: approvalSummary(updated),
      }),
    };
    renderData();
    await load();
    document.getElementById('details-title')?.focus();
  } catch (err) {
    const problems =
      err instanceof ApiError && err.status === 400
        ? (err.details.problems as Problem[] | undefined)
        : undefined;
    if (problems?.length) form.showProblems(problems, payload);
    else form.showError(errorText(err));
  }
}

/** Every campaign of both organizations (the list is paged by the server). */
async function load(say = false): Promise<void> {
  if (!staff) return;
  try {
    const all: CampaignView[] = [];
    for (let page = 0; page < MAX_PAGES; page++) {
      const { items } = await api<{ items: CampaignView[] }>(
        `/api/campaigns?limit=${PAGE_SIZE}&offset=${page * PAGE_SIZE}`,
        { token: staff.token },
      );
      all.push(...items);
      if (items.length < PAGE_SIZE) break;
    }
    campaigns = all;
    // A refresh asked for by the person shows the state now: an earlier action's message is stale.
    if (say) detailsMessage = null;
    showPageError(null);
    renderData();
    if (say) announce(t('page.loaded', { count: campaigns.length }));
  } catch (err) {
    const text = errorText(err);
    if (auth.staff) showPageError(text);
  }
}

/** Shows a campaign's details; from the list, the calendar also moves to its first post. */
function open(id: string, showOnCalendar = false): void {
  selected = id;
  const first = campaigns
    .find((c) => c.id === id)
    ?.posts.map((p) => p.publishAt)
    .filter((x): x is string => !!x)
    .sort((a, b) => Date.parse(a) - Date.parse(b))[0];
  if (showOnCalendar && first) calendar?.goTo(torontoDay(Date.parse(first)));
  detailsMessage = null;
  details?.resetMode();
  if (editing?.campaign.id !== id) editing = null;
  renderDetails();
  const heading = document.getElementById('details-title');
  heading?.focus();
  heading?.scrollIntoView({ block: 'start' });
}

async function act(id: string, action: Action, payload?: unknown): Promise<void> {
  if (!staff) return;
  try {
    const updated = await api<CampaignView>(`/api/campaigns/${encodeURIComponent(id)}/${action}`, {
      method: 'POST',
      token: staff.token,
      body: payload ?? {},
    });
    detailsMessage = {
      kind: 'ok',
      text: t(`page.done_${action}`, {
        status: t(`page.status_${updated.status}`),
        approvals: approvalSummary(updated),
      }),
    };
    campaigns = campaigns.map((c) => (c.id === id ? updated : c));
  } catch (err) {
    const problems =
      err instanceof ApiError ? (err.details.problems as Problem[] | undefined) : undefined;
    detailsMessage = {
      kind: 'error',
      text: problems?.length ? problems.map((p) => p.message).join(' ') : errorText(err),
    };
  }
  await load();
  document.getElementById('details-title')?.focus();
}

async function submit(payload: unknown): Promise<void> {
  if (!staff || !form) return;
  form.setBusy(true);
  try {
    const created = await api<CampaignView & { warnings: Problem[] }>('/api/campaigns', {
      method: 'POST',
      token: staff.token,
      body: payload,
    });
    form.reset();
    selected = created.id;
    details?.resetMode();
    const warnings = created.warnings.map((w) => w.message).join(' ');
    detailsMessage = {
      kind: 'ok',
      text: [t('page.created', { approvals: approvalSummary(created) }), warnings]
        .filter(Boolean)
        .join(' '),
    };
    const first = created.posts.find((p) => p.publishAt);
    if (first?.publishAt) calendar?.goTo(torontoDay(Date.parse(first.publishAt)));
    await load();
    document.getElementById('details-title')?.focus();
  } catch (err) {
    const problems =
      err instanceof ApiError && err.status === 400
        ? (err.details.problems as Problem[] | undefined)
        : undefined;
    if (problems?.length) form.showProblems(problems);
    else form.showError(errorText(err));
  }
}

initLanguageToggle();
onLanguageChange(() => {
  if (!staff) return;
  render();
  void load();
});
void auth.start();
