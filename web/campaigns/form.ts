import { ACCOUNTS, CHANNELS } from '../../campaigns/model';
import { parseTime } from '../../campaigns/time';
import { h } from '../lib/dom';
import { lang, t } from '../lib/strings';
import { channelRule, Counter } from './counter';
import { formatInstant } from './dates';
import { fieldErrors, fieldIdOf, markBusy, summary } from './problems';
import type { Account, Channel, Organization, Problem } from './types';

/** A field's label as a person reads it in the error summary: "Post 1, Text in English". */
function labelOf(form: HTMLElement, id: string): string | null {
  const label = form.querySelector(`label[for="${id}"]`)?.cloneNode(true) as
    HTMLElement | undefined;
  if (!label) return null;
  label.querySelectorAll('.required').forEach((r) => r.remove());
  const post = /^post-(\d+)-/.exec(id);
  const text = (label.textContent ?? '').trim();
  return post ? t('page.fieldOfPost', { n: Number(post[1]) + 1, field: text }) : text;
}

interface PostState {
  channel: Channel;
  account: Account;
  publishAt: string;
  textEn: string;
  textFr: string;
  imageUrl: string;
  altEn: string;
  altFr: string;
  shareMinutes: string;
}

type Field = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

/**
 * The form that writes a campaign: a title and one or more bilingual posts, with live counters that
 * count the way the server does, and the server's problems shown next to the fields they name.
 * The state lives here, so the form can be drawn again in the other language without losing anything.
 */
export class CampaignForm {
  private title = '';
  private posts: PostState[];
  private problems: Problem[] = [];
  /** A failure that is not about a field (server down, token expired, conflict). */
  private error: string | null = null;
  private busy = false;
  private section: HTMLElement | null = null;

  constructor(
    private readonly org: Organization,
    private readonly onSubmit: (body: unknown) => void,
  ) {
    this.posts = [this.blankPost()];
  }

