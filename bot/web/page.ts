import fs from 'node:fs';
import path from 'node:path';
import { Language, LANGUAGES } from '../../knowledge/schema';
import { PROJECT_ROOT } from '../../lib/paths';

export type PageName = 'chat' | 'agent' | 'campaigns' | 'insights';

export const PAGE_PATHS: Record<PageName, string> = {
  chat: '/',
  agent: '/agent',
  campaigns: '/campaigns',
  insights: '/insights',
};

/**
 * Large scripts a page uses, loaded (deferred) after its own small script, which can start work
 * while they load and uses them once DOMContentLoaded has fired.
 */
const PAGE_VENDOR_SCRIPTS: Partial<Record<PageName, string[]>> = {
  chat: ['/assets/vendor/webchat.js'],
};

type Strings = Record<string, Record<string, string>>;

function loadStrings(): Record<Language, Strings> {
  const out = {} as Record<Language, Strings>;
  for (const lang of LANGUAGES) {
    out[lang] = JSON.parse(
      fs.readFileSync(path.join(PROJECT_ROOT, 'locales', lang, 'web.json'), 'utf8'),
    ) as Strings;
  }
  return out;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
/** JSON inside a script block: "<" escaped so no text can close the block. */
const safeJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');

/**
 * Page shells. The server writes the frame (language, title, navigation, skip link, live region)
 * in the chosen language; the page's script, loaded from /assets, reads both languages' strings
 * from a JSON block and switches language without a reload.
 */
export class PageRenderer {
  private readonly strings = loadStrings();

  /** `pages`: the pages this server serves (the navigation lists only those). */
  constructor(private readonly pages: readonly PageName[]) {}

  render(page: PageName, lang: Language): string {
    const s = this.strings[lang];
    const c = s.common;
    const data = {
      page,
      lang,
      strings: Object.fromEntries(
        LANGUAGES.map((l) => [l, { common: this.strings[l].common, page: this.strings[l][page] }]),
      ),
    };
    const nav = this.pages
      .map(
        (p) =>
          `<li><a href="${PAGE_PATHS[p]}?lang=${lang}"${p === page ? ' aria-current="page"' : ''} data-nav="${p}" data-i18n="common.nav_${p}">${escapeHtml(c[`nav_${p}`])}</a></li>`,
      )
      .join('');
    const other: Language = lang === 'en' ? 'fr' : 'en';
    return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(s[page].title)} – ${escapeHtml(c.siteName)}</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/site.css">
<script id="page-data" type="application/json">${safeJson(data)}</script>
<script defer src="/assets/pages/${page}.js"></script>
${(PAGE_VENDOR_SCRIPTS[page] ?? []).map((src) => `<script defer src="${src}"></script>\n`).join('')}
</head>
<body>
<a class="skip-link" href="#main" data-i18n="common.skipToContent">${escapeHtml(c.skipToContent)}</a>
<header class="site-header">
  <p class="site-name" data-i18n="common.siteName">${escapeHtml(c.siteName)}</p>
  <nav aria-label="${escapeHtml(c.navLabel)}" data-i18n-attr="aria-label:common.navLabel"><ul>${nav}</ul></nav>
  <a class="lang-toggle" href="?lang=${other}" lang="${other}" id="lang-toggle">${escapeHtml(this.strings[other].common.languageName)}</a>
</header>
<main id="main" tabindex="-1">
  <h1 data-i18n="page.title">${escapeHtml(s[page].title)}</h1>
  <noscript><p>${escapeHtml(c.noScript)}</p></noscript>
  <div id="app"></div>
</main>
<div id="announcer" class="visually-hidden" role="status" aria-live="polite"></div>
</body>
</html>`;
  }
}
