import { h } from '../lib/dom';
import { lang, t } from '../lib/strings';
import { formatInstant } from './dates';
import { orgName, statusBadge } from './labels';
import type { CampaignView } from './types';

/** Who approved and who must still approve, in words. */
export function approvalSummary(c: CampaignView): string {
  const approved = c.approvals.approved.map((a) => orgName(a.organization)).join(', ');
  const pending = c.approvals.pending.map(orgName).join(', ');
  return [
    approved && t('page.approvedBy', { orgs: approved }),
    pending && c.status !== 'cancelled' && t('page.waitingFor', { orgs: pending }),
  ]
    .filter(Boolean)
    .join(' ');
}

/** Every campaign, newest first: a table whose titles open the campaign. */
export function campaignList(
  campaigns: readonly CampaignView[],
  open: (id: string) => void,
): HTMLElement {
  const first = (c: CampaignView) =>
    c.posts
      .map((p) => p.publishAt)
      .filter((x): x is string => !!x)
      .sort((a, b) => Date.parse(a) - Date.parse(b))[0] ?? null;
  return h(
    'section',
    { id: 'campaign-list', 'aria-labelledby': 'campaign-list-title' },
    h('h2', { id: 'campaign-list-title' }, t('page.allCampaigns')),
    campaigns.length === 0
      ? h('p', {}, t('page.noCampaigns'))
      : h(
          'div',
          {
            class: 'table-scroll',
            tabindex: 0,
            role: 'region',
            'aria-labelledby': 'campaign-list-title',
          },
          h(
            'table',
            {},
            h('caption', { class: 'visually-hidden' }, t('page.allCampaigns')),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ...['title', 'status', 'approvals', 'posts', 'firstPost'].map((k) =>
                  h('th', { scope: 'col' }, t(`page.col_${k}`)),
                ),
              ),
            ),
            h(
              'tbody',
              {},
              ...campaigns.map((c) =>
                h(
                  'tr',
                  {},
                  h(
                    'th',
                    { scope: 'row' },
                    h(
                      'button',
                      {
                        type: 'button',
                        class: 'link-button',
                        'data-campaign': c.id,
                        onclick: () => open(c.id),
                      },
                      c.title,
                    ),
                  ),
                  h('td', {}, statusBadge(c.status)),
                  h('td', {}, approvalSummary(c)),
                  h('td', {}, String(c.posts.length)),
                  h('td', {}, formatInstant(first(c), lang())),
                ),
              ),
            ),
          ),
        ),
  );
}
