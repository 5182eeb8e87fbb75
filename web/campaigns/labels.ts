import { h } from '../lib/dom';
import { t } from '../lib/strings';
import type { CampaignStatus, Organization, PostStatus } from './types';

/** A symbol per status, so a status is told by its word, its symbol and its colour, never colour alone. */
const SYMBOLS: Record<CampaignStatus | PostStatus, string> = {
  draft: '✎',
  scheduled: '◷',
  paused: '‖',
  publishing: '↻',
  published: '✓',
  failed: '✕',
  cancelled: '⊘',
  completed: '✓',
  rejected: '✕',
};

export function statusBadge(status: CampaignStatus | PostStatus): HTMLElement {
  return h(
    'span',
    { class: `status s-${status}` },
    h('span', { 'aria-hidden': 'true' }, `${SYMBOLS[status] ?? ''} `),
    t(`page.status_${status}`),
  );
}

export function orgLabel(org: Organization): HTMLElement {
  return h(
    'span',
    { class: `org o-${org}` },
    h('span', { class: 'org-mark', 'aria-hidden': 'true' }),
    t(`common.org_${org}`),
  );
}

export const orgName = (org: Organization) => t(`common.org_${org}`);
