import os from 'node:os';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../e2e/browser';
import { startServer, stopServer } from './http-load';

interface PageFigures {
  page: string;
  requests: number;
  transferredKb: number;
  interactiveMs: number;
}

/** When each page can be used: the chat's send box ready with the greeting shown; the staff pages' sign-in field. */
const READY: Record<string, (page: Page) => Promise<unknown>> = {
  '/': (page) =>
    page
      .locator('#webchat input[type="text"], #webchat textarea')
      .first()
      .waitFor({ state: 'visible' })
      .then(() =>
        page
          .getByText(/automated assistant|assistant automatisé/)
          .first()
          .waitFor(),
      ),
  '/agent': (page) => page.locator('#staff-token').waitFor({ state: 'visible' }),
  '/campaigns': (page) => page.locator('#staff-token').waitFor({ state: 'visible' }),
  '/insights': (page) => page.locator('#staff-token').waitFor({ state: 'visible' }),
};

async function measure(
  url: string,
  pathName: string,
  browser: Awaited<ReturnType<typeof launchBrowser>>,
): Promise<PageFigures> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  let bytes = 0;
  let requests = 0;
  cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => {
    bytes += e.encodedDataLength;
    requests++;
  });
  const started = Date.now();
  await page.goto(url + pathName, { waitUntil: 'domcontentloaded' });
  await READY[pathName](page);
  const interactiveMs = Date.now() - started;
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await context.close();
  return { page: pathName, requests, transferredKb: Math.round(bytes / 1024), interactiveMs };
}

/**
 * `npm run bench:web`: first-load weight (bytes transferred, compressed, cache disabled) and time
 * until each page can be used, in headless Chromium against `npm start` on loopback; median of 5.
 */
export async function main(): Promise<void> {
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const { base } = server;
    const pages = Object.keys(READY);
    process.stdout.write(
      `First load on loopback, headless Chromium, cache disabled, median of 5 (${os.cpus().length} cores):\n`,
    );
    for (const p of pages) {
      const runs: PageFigures[] = [];
      for (let i = 0; i < 5; i++) runs.push(await measure(base, p, browser));
      runs.sort((a, b) => a.interactiveMs - b.interactiveMs);
      const m = runs[2];
      process.stdout.write(
        `${p.padEnd(12)} ${String(m.transferredKb).padStart(6)} KB in ${m.requests} requests, usable after ${m.interactiveMs} ms\n`,
      );
    }
  } finally {
    await browser.close();
    await stopServer(server);
  }
}
