import { CHANNEL_LIMITS, textLength, X_LINK_LENGTH } from '../../campaigns/channel-limits';
import { announce, h } from '../lib/dom';
import { t } from '../lib/strings';
import type { Channel } from './types';

/** What a text counts and may count: the server's own table and counting (campaigns/channel-limits.ts). */
export function measure(
  kind: 'text' | 'alt',
  channel: Channel,
  value: string,
): { length: number; max: number } {
  const limit = CHANNEL_LIMITS[channel];
  return kind === 'text'
    ? { length: textLength(channel, value), max: limit.maxText }
    : { length: [...value].length, max: limit.maxAlt };
}

/** The channel's rule in words, shown under the channel choice. */
export function channelRule(channel: Channel): string {
  const limit = CHANNEL_LIMITS[channel];
  return limit.counting === 'weighted'
    ? t('page.ruleWeighted', { max: limit.maxText, link: X_LINK_LENGTH })
    : t('page.ruleCodePoints', { max: limit.maxText });
}

/**
 * A live character counter for one field: updated at each keystroke on screen; screen readers hear
 * it when the person pauses typing, and at once when the text goes over or back under the limit.
 */
export class Counter {
  readonly element: HTMLElement;
  private timer: number | undefined;
  private over = false;

  constructor(
    readonly id: string,
    private readonly kind: 'text' | 'alt',
    private channel: Channel,
    private readonly field: HTMLInputElement | HTMLTextAreaElement,
  ) {
    this.element = h('p', { id, class: 'counter' });
    this.update(false);
    field.addEventListener('input', () => this.update(true));
  }

  setChannel(channel: Channel): void {
    this.channel = channel;
    this.update(true);
  }

  private update(speak: boolean): void {
    const { length, max } = measure(this.kind, this.channel, this.field.value);
    const over = length > max;
    this.element.textContent = '';
    this.element.append(
      h('span', { 'aria-hidden': 'true' }, over ? '⚠ ' : ''),
      over
        ? t('page.counterOver', { over: length - max, length, max })
        : t('page.counter', { length, max }),
    );
    this.element.classList.toggle('over', over);
    if (!speak) {
      this.over = over;
      return;
    }
    window.clearTimeout(this.timer);
    if (over !== this.over) announce(this.element.textContent ?? '');
    else this.timer = window.setTimeout(() => announce(this.element.textContent ?? ''), 1500);
    this.over = over;
  }
}
