import { h } from '../lib/dom';
import { lang, t } from '../lib/strings';
import { formatInstant } from './dates';
import { canEdit } from './edit-form';
import { orgLabel, orgName, statusBadge } from './labels';
import type { CampaignView, Organization, PostView } from './types';

export type Action = 'approve' | 'reject' | 'cancel' | 'pause' | 'resume';

/** What the signed-in organization may do with a campaign now (the server still has the last word). */
export function allowedActions(c: CampaignView, org: Organization): Action[] {
  if (!c.approvals.required.includes(org)) return [];
  const open = !['cancelled', 'completed'].includes(c.status);
  const out: Action[] = [];
  if (c.status === 'draft' && c.approvals.pending.includes(org)) out.push('approve');
  if (open && c.status !== 'rejected') out.push('reject');
  if (open && c.status !== 'rejected') out.push(c.paused ? 'resume' : 'pause');
  if (open) out.push('cancel');
  return out;
}

/** The credentials problems that will stop a post, each said in words with a warning sign. */
function credentialProblems(p: PostView): HTMLElement | null {
  if (!p.credentials?.length) return null;
  return h(
    'ul',
    { class: 'credential-problems', 'aria-label': t('page.credentialProblems') },
    ...p.credentials.map((f) =>
      h(
        'li',
        { class: 'warning', 'data-code': f.code },
        h('span', { 'aria-hidden': 'true' }, '⚠ '),
        f.message,
      ),
    ),
  );
}

/** Above the posts: how many of them will not go out unless an account is reconnected. */
function credentialsNotice(c: CampaignView): HTMLElement | null {
  const count = c.posts.filter((p) => p.credentials?.length).length;
  if (!count) return null;
  return h(
    'p',
    { class: 'notice credentials-notice' },
    h('span', { 'aria-hidden': 'true' }, '⚠ '),
    t('page.credentialsNotice', { count }),
  );
}

export interface DetailsMessage {
  kind: 'ok' | 'error';
  text: string;
}

/**
 * One campaign: its approval state per organization, the actions the signed-in organization may
 * take (rejecting asks for a reason, cancelling asks for a confirmation), and each post's status.
 */
export class CampaignDetails {
  private mode: 'idle' | 'reject' | 'cancel' = 'idle';
  private reason = '';

  constructor(
    private readonly org: Organization,
    private readonly act: (id: string, action: Action, body?: unknown) => void,
    private readonly onEdit: (id: string) => void = () => undefined,
  ) {}

  /** Forget an open rejection form or confirmation (another campaign was opened). */
  resetMode(): void {
    this.mode = 'idle';
    this.reason = '';
  }

