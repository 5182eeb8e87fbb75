import { CHANNELS } from '../../campaigns/model';
import { h } from '../lib/dom';
import { t } from '../lib/strings';
import { channelRule, Counter } from './counter';
import { torontoWallClock } from './dates';
import { fieldErrors, fieldIdOf, FormIds, markBusy, summary } from './problems';
import type { CampaignView, Channel, PostView, Problem } from './types';
import type { Organization } from '../../lib/vocabulary';

const IDS: FormIds = { prefix: 'edit-', heading: 'edit-campaign-title' };
const LOCKED: readonly string[] = ['published', 'publishing', 'cancelled'];

/** The API edits a campaign until it is cancelled or completed (campaigns/editing.ts). */
/** The API lets the organization that wrote a campaign, or one whose account posts in it, edit it while it is open. */
export const canEdit = (c: CampaignView, org: Organization) =>
  !['cancelled', 'completed'].includes(c.status) &&
  (c.createdBy.organization === org || c.approvals.required.includes(org));
/** A post the API still edits: not a partner's share, not published, publishing or cancelled. */
export const canEditPost = (p: PostView) => !p.shareOf && !LOCKED.includes(p.status);

/** What a save sends: null when nothing changed. */
export type EditBody = { title?: string; posts?: Record<string, unknown>[] } | null;

interface PostState {
  channel: Channel;
  publishAt: string;
  textEn: string;
  textFr: string;
  altEn: string;
  altFr: string;
}

const stateOf = (p: PostView): PostState => ({
  channel: p.channel,
  publishAt: p.publishAt ? torontoWallClock(Date.parse(p.publishAt)) : '',
  textEn: p.text?.en ?? '',
  textFr: p.text?.fr ?? '',
  altEn: p.image?.alt.en ?? '',
  altFr: p.image?.alt.fr ?? '',
});

/**
 * The edit form of one campaign: its title and, for each post the API still edits, the texts, the
 * channel, the publish time (Toronto) and the image's alt text, prefilled. Saving sends one PATCH
 * with only what changed, so an untouched post is not validated again (its time may have passed).
 */
export class EditForm {
  private title: string;
  private readonly posts: Map<string, PostState>;
  private problems: Problem[] = [];
  private error: string | null = null;
  private busy = false;
  private section: HTMLElement | null = null;

  constructor(
    readonly campaign: CampaignView,
    private readonly onSave: (body: EditBody) => void,
    private readonly onCancel: () => void,
  ) {
    this.title = campaign.title;
    this.posts = new Map(campaign.posts.filter(canEditPost).map((p) => [p.id, stateOf(p)]));
  }

  /** The PATCH body: the title if changed, each changed post with its id and changed fields; null when nothing changed. */
  body(): EditBody {
    const out: { title?: string; posts?: Record<string, unknown>[] } = {};
    if (this.title !== this.campaign.title) out.title = this.title;
    const posts = this.campaign.posts.flatMap((p) => {
      const now = this.posts.get(p.id);
      if (!now) return [];
      const was = stateOf(p);
      const patch: Record<string, unknown> = {};
      if (now.channel !== was.channel) patch.channel = now.channel;
      if (now.publishAt !== was.publishAt) patch.publishAt = now.publishAt;
      if (now.textEn !== was.textEn || now.textFr !== was.textFr)
        patch.text = { en: now.textEn, fr: now.textFr };
      if (p.image && (now.altEn !== was.altEn || now.altFr !== was.altFr))
        patch.image = { alt: { en: now.altEn, fr: now.altFr } };
      return Object.keys(patch).length ? [{ id: p.id, ...patch }] : [];
    });
    if (posts.length) out.posts = posts;
    return Object.keys(out).length ? out : null;
  }

  /**
   * The API's 400: its paths count the posts sent (posts[0] is the first changed post); the form
   * numbers them as the campaign does, so each problem lands next to its field.
   */
  showProblems(problems: Problem[], sent: { posts?: Record<string, unknown>[] }): void {
    const index = (j: number) => this.campaign.posts.findIndex((p) => p.id === sent.posts?.[j]?.id);
    this.problems = problems.map((p) => ({
      ...p,
      path: p.path.replace(/^posts\[(\d+)\]/, (m, j: string) =>
        index(Number(j)) >= 0 ? `posts[${index(Number(j))}]` : m,
      ),
    }));
    this.error = null;
    this.busy = false;
    this.render();
    (this.section?.querySelector('.error-summary') as HTMLElement | null)?.focus();
  }

  showError(message: string): void {
    this.error = message;
    this.problems = [];
    this.busy = false;
    this.render();
    (this.section?.querySelector('#edit-form-error') as HTMLElement | null)?.focus();
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    markBusy(this.section?.querySelector('#save-edit'), busy, t('page.saveChanges'));
  }

