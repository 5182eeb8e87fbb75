import type { Page } from 'playwright-core';
import { startTestApp } from '../helpers/app';
import { browserSuite, screenshot, seriousViolations } from './browser';

// A weekday morning, so offices are open whatever day the test runs.
const AT = new Date('2026-12-01T15:00:00Z');
const suite = browserSuite(() => startTestApp({}, { redis: false, clock: () => AT }));
let page: Page;
beforeEach(async () => {
  page = await suite.newPage();
});

const sendBox = () => page.locator('#webchat input[type="text"], #webchat textarea').first();
async function say(text: string): Promise<void> {
  await sendBox().fill(text);
  await sendBox().press('Enter');
}

describe('citizens’ chat page (/)', () => {
  it('holds a French conversation that reaches a list of offices', async () => {
    await page.goto(`${suite.app.baseUrl}/?lang=fr`);
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await page
      .getByText(/assistant automatisé/)
      .first()
      .waitFor();
    await say("j'ai perdu mon NAS");
    // Web Chat's markdown curls apostrophes (’).
    await page
      .getByText(/Numéro d.assurance sociale \(NAS\)/)
      .first()
      .waitFor();
    // Web Chat keeps hidden copies of a card for screen readers: the first is the one on screen.
    await page.getByRole('button', { name: 'Trouver un bureau' }).first().click();
    await page
      .getByText(/Où êtes-vous/)
      .first()
      .waitFor();
    await say('Grand Sudbury');
    await page
      .getByText(/Les bureaux qui peuvent vous servir le plus tôt/)
      .first()
      .waitFor();
    const transcript = await page.locator('#webchat').innerText();
    expect(transcript).toMatch(/Sudbury/);
    expect(transcript).toMatch(/Centre Service Canada|Service Canada/);
    await screenshot(page, 'chat-fr-offices');
  });

  it('switches the page and the conversation to English with the toggle', async () => {
    await page.goto(`${suite.app.baseUrl}/?lang=fr`);
    await page
      .getByText(/assistant automatisé/)
      .first()
      .waitFor();
    await page.locator('#lang-toggle').click();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByRole('heading', { name: 'Ask which government handles it' }).waitFor();
    await say('renew my health card');
    await page.getByText('Ontario health card (OHIP)').first().waitFor();
  });

  it('never renders what a person typed as HTML', async () => {
    await page.goto(`${suite.app.baseUrl}/?lang=en`);
    await page
      .getByText(/automated assistant/)
      .first()
      .waitFor();
    await say('<img src=x onerror="document.title=\'pwned\'"> passport');
    await page.getByText('Canadian passport').first().waitFor();
    expect(await page.title()).not.toBe('pwned');
    expect(await page.locator('#webchat img[src="x"]').count()).toBe(0);
    await page.getByText('<img src=x').first().waitFor();
  });

  it('has no serious or critical accessibility violation, before and after an answer', async () => {
    await page.goto(`${suite.app.baseUrl}/?lang=en`);
    await page
      .getByText(/automated assistant/)
      .first()
      .waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await say('we just had a baby');
    await page
      .getByText(/Having a baby/)
      .first()
      .waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'chat-en-newborn');
  });

  it('tells the person in both languages when the chat cannot connect, with the phone lines', async () => {
    await page.route('**/v3/directline/tokens/generate', (route) =>
      route.fulfill({ status: 503, body: '' }),
    );
    await page.goto(`${suite.app.baseUrl}/?lang=fr`);
    const alert = page.locator('.chat-status');
    await alert.getByText(/ne peut pas joindre le serveur/).waitFor();
    expect(await alert.innerText()).toMatch(/1-800-622-6232/);
  });
});