  render(
    c: CampaignView,
    message: DetailsMessage | null,
    rerender: () => void,
    editing = false,
  ): HTMLElement {
    const approvedAt = (org: Organization) =>
      c.approvals.approved.find((a) => a.organization === org)?.at ?? null;
    return h(
      'section',
      { id: 'campaign-details', class: 'campaign-details', 'aria-labelledby': 'details-title' },
      h(
        'h2',
        { id: 'details-title', tabindex: -1 },
        t('page.detailsTitle'),
        ' ',
        h('span', { class: 'campaign-name' }, c.title),
      ),
      h(
        'p',
        {},
        t('page.campaignStatus'),
        ' ',
        statusBadge(c.status),
        ' ',
        t('page.createdBy', {
          org: orgName(c.createdBy.organization),
          at: formatInstant(c.createdAt, lang()),
        }),
      ),
      c.pausedAll ? h('p', { class: 'notice' }, t('page.pausedAll')) : null,
      credentialsNotice(c),
      message
        ? h(
            'p',
            {
              class: message.kind === 'error' ? 'error message' : 'message ok',
              role: message.kind === 'error' ? 'alert' : 'status',
            },
            message.text,
          )
        : null,
      h('h3', {}, t('page.approvals')),
      h(
        'table',
        { class: 'approvals' },
        h('caption', { class: 'visually-hidden' }, t('page.approvals')),
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', { scope: 'col' }, t('page.organization')),
            h('th', { scope: 'col' }, t('page.approval')),
          ),
        ),
        h(
          'tbody',
          {},
          ...c.approvals.required.map((org) => {
            const at = approvedAt(org);
            const rejected = c.rejection?.organization === org;
            return h(
              'tr',
              {},
              h('th', { scope: 'row' }, orgLabel(org)),
              h(
                'td',
                {},
                at
                  ? h(
                      'span',
                      { class: 'approval yes' },
                      h('span', { 'aria-hidden': 'true' }, '✓ '),
                      t('page.approvedAt', { at: formatInstant(at, lang()) }),
                    )
                  : rejected
                    ? h(
                        'span',
                        { class: 'approval no' },
                        h('span', { 'aria-hidden': 'true' }, '✕ '),
                        t('page.rejectedAt', {
                          at: formatInstant(c.rejection?.at ?? null, lang()),
                        }),
                      )
                    : h(
                        'span',
                        { class: 'approval pending' },
                        h('span', { 'aria-hidden': 'true' }, '… '),
                        t('page.approvalPending'),
                      ),
              ),
            );
          }),
        ),
      ),
      c.rejection
        ? h(
            'p',
            { class: 'notice' },
            t('page.rejectionReason', { org: orgName(c.rejection.organization) }),
            ' ',
            h('q', {}, c.rejection.reason),
          )
        : null,
      h('h3', {}, t('page.yourActions', { org: orgName(this.org) })),
      this.actions(c, rerender),
      canEdit(c, this.org)
        ? h(
            'p',
            {},
            h(
              'button',
              {
                type: 'button',
                id: 'action-edit',
                class: 'secondary',
                'aria-expanded': String(editing),
                'aria-controls': editing ? 'edit-campaign' : null,
                onclick: () => this.onEdit(c.id),
              },
              t('page.action_edit'),
            ),
          )
        : null,
      h('h3', {}, t('page.posts')),
      this.posts(c),
    );
  }

  private actions(c: CampaignView, rerender: () => void): HTMLElement {
    const allowed = allowedActions(c, this.org);
    if (!allowed.length) {
      return h(
        'p',
        {},
        c.approvals.required.includes(this.org)
          ? t('page.nothingToDo')
          : t('page.notInvolved', { org: orgName(this.org) }),
      );
    }
    if (this.mode === 'reject') {
      const area = h('textarea', {
        id: 'reject-reason',
        rows: 3,
        maxlength: 500,
        'aria-describedby': 'reject-reason-help',
      });
      area.value = this.reason;
      area.addEventListener('input', () => (this.reason = area.value));
      const form = h(
        'form',
        { class: 'inline-form', novalidate: true },
        h('label', { for: 'reject-reason' }, t('page.rejectReason')),
        h('p', { id: 'reject-reason-help', class: 'help' }, t('page.rejectReasonHelp')),
        area,
        h(
          'div',
          {},
          h('button', { type: 'submit' }, t('page.sendRejection')),
          ' ',
          h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              onclick: () => this.setMode('idle', rerender, 'action-reject'),
            },
            t('page.back'),
          ),
        ),
      );
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        this.mode = 'idle';
        this.act(c.id, 'reject', { reason: this.reason });
      });
      window.setTimeout(() => area.focus(), 0);
      return form;
    }
    if (this.mode === 'cancel') {
      const yes = h(
        'button',
        {
          type: 'button',
          class: 'danger',
          onclick: () => {
            this.mode = 'idle';
            this.act(c.id, 'cancel');
          },
        },
        t('page.confirmCancel'),
      );
      window.setTimeout(() => yes.focus(), 0);
      return h(
        'div',
        { class: 'confirm', role: 'group', 'aria-labelledby': 'cancel-question' },
        h('p', { id: 'cancel-question' }, t('page.cancelQuestion')),
        yes,
        ' ',
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            onclick: () => this.setMode('idle', rerender, 'action-cancel'),
          },
          t('page.keepCampaign'),
        ),
      );
    }
    const button = (action: Action, onclick: () => void) =>
      h(
        'button',
        {
          type: 'button',
          id: `action-${action}`,
          class: action === 'approve' || action === 'resume' ? '' : 'secondary',
          onclick,
        },
        t(`page.action_${action}`),
      );
    return h(
      'div',
      { class: 'actions' },
      ...allowed.flatMap((a) => [
        button(a, () =>
          a === 'reject' || a === 'cancel' ? this.setMode(a, rerender) : this.act(c.id, a),
        ),
        ' ',
      ]),
    );
  }

  private setMode(
    mode: 'idle' | 'reject' | 'cancel',
    rerender: () => void,
    focusId?: string,
  ): void {
    this.mode = mode;
    rerender();
    if (focusId) document.getElementById(focusId)?.focus();
  }

  private posts(c: CampaignView): HTMLElement {
    const position = new Map(c.posts.map((p, i) => [p.id, i + 1]));
    const cols = ['post', 'publishAt', 'status', 'publishedAt', 'attempts', 'externalId', 'text'];
    return h(
      'div',
      { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': t('page.posts') },
      h(
        'table',
        { class: 'posts' },
        h('caption', { class: 'visually-hidden' }, t('page.posts')),
        h(
          'thead',
          {},
          h('tr', {}, ...cols.map((k) => h('th', { scope: 'col' }, t(`page.col_${k}`)))),
        ),
        h(
          'tbody',
          {},
          ...c.posts.map((p, i) =>
            h(
              'tr',
              {},
              h(
                'th',
                { scope: 'row' },
                t('page.postNumber', { n: i + 1 }),
                h('br'),
                t(`page.channel_${p.channel}`),
                h('br'),
                orgLabel(p.organization),
                p.shareOf
                  ? h(
                      'p',
                      { class: 'help' },
                      t('page.shareOf', { n: position.get(p.shareOf) ?? '?' }),
                    )
                  : null,
              ),
              h('td', {}, this.when(c, p)),
              h(
                'td',
                {},
                statusBadge(p.status),
                p.error ? h('p', { class: 'error' }, p.error.message) : null,
                credentialProblems(p),
              ),
              h(
                'td',
                {},
                formatInstant(p.publishedAt, lang()),
                p.url && /^https?:\/\//i.test(p.url)
                  ? h(
                      'p',
                      {},
                      h('a', { href: p.url, rel: 'noopener noreferrer' }, t('page.viewPost')),
                    )
                  : null,
              ),
              h('td', {}, String(p.attempts)),
              h('td', { class: 'external-id' }, p.externalId ?? '–'),
              h(
                'td',
                { class: 'post-text' },
                p.text
                  ? h('p', { lang: 'en' }, h('span', { class: 'lang-tag' }, 'EN '), p.text.en)
                  : h('p', {}, t('page.repostAsIs')),
                p.text
                  ? h('p', { lang: 'fr' }, h('span', { class: 'lang-tag' }, 'FR '), p.text.fr)
                  : null,
                p.image
                  ? h(
                      'p',
                      { class: 'help' },
                      t('page.imageWithAlt'),
                      ' ',
                      h('span', { lang: lang() }, p.image.alt[lang()]),
                    )
                  : null,
              ),
            ),
          ),
        ),
      ),
    );
  }

  private when(c: CampaignView, p: PostView): string {
    if (p.publishAt)
      return (
        formatInstant(p.publishAt, lang()) +
        (p.repeat ? ` (${t('page.repeats', { pattern: p.repeat.pattern })})` : '')
      );
    const original = c.posts.find((o) => o.id === p.shareOf);
    return original?.partnerShare
      ? t('page.shareTiming', { minutes: original.partnerShare.afterMinutes })
      : '–';
  }
}
