import { h } from '../lib/dom';
import { t } from '../lib/strings';
import type { Problem } from './types';

/**
 * The form field a problem's path names: `title` -> title, `posts[1].text.fr` -> post-1-text-fr,
 * `posts[0].image.alt.en` -> post-0-image-alt-en. Paths the form has no field for (a post as a
 * whole, say) give the post's id, post-N.
 */
export function fieldIdOf(path: string): string {
  const m = /^posts\[(\d+)\](?:\.(.+))?$/.exec(path);
  if (!m) return path || 'title';
  return m[2] ? `post-${m[1]}-${m[2].replace(/\./g, '-')}` : `post-${m[1]}`;
}

/** Where a summary link takes the focus: the field when the form has it, else its post, else the form's heading. */
function target(path: string): HTMLElement | null {
  const id = fieldIdOf(path);
  const post = /^post-(\d+)/.exec(id);
  return (
    document.getElementById(id) ??
    (post ? document.getElementById(`post-${post[1]}-fieldset`) : null) ??
    document.getElementById('new-campaign-title')
  );
}

/** An error summary (focused after a failed save): how many problems, each a link to its field. */
export function summary(
  problems: Problem[],
  labelOf: (fieldId: string) => string | null,
): HTMLElement {
  return h(
    'div',
    {
      class: 'error-summary',
      role: 'alert',
      tabindex: -1,
      'aria-labelledby': 'error-summary-title',
    },
    h('h3', { id: 'error-summary-title' }, t('page.problemsTitle', { count: problems.length })),
    h(
      'ul',
      {},
      ...problems.map((p) =>
        h(
          'li',
          {},
          h(
            'a',
            {
              href: `#${fieldIdOf(p.path)}`,
              onclick: (e: Event) => {
                const el = target(p.path);
                if (!el) return;
                e.preventDefault();
                if (!el.matches('input, select, textarea')) el.setAttribute('tabindex', '-1');
                el.focus();
                el.scrollIntoView({ block: 'center' });
              },
            },
            labelOf(fieldIdOf(p.path)) ? `${labelOf(fieldIdOf(p.path))}: ${p.message}` : p.message,
          ),
        ),
      ),
    ),
  );
}