  render(): HTMLElement {
    const titleInput = this.field(
      h('input', {
        id: 'title',
        type: 'text',
        maxlength: 200,
        autocomplete: 'off',
        value: this.title,
        'aria-required': 'true',
      }),
      (v) => (this.title = v),
    );
    const form = h(
      'form',
      { novalidate: true, 'aria-labelledby': 'new-campaign-title' },
      h(
        'label',
        { for: 'title' },
        t('page.campaignTitle'),
        ' ',
        h('span', { class: 'required' }, t('page.required')),
      ),
      this.errorsFor('title'),
      titleInput,
      ...this.posts.map((p, i) => this.postFieldset(p, i)),
      this.error
        ? h('p', { id: 'form-error', class: 'error', role: 'alert', tabindex: -1 }, this.error)
        : null,
      h(
        'div',
        { class: 'form-actions' },
        h(
          'button',
          { type: 'button', class: 'secondary', onclick: () => this.addPost() },
          t('page.addPost'),
        ),
        ' ',
        h(
          'button',
          { type: 'submit', id: 'save-campaign', 'aria-disabled': this.busy ? 'true' : null },
          this.busy ? t('page.saving') : t('page.saveCampaign'),
        ),
      ),
      h('p', { class: 'help' }, t('page.saveHelp')),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (!this.busy) this.onSubmit(this.body());
    });
    if (this.problems.length) form.prepend(summary(this.problems, (id) => labelOf(form, id)));
    const section = h(
      'section',
      { id: 'new-campaign', class: 'campaign-form', 'aria-labelledby': 'new-campaign-title' },
      h('h2', { id: 'new-campaign-title', tabindex: -1 }, t('page.newCampaign')),
      h('p', { class: 'help' }, t('page.newCampaignHelp')),
      form,
    );
    this.section?.replaceWith(section);
    this.section = section;
    return section;
  }

  /** The server's 400 answer: each problem next to its field, all of them in a summary that takes the focus. */
  showProblems(problems: Problem[]): void {
    this.problems = problems;
    this.error = null;
    this.busy = false;
    this.render();
    (this.section?.querySelector('.error-summary') as HTMLElement | null)?.focus();
  }

  showError(message: string): void {
    this.error = message;
    this.busy = false;
    this.render();
    (this.section?.querySelector('#form-error') as HTMLElement | null)?.focus();
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    markBusy(this.section?.querySelector('#save-campaign'), busy, t('page.saveCampaign'));
  }

  reset(): void {
    this.title = '';
    this.posts = [this.blankPost()];
    this.problems = [];
    this.error = null;
    this.busy = false;
    this.render();
  }

  private blankPost(): PostState {
    return {
      channel: 'x',
      account: this.org,
      publishAt: '',
      textEn: '',
      textFr: '',
      imageUrl: '',
      altEn: '',
      altFr: '',
      shareMinutes: '',
    };
  }

  private addPost(): void {
    const last = this.posts[this.posts.length - 1];
    this.posts.push({ ...this.blankPost(), publishAt: last?.publishAt ?? '' });
    this.render();
    (
      this.section?.querySelector(`#post-${this.posts.length - 1}-channel`) as HTMLElement | null
    )?.focus();
  }

  private removePost(i: number): void {
    this.posts.splice(i, 1);
    this.problems = [];
    this.render();
    (
      this.section?.querySelector(`#post-${Math.max(0, i - 1)}-channel`) as HTMLElement | null
    )?.focus();
  }

  body(): unknown {
    const trimmed = (s: string) => s.trim();
    return {
      title: this.title,
      posts: this.posts.map((p) => ({
        channel: p.channel,
        account: p.account,
        publishAt: p.publishAt,
        text: { en: p.textEn, fr: p.textFr },
        ...(trimmed(p.imageUrl) || trimmed(p.altEn) || trimmed(p.altFr)
          ? { image: { url: trimmed(p.imageUrl), alt: { en: p.altEn, fr: p.altFr } } }
          : {}),
        ...(trimmed(p.shareMinutes)
          ? {
              partnerShare: {
                afterMinutes: /^\d+$/.test(trimmed(p.shareMinutes))
                  ? Number(trimmed(p.shareMinutes))
                  : trimmed(p.shareMinutes),
              },
            }
          : {}),
      })),
    };
  }

  /** Problems whose path names this field (or, for a post, the post itself), shown above the field. */
  private errorsFor(id: string, extraPaths?: (path: string) => boolean): HTMLElement | null {
    return fieldErrors(this.problems, id, '', extraPaths);
  }

  /** Wires a field to the state, and to its error and help texts. */
  private field<T extends Field>(
    el: T,
    set: (value: string) => void,
    describedBy: string[] = [],
  ): T {
    const ids = [
      ...(this.problems.some((p) => fieldIdOf(p.path) === el.id) ? [`${el.id}-error`] : []),
      ...describedBy,
    ];
    if (ids.length) el.setAttribute('aria-describedby', ids.join(' '));
    if (ids.includes(`${el.id}-error`)) el.setAttribute('aria-invalid', 'true');
    el.addEventListener(el instanceof HTMLSelectElement ? 'change' : 'input', () => set(el.value));
    return el;
  }

  private textArea(
    id: string,
    label: string,
    language: 'en' | 'fr',
    value: string,
    kind: 'text' | 'alt',
    channel: Channel,
    set: (v: string) => void,
    counters: Counter[],
  ): HTMLElement[] {
    const area = h('textarea', {
      id,
      lang: language,
      rows: kind === 'text' ? 4 : 2,
      'aria-required': kind === 'text' ? 'true' : null,
    });
    area.value = value;
    const counter = new Counter(`${id}-count`, kind, channel, area);
    counters.push(counter);
    this.field(area, set, [counter.id]);
    const error = this.errorsFor(id);
    const label_ = h(
      'label',
      { for: id },
      label,
      kind === 'text' ? h('span', { class: 'required' }, ` ${t('page.required')}`) : null,
    );
    return error ? [label_, error, area, counter.element] : [label_, area, counter.element];
  }

  private postFieldset(p: PostState, i: number): HTMLElement {
    const id = (name: string) => `post-${i}-${name}`;
    const counters: Counter[] = [];
    const rule = h('p', { id: id('channel-help'), class: 'help' }, channelRule(p.channel));
    const channel = this.field(
      h(
        'select',
        { id: id('channel') },
        ...CHANNELS.map((c) =>
          h('option', { value: c, selected: c === p.channel }, t(`page.channel_${c}`)),
        ),
      ),
      (v) => {
        p.channel = v as Channel;
        rule.textContent = channelRule(p.channel);
        for (const c of counters) c.setChannel(p.channel);
      },
      [id('channel-help')],
    );
    const account = this.field(
      h(
        'select',
        { id: id('account') },
        ...ACCOUNTS.map((a) =>
          h(
            'option',
            { value: a, selected: a === p.account },
            t('page.accountOf', { org: t(`common.org_${a}`) }),
          ),
        ),
      ),
      (v) => (p.account = v as Account),
    );
    const when = h('p', { id: id('publishAt-help'), class: 'help' });
    const showWhen = () => {
      const parsed = p.publishAt ? parseTime(p.publishAt) : null;
      when.textContent = !parsed
        ? t('page.publishAtHelp')
        : 'ms' in parsed
          ? t('page.publishAtIs', {
              time: formatInstant(new Date(parsed.ms).toISOString(), lang()),
            })
          : t('page.publishAtNonexistent');
    };
    showWhen();
    const publishAt = this.field(
      h('input', {
        id: id('publishAt'),
        type: 'datetime-local',
        value: p.publishAt,
        'aria-required': 'true',
      }),
      (v) => {
        p.publishAt = v;
        showWhen();
      },
      [id('publishAt-help')],
    );
    const share = this.field(
      h('input', {
        id: id('partnerShare-afterMinutes'),
        type: 'number',
        inputmode: 'numeric',
        min: 0,
        max: 10080,
        step: 1,
        value: p.shareMinutes,
      }),
      (v) => (p.shareMinutes = v),
      [id('share-help')],
    );
    const imageUrl = this.field(
      h('input', { id: id('image-url'), type: 'url', value: p.imageUrl, autocomplete: 'off' }),
      (v) => (p.imageUrl = v),
      [id('image-help')],
    );
    return h(
      'fieldset',
      { class: 'post', id: id('fieldset') },
      h('legend', {}, t('page.postNumber', { n: i + 1 })),
      this.errorsFor(
        `post-${i}`,
        (path) =>
          path === `posts[${i}]` || path === `posts[${i}].text` || path === `posts[${i}].image`,
      ),
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
          h('label', { for: id('account') }, t('page.account')),
          this.errorsFor(id('account')),
          account,
        ),
        h(
          'div',
          {},
          h(
            'label',
            { for: id('publishAt') },
            t('page.publishAt'),
            h('span', { class: 'required' }, ` ${t('page.required')}`),
          ),
          this.errorsFor(id('publishAt')),
          publishAt,
          when,
        ),
      ),
      ...this.textArea(
        id('text-en'),
        t('page.textEn'),
        'en',
        p.textEn,
        'text',
        p.channel,
        (v) => (p.textEn = v),
        counters,
      ),
      ...this.textArea(
        id('text-fr'),
        t('page.textFr'),
        'fr',
        p.textFr,
        'text',
        p.channel,
        (v) => (p.textFr = v),
        counters,
      ),
      h(
        'fieldset',
        { class: 'image' },
        h('legend', {}, t('page.image')),
        h('p', { id: id('image-help'), class: 'help' }, t('page.imageHelp')),
        h('label', { for: id('image-url') }, t('page.imageUrl')),
        this.errorsFor(id('image-url')),
        imageUrl,
        ...this.textArea(
          id('image-alt-en'),
          t('page.altEn'),
          'en',
          p.altEn,
          'alt',
          p.channel,
          (v) => (p.altEn = v),
          counters,
        ),
        ...this.textArea(
          id('image-alt-fr'),
          t('page.altFr'),
          'fr',
          p.altFr,
          'alt',
          p.channel,
          (v) => (p.altFr = v),
          counters,
        ),
      ),
      h('label', { for: id('partnerShare-afterMinutes') }, t('page.shareAfter')),
      this.errorsFor(
        id('partnerShare-afterMinutes'),
        (path) => path === `posts[${i}].partnerShare`,
      ),
      share,
      h('p', { id: id('share-help'), class: 'help' }, t('page.shareHelp')),
      this.posts.length > 1
        ? h(
            'button',
            { type: 'button', class: 'secondary', onclick: () => this.removePost(i) },
            t('page.removePost', { n: i + 1 }),
          )
        : null,
    );
  }
}
