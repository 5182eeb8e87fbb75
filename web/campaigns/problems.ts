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

/**
 * The problems whose field id is `id` (with the form's `prefix`) or whose path `also` claims, shown
 * above the field; null when there are none.
 */
export function fieldErrors(
  problems: readonly Problem[],
  id: string,
  prefix = '',
  also: (path: string) => boolean = () => false,
): HTMLElement | null {
  const mine = problems.filter((p) => prefix + fieldIdOf(p.path) === id || also(p.path));
  if (!mine.length) return null;
  return h(
    'div',
    { id: `${id}-error`, class: 'field-error' },
    ...mine.map((p) =>
      h(
        'p',
        { class: 'error' },
        h('span', { class: 'visually-hidden' }, `${t('page.errorPrefix')} `),
        p.message,
      ),
    ),
  );
}

/** A form's save button while it saves: the saving label and aria-disabled, then its own label back. */
export function markBusy(button: Element | null | undefined, busy: boolean, label: string): void {
  if (!button) return;
  button.textContent = busy ? t('page.saving') : label;
  if (busy) button.setAttribute('aria-disabled', 'true');
  else button.removeAttribute('aria-disabled');
}

/** Which form a summary belongs to: the prefix of its field ids and its heading's id. */
export interface FormIds {
  prefix: string;
  heading: string;
}
const NEW_FORM: FormIds = { prefix: '', heading: 'new-campaign-title' };

/** Where a summary link takes the focus: the field when the form has it, else its post, else the form's heading. */
function target(path: string, ids: FormIds): HTMLElement | null {
  const id = fieldIdOf(path);
  const post = /^post-(\d+)/.exec(id);
  return (
    document.getElementById(ids.prefix + id) ??
    (post ? document.getElementById(`${ids.prefix}post-${post[1]}-fieldset`) : null) ??
    document.getElementById(ids.heading)
  );
}

/** An error summary (focused after a failed save): how many problems, each a link to its field. */
export function summary(
  problems: Problem[],
  labelOf: (fieldId: string) => string | null,
  ids: FormIds = NEW_FORM,
): HTMLElement {
  const titleId = `${ids.prefix}error-summary-title`;
  return h(
    'div',
    {
      class: 'error-summary',
      role: 'alert',
      tabindex: -1,
      'aria-labelledby': titleId,
    },
    h('h3', { id: titleId }, t('page.problemsTitle', { count: problems.length })),
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
              href: `#${ids.prefix}${fieldIdOf(p.path)}`,
              onclick: (e: Event) => {
                const el = target(p.path, ids);
                if (!el) return;
                e.preventDefault();
                if (!el.matches('input, select, textarea')) el.setAttribute('tabindex', '-1');
                el.focus();
                el.scrollIntoView({ block: 'center' });
              },
            },
            labelOf(ids.prefix + fieldIdOf(p.path))
              ? `${labelOf(ids.prefix + fieldIdOf(p.path))}: ${p.message}`
              : p.message,
          ),
        ),
      ),
    ),
  );
}
