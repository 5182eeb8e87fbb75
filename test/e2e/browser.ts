import fs from 'node:fs';
import path from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../lib/paths';
import type { TestApp } from '../helpers/app';

/** Builds the pages when a source changed (scripts/build.js; this file also runs compiled, from dist/). */
function ensureBuilt(): void {
  // A plain script, loaded at run time.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const build = require(path.join(PROJECT_ROOT, 'scripts', 'build.js')) as { ensureBuilt(): void };
  build.ensureBuilt();
}

export const ARTIFACTS = path.join(PROJECT_ROOT, 'test-artifacts');

/** Debian's Chromium, headless, with the flags this machine's closed network needs. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core in the page and returns serious and critical violations. axe is evaluated through
 * the DevTools protocol, which the page's CSP (no inline scripts) does not apply to.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  // Runs in the browser, where axe is a global once evaluated (a string: the test code has no DOM types).
  const result = (await page.evaluate(
    "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })",
  )) as { violations: AxeViolation[] };
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export interface BrowserSuite {
  app: TestApp;
  browser: Browser;
  /** A new tab, closed after the test. */
  newPage(): Promise<Page>;
}

/**
 * The shared set-up of a browser test file: the pages built, one app started by `start`, one
 * Chromium; tabs opened with `newPage` are closed after each test, the app and browser after the file.
 */
export function browserSuite(start: () => Promise<TestApp>): BrowserSuite {
  const pages: Page[] = [];
  const suite: BrowserSuite = {
    app: undefined as unknown as TestApp,
    browser: undefined as unknown as Browser,
    async newPage() {
      const page = await suite.browser.newPage();
      pages.push(page);
      return page;
    },
  };
  beforeAll(async () => {
    ensureBuilt();
    suite.app = await start();
    suite.browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await suite.browser?.close();
    await suite.app?.close();
  });
  afterEach(async () => {
    for (const page of pages.splice(0)) await page.close();
  });
  return suite;
}
