/** Page strings in both languages (from the page's JSON block) and the current language. */
export type Lang = 'en' | 'fr';
type Table = Record<string, Record<string, string>>;

interface PageData {
  page: string;
  lang: Lang;
  strings: Record<Lang, Table>;
}

const data = JSON.parse(document.getElementById('page-data')?.textContent ?? '{}') as PageData;
let current: Lang = data.lang;
const listeners: Array<(lang: Lang) => void> = [];

export function lang(): Lang {
  return current;
}

/** `t('common.signIn')` or `t('page.title')`, with {{name}} placeholders filled from params. */
export function t(
  key: string,
  params: Record<string, string | number> = {},
  inLang: Lang = current,
): string {
  const [ns, k] = key.split('.', 2);
  const text = data.strings[inLang]?.[ns]?.[k] ?? key;
  return text.replace(/{{\s*(\w+)\s*}}/g, (_m, name: string) => String(params[name] ?? ''));
}

export function onLanguageChange(fn: (lang: Lang) => void): void {
  listeners.push(fn);
}

function applyStaticStrings(): void {
  document.documentElement.lang = current;
  document.querySelectorAll<HTMLElement>('[data-i18n]').forEach((el) => {
    el.textContent = t(el.dataset.i18n as string);
  });
  document.querySelectorAll<HTMLElement>('[data-i18n-attr]').forEach((el) => {
    const [attr, key] = (el.dataset.i18nAttr as string).split(':');
    el.setAttribute(attr, t(key));
  });
  document.querySelectorAll<HTMLAnchorElement>('a[data-nav]').forEach((a) => {
    const url = new URL(a.href);
    url.searchParams.set('lang', current);
    a.href = url.pathname + url.search;
  });
  const toggle = document.getElementById('lang-toggle') as HTMLAnchorElement | null;
  if (toggle) {
    const other: Lang = current === 'en' ? 'fr' : 'en';
    toggle.textContent = t('common.languageName', {}, other);
    toggle.lang = other;
    toggle.href = `?lang=${other}`;
  }
  const titleEl = document.querySelector('title');
  if (titleEl) titleEl.textContent = `${t('page.title')} – ${t('common.siteName')}`;
}

/** Switches the whole page to `next` without a reload; the address keeps ?lang= for sharing. */
export function setLanguage(next: Lang): void {
  current = next;
  const url = new URL(window.location.href);
  url.searchParams.set('lang', next);
  history.replaceState(null, '', url.pathname + url.search + url.hash);
  applyStaticStrings();
  for (const fn of listeners) fn(next);
}

/** Wires the language toggle link (it still works as a plain link without JavaScript). */
export function initLanguageToggle(): void {
  const toggle = document.getElementById('lang-toggle');
  toggle?.addEventListener('click', (e) => {
    e.preventDefault();
    setLanguage(current === 'en' ? 'fr' : 'en');
    toggle.focus();
  });
}