  render(): HTMLElement {
    const form = h(
      'form',
      { novalidate: true, 'aria-labelledby': IDS.heading },
      h('label', { for: 'edit-title' }, t('page.campaignTitle')),
      this.errorsFor('edit-title'),
      this.field(
        h('input', { id: 'edit-title', type: 'text', maxlength: 200, autocomplete: 'off' }),
        this.title,
        (v) => (this.title = v),
      ),
      ...this.campaign.posts.map((p, i) => this.postFieldset(p, i)),
      this.error
        ? h('p', { id: 'edit-form-error', class: 'error', role: 'alert', tabindex: -1 }, this.error)
        : null,
      h(
        'div',
        { class: 'form-actions' },
        h(
          'button',
          { type: 'submit', id: 'save-edit', 'aria-disabled': this.busy ? 'true' : null },
          this.busy ? t('page.saving') : t('page.saveChanges'),
        ),
        ' ',
        h(
          'button',
          { type: 'button', class: 'secondary', id: 'cancel-edit', onclick: () => this.onCancel() },
          t('page.cancelEdit'),
        ),
      ),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (!this.busy) this.onSave(this.body());
    });
    if (this.problems.length)
      form.prepend(summary(this.problems, (id) => this.labelOf(form, id), IDS));
    const section = h(
      'section',
      { id: 'edit-campaign', class: 'campaign-form edit-form', 'aria-labelledby': IDS.heading },
      h(
        'h3',
        { id: IDS.heading, tabindex: -1 },
        t('page.editTitle', { title: this.campaign.title }),
      ),
      h('p', { class: 'help' }, t('page.editHelp')),
      form,
    );
    this.section?.replaceWith(section);
    this.section = section;
    return section;
  }

  private labelOf(form: HTMLElement, id: string): string | null {
    const label = form.querySelector(`label[for="${id}"]`);
    if (!label) return null;
    const post = /^edit-post-(\d+)-/.exec(id);
    const text = (label.textContent ?? '').trim();
    return post ? t('page.fieldOfPost', { n: Number(post[1]) + 1, field: text }) : text;
  }

  private errorsFor(id: string, also?: (path: string) => boolean): HTMLElement | null {
    return fieldErrors(this.problems, id, IDS.prefix, also);
  }

  private field<T extends HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>(
    el: T,
    value: string,
    set: (value: string) => void,
    describedBy: string[] = [],
  ): T {
    el.value = value;
    const invalid = this.problems.some((p) => IDS.prefix + fieldIdOf(p.path) === el.id);
    const ids = [...(invalid ? [`${el.id}-error`] : []), ...describedBy];
    if (ids.length) el.setAttribute('aria-describedby', ids.join(' '));
    if (invalid) el.setAttribute('aria-invalid', 'true');
    el.addEventListener(el instanceof HTMLSelectElement ? 'change' : 'input', () => set(el.value));
    return el;
  }

  private postFieldset(p: PostView, i: number): HTMLElement {
    const id = (name: string) => `edit-post-${i}-${name}`;
    const legend = h('legend', {}, t('page.postNumber', { n: i + 1 }));
    const s = this.posts.get(p.id);
    if (!s)
      return h(
        'fieldset',
        { class: 'post', id: id('fieldset') },
        legend,
        h(
          'p',
          { class: 'help' },
          p.shareOf
            ? t('page.editShare')
            : t('page.editLocked', { status: t(`page.status_${p.status}`) }),
        ),
      );
    const counters: Counter[] = [];
    const rule = h('p', { id: id('channel-help'), class: 'help' }, channelRule(s.channel));
    const channel = this.field(
      h(
        'select',
        { id: id('channel') },
        ...CHANNELS.map((c) => h('option', { value: c }, t(`page.channel_${c}`))),
      ),
      s.channel,
      (v) => {
        s.channel = v as Channel;
        rule.textContent = channelRule(s.channel);
        for (const c of counters) c.setChannel(s.channel);
      },
      [id('channel-help')],
    );
    const text = (name: string, label: string, language: 'en' | 'fr', kind: 'text' | 'alt') => {
      const key = (kind === 'text' ? 'text' : 'alt') + (language === 'en' ? 'En' : 'Fr');
      const k = key as 'textEn' | 'textFr' | 'altEn' | 'altFr';
      const area = h('textarea', { id: id(name), lang: language, rows: kind === 'text' ? 4 : 2 });
      area.value = s[k];
      const counter = new Counter(`${id(name)}-count`, kind, s.channel, area);
      counters.push(counter);
      return [
        h('label', { for: id(name) }, label),
        this.errorsFor(id(name)),
        this.field(area, s[k], (v) => (s[k] = v), [counter.id]),
        counter.element,
      ];
    };
    const known = ['channel', 'publishAt', 'text-en', 'text-fr', 'image-alt-en', 'image-alt-fr'];
    return h(
      'fieldset',
      { class: 'post', id: id('fieldset') },
      legend,
      this.errorsFor(id('other'), (path) => {
        const m = /^posts\[(\d+)\]/.exec(path);
        return (
          !!m && Number(m[1]) === i && !known.some((f) => fieldIdOf(path) === `post-${i}-${f}`)
        );
      }),
      h(
        'div',
        { class: 'row' },
        h(
          'div',
          {},
          h('label', { for: id('channel') }, t('page.channel')),
          this.errorsFor(id('channel')),
          channel,
          rule,
        ),
        h(
          'div',
          {},
          h('label', { for: id('publishAt') }, t('page.publishAt')),
          this.errorsFor(id('publishAt')),
          this.field(
            h('input', { id: id('publishAt'), type: 'datetime-local' }),
            s.publishAt,
            (v) => (s.publishAt = v),
          ),
        ),
      ),
      ...text('text-en', t('page.textEn'), 'en', 'text'),
      ...text('text-fr', t('page.textFr'), 'fr', 'text'),
      ...(p.image
        ? [
            ...text('image-alt-en', t('page.altEn'), 'en', 'alt'),
            ...text('image-alt-fr', t('page.altFr'), 'fr', 'alt'),
          ]
        : []),
    );
  }
}
