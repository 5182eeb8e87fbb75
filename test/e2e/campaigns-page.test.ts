import type { Page } from 'playwright-core';
import { xLength } from '../../campaigns/channel-limits';
import { formatInZone } from '../../campaigns/time';
import { addMonths, monthWeeks, today } from '../../web/campaigns/dates';
import { startTestApp, TestApp } from '../helpers/app';
import { call, campaign, post, staffTokens, waitFor } from '../helpers/campaigns';
import { browserSuite, screenshot, seriousViolations } from './browser';

const suite = browserSuite(() => startTestApp());
let tokens: Awaited<ReturnType<typeof staffTokens>>;
beforeAll(async () => {
  tokens = await staffTokens(suite.app);
});

async function openPage(url: string, token: string): Promise<Page> {
  const page = await suite.newPage();
  await page.goto(url);
  await page.getByLabel(/Staff token|Jeton du personnel/).fill(token);
  await page.getByRole('button', { name: /Sign in|Se connecter/ }).click();
  await page.locator('#campaign-list').waitFor();
  return page;
}

/** The focused element's id (or another property), read in the page: the test code has no DOM types. */
const focused = (page: Page, property: 'id' | 'className' | 'textContent' = 'id') =>
  page.evaluate(`document.activeElement ? document.activeElement.${property} : null`);

/** A Toronto wall-clock time `days` from now at `hour`:00, as a datetime-local input takes it. */
const torontoAt = (days: number, hour: number) =>
  `${formatInZone(Date.now() + days * 86_400_000).slice(0, 10)}T${String(hour).padStart(2, '0')}:00`;

const LINK =
  'https://www.canada.ca/en/immigration-refugees-citizenship/services/canadian-passports/renew-adult-passport.html';
const EN = `Renew your passport online before summer travel: ${LINK}`;
const FR =
  'Renouvelez votre passeport en ligne avant les voyages d’été : https://www.canada.ca/fr/immigration-refugies-citoyennete/services/passeports-canadiens.html';
const TITLE = 'Renew <b>online</b> before summer';

describe('campaign calendar (/campaigns)', () => {
  it('lets a comms user write a campaign, fix an over-long X post, and see it scheduled once the partner approves', async () => {
    const sc = await openPage(`${suite.app.baseUrl}/campaigns?lang=en`, tokens.sc);
    await sc.getByLabel('Campaign title').fill(TITLE);
    const counter = sc.locator('#post-0-text-en-count');
    await sc.locator('#post-0-text-en').fill(EN);
    // The counter follows X's rule, as the server counts: the long link counts 23.
    expect(xLength(EN)).toBeLessThan(EN.length);
    expect(await counter.innerText()).toBe(`${xLength(EN)} of 280 characters`);
    const long = `${'Passports, health cards and licences: renew them all online. '.repeat(5)}${LINK}`;
    await sc.locator('#post-0-text-en').fill(long);
    expect(await counter.innerText()).toMatch(
      new RegExp(`${xLength(long) - 280} characters too many \\(${xLength(long)} of 280\\)`),
    );
    expect(await counter.getAttribute('class')).toMatch(/over/);
    await sc.locator('#post-0-text-fr').fill(FR);
    await sc.getByLabel('Publish time (Toronto time)').fill(torontoAt(3, 10));
    expect(await sc.locator('#post-0-publishAt-help').innerText()).toMatch(
      /^Will publish: .*10:00/,
    );
    await sc.locator('#post-0-partnerShare-afterMinutes').fill('30');

    await sc.getByRole('button', { name: 'Add a post' }).click();
    await sc.locator('#post-1-channel').selectOption('outbox');
    await sc.locator('#post-1-account').selectOption('serviceontario');
    await sc.locator('#post-1-publishAt').fill(torontoAt(3, 12));
    await sc.locator('#post-1-text-en').fill('Renew your health card online.');
    expect(await sc.locator('#post-1-text-en-count').innerText()).toBe('30 of 5000 characters');
    await sc.locator('#post-1-text-fr').fill('Renouvelez votre carte Santé en ligne.');
    await sc.locator('#post-1-image-url').fill('https://www.ontario.ca/health-card.png');
    await sc.locator('#post-1-image-alt-en').fill('An Ontario health card');
    await sc.locator('#post-1-image-alt-fr').fill('Une carte Santé de l’Ontario');
    await sc.getByRole('button', { name: 'Save the campaign for approval' }).click();

    // The server's 400: in the summary (focused) and next to the field it names.
    const summary = sc.locator('.error-summary');
    await summary.waitFor();
    expect(await focused(sc, 'className')).toBe('error-summary');
    expect(await summary.innerText()).toMatch(/1 problem/);
    expect(await sc.locator('#post-0-text-en-error').innerText()).toMatch(
      /posts\[0\]\.text\.en is too long: \d+ characters, at most 280/,
    );
    expect(await sc.locator('#post-0-text-en').getAttribute('aria-invalid')).toBe('true');
    expect(await sc.locator('#post-1-text-en').inputValue()).toBe('Renew your health card online.');
    await screenshot(sc, 'campaigns-form-error');
    expect(await seriousViolations(sc)).toEqual([]);

    await sc.getByRole('link', { name: /too long/ }).click();
    expect(await focused(sc)).toBe('post-0-text-en');
    await sc.locator('#post-0-text-en').fill(EN);
    expect(await counter.getAttribute('class')).not.toMatch(/over/);
    await sc.getByRole('button', { name: 'Save the campaign for approval' }).click();

    const details = sc.locator('#campaign-details');
    await details.getByText('The campaign was saved as a draft.').waitFor();
    expect(await focused(sc)).toBe('details-title');
    expect(await sc.locator('#details-title').innerText()).toBe(`Campaign: ${TITLE}`);
    expect(await sc.locator('b').count()).toBe(0);
    const approvals = await details.locator('table.approvals').innerText();
    expect(approvals).toMatch(/Service Canada\s+… Must still approve/);
    expect(approvals).toMatch(/ServiceOntario\s+… Must still approve/);
    // Three posts: the two written and ServiceOntario's share of the first, expected 30 minutes after it.
    const entries = sc.locator('.calendar button.entry', { hasText: TITLE });
    expect(await entries.count()).toBe(3);
    expect(await entries.first().innerText()).toMatch(
      /10:00\s+Service Canada\s+X\s+Renew <b>online<\/b> before summer\s+✎ Draft/,
    );
    expect(await entries.nth(1).innerText()).toMatch(
      /about 10:30\s+ServiceOntario\s+X \(partner's share\)/,
    );
    expect(await entries.nth(2).innerText()).toMatch(/12:00\s+ServiceOntario\s+Outbox/);

    await details.getByRole('button', { name: 'Approve' }).click();
    await details
      .getByText(
        /Approved\. The campaign is now: Draft\. Approved by Service Canada\. Waiting for ServiceOntario\./,
      )
      .waitFor();
    expect(await details.getByRole('button', { name: 'Approve' }).count()).toBe(0);

    // The partner organization, in French, on its own page.
    const so = await openPage(`${suite.app.baseUrl}/campaigns?lang=fr`, tokens.so);
    await so.locator('#campaign-list').getByRole('button', { name: TITLE }).click();
    expect(await so.locator('table.approvals').innerText()).toMatch(
      /ServiceOntario\s+… Doit encore approuver/,
    );
    await so.getByRole('button', { name: 'Approuver', exact: true }).click();
    await so.getByText(/Approuvée\. La campagne est maintenant : Planifiée\./).waitFor();
    expect(
      await so.locator('.calendar button.entry', { hasText: TITLE }).first().innerText(),
    ).toMatch(/Planifiée/);
    expect(await seriousViolations(so)).toEqual([]);
    await screenshot(so, 'campaigns-approved-fr');

    await sc.getByRole('button', { name: 'Refresh' }).click();
    await entries.first().getByText('Scheduled').waitFor();
    expect(await entries.allInnerTexts()).toEqual([
      expect.stringMatching(/Scheduled$/),
      expect.stringMatching(/Scheduled$/),
      expect.stringMatching(/Scheduled$/),
    ]);
    const postsTable = await sc.locator('table.posts').innerText();
    expect(postsTable).toMatch(/Post 1[\s\S]*Scheduled/);
    await screenshot(sc, 'campaigns-month');

    await sc.getByRole('button', { name: 'Week', exact: true }).click();
    expect(await sc.locator('table.calendar-table.week').count()).toBe(1);
    expect(
      await sc
        .locator('table.week tr', { has: sc.getByRole('rowheader', { name: '10:00' }) })
        .innerText(),
    ).toMatch(/Scheduled/);
    await screenshot(sc, 'campaigns-week');

    await sc.getByRole('button', { name: 'Pause' }).click();
    await sc.getByText(/Paused\. The campaign is now: Paused\./).waitFor();
    expect(await entries.first().innerText()).toMatch(/‖ Paused$/);
    await sc.getByRole('button', { name: 'Resume' }).click();
    await sc.getByText(/Resumed\. The campaign is now: Scheduled\./).waitFor();
    expect(await entries.first().innerText()).toMatch(/Scheduled$/);
  }, 90_000);

  it('moves through periods with the keyboard and says 409 answers in words', async () => {
    const created = await call(
      suite.app,
      'POST',
      '/api/campaigns',
      tokens.sc,
      campaign(
        [
          post({ publishAt: torontoAt(2, 9) }),
          post({ account: 'serviceontario', publishAt: torontoAt(2, 11) }),
        ],
        'Winter tires reminder',
      ),
    );
    expect(created.status).toBe(201);
    // Meanwhile, Service Canada's own post goes out through the outbox (the worker runs inline).
    const soon = await call(
      suite.app,
      'POST',
      '/api/campaigns',
      tokens.sc,
      campaign([post({ publishAt: new Date(Date.now() + 4000).toISOString() })], 'Flu shots now'),
    );
    expect(
      (await call(suite.app, 'POST', `/api/campaigns/${soon.body.id}/approve`, tokens.sc)).status,
    ).toBe(200);
    const page = await openPage(`${suite.app.baseUrl}/campaigns?lang=en`, tokens.so);
    const period = page.locator('#calendar-period');
    const before = await period.innerText();
    await page.locator('.calendar-scroll').focus();
    await page.keyboard.press('PageDown');
    expect(await period.innerText()).not.toBe(before);
    expect(await focused(page)).toBe('calendar-period');
    await page.getByRole('button', { name: 'Today' }).click();
    expect(await period.innerText()).toBe(before);

    await page
      .locator('#campaign-list')
      .getByRole('button', { name: 'Winter tires reminder' })
      .click();
    expect(
      (await call(suite.app, 'POST', `/api/campaigns/${created.body.id}/cancel`, tokens.sc)).status,
    ).toBe(200);
    await page.getByRole('button', { name: 'Approve' }).click();
    const alert = page.locator('#campaign-details [role="alert"]');
    expect(await alert.innerText()).toMatch(
      /^This cannot be done now: This campaign was cancelled/,
    );
    expect(await page.locator('#campaign-details').innerText()).toMatch(/Status:\s+⊘ Cancelled/);

    await page.locator('#lang-toggle').click();
    await page.getByRole('heading', { name: 'Toutes les campagnes' }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');

    // A published post: its time, attempts and the platform's id.
    await waitFor(
      async () =>
        (await call(suite.app, 'GET', `/api/campaigns/${soon.body.id}`, tokens.sc)).body.posts[0]
          .status === 'published',
      15_000,
      'the outbox post',
    );
    await page.getByRole('button', { name: 'Actualiser' }).click();
    await page.locator('#campaign-list').getByRole('button', { name: 'Flu shots now' }).click();
    const row = await page.locator('table.posts tbody tr').first().innerText();
    expect(row).toMatch(/✓ Publiée\s+\S.*\d{4}.*HNE|✓ Publiée\s+\S.*\d{4}.*HAE/);
    expect(row).toMatch(/\s1\s+[\w-]{6,}/);

    // A token revoked while the page is open: back to the sign-in form with the reason, nothing left on screen.
    const token = (await suite.app.tokens.issue({ role: 'comms', org: 'serviceontario' })).token;
    const other = await openPage(`${suite.app.baseUrl}/campaigns?lang=en`, token);
    // Revoke only once the page has loaded with the token (on a busy machine its first request may still be out).
    await other.locator('.calendar').waitFor();
    suite.app.tokens.revoke(token);
    await other.getByRole('button', { name: 'Refresh' }).click();
    await other.getByRole('heading', { name: 'Staff sign-in' }).waitFor();
    expect(await other.getByRole('alert').innerText()).toMatch(/token/i);
    expect(await other.locator('.calendar').count()).toBe(0);
  }, 60_000);

  it('asks for a reason to reject, and the author sees it', async () => {
    const created = await call(
      suite.app,
      'POST',
      '/api/campaigns',
      tokens.sc,
      campaign(
        [
          post({ publishAt: torontoAt(4, 9) }),
          post({ account: 'serviceontario', publishAt: torontoAt(4, 10) }),
        ],
        'Summer jobs',
      ),
    );
    const so = await openPage(`${suite.app.baseUrl}/campaigns?lang=en`, tokens.so);
    await so.locator('#campaign-list').getByRole('button', { name: 'Summer jobs' }).click();
    await so.getByRole('button', { name: 'Reject…' }).click();
    // The field takes focus right after it is drawn (a zero-delay timer): wait for it on a busy machine.
    await so
      .waitForFunction(
        "document.activeElement && document.activeElement.id === 'reject-reason'",
        undefined,
        { timeout: 5000 },
      )
      .catch(() => undefined);
    expect(await focused(so)).toBe('reject-reason');
    await so.getByRole('button', { name: 'Reject the campaign' }).click();
    expect(await so.locator('#campaign-details [role="alert"]').innerText()).toMatch(/reason/i);
    await so.getByRole('button', { name: 'Reject…' }).click();
    await so
      .getByLabel('Reason for rejecting')
      .fill('<script>alert(1)</script> Say "ServiceOntario" first');
    await so.getByRole('button', { name: 'Reject the campaign' }).click();
    await so.getByText(/Rejected\. The campaign is now: Rejected\./).waitFor();
    const res = await call(suite.app, 'GET', `/api/campaigns/${created.body.id}`, tokens.sc);
    expect(res.body.rejection.organization).toBe('serviceontario');
    const sc = await openPage(`${suite.app.baseUrl}/campaigns?lang=en`, tokens.sc);
    await sc.locator('#campaign-list').getByRole('button', { name: 'Summer jobs' }).click();
    expect(await sc.locator('#campaign-details q').innerText()).toBe(
      '<script>alert(1)</script> Say "ServiceOntario" first',
    );
    expect(await sc.locator('table.approvals').innerText()).toMatch(/ServiceOntario\s+✕ Rejected/);

    // Cancelling asks first; "No" puts the focus back where it was.
    await sc.getByRole('button', { name: 'Cancel the campaign…' }).click();
    expect(await sc.getByRole('group', { name: /Cancel this campaign\?/ }).count()).toBe(1);
    await waitFor(
      async () => (await focused(sc, 'textContent')) === 'Yes, cancel the campaign',
      5000,
      'the focus on the confirmation',
    );
    await sc.getByRole('button', { name: 'No, keep it' }).click();
    expect(await focused(sc)).toBe('action-cancel');
    await sc.getByRole('button', { name: 'Cancel the campaign…' }).click();
    await sc.getByRole('button', { name: 'Yes, cancel the campaign' }).click();
    await sc.getByText(/Cancelled\. The campaign is now: Cancelled\./).waitFor();
    expect(
      await sc.locator('.calendar button.entry', { hasText: 'Summer jobs' }).first().innerText(),
    ).toMatch(/⊘ Cancelled$/);
  }, 60_000);
});

describe('editing a campaign and recurring posts (/campaigns)', () => {
  it('edits a draft through the form: the 400 next to its field, then the change in the details', async () => {
    const created = await call(
      suite.app,
      'POST',
      '/api/campaigns',
      tokens.sc,
      campaign(
        [
          post({
            channel: 'x',
            publishAt: torontoAt(5, 9),
            text: { en: 'Old text', fr: 'Ancien' },
          }),
        ],
        'Tax season reminder',
      ),
    );
    expect(created.status).toBe(201);
    const page = await openPage(`${suite.app.baseUrl}/campaigns?lang=en`, tokens.sc);
    await page
      .locator('#campaign-list')
      .getByRole('button', { name: 'Tax season reminder' })
      .click();

    // Opened and closed from the keyboard: the focus goes to the form's heading and back.
    await page.locator('#action-edit').focus();
    await page.keyboard.press('Enter');
    await page.locator('#edit-campaign').waitFor();
    expect(await focused(page)).toBe('edit-campaign-title');
    expect(await page.locator('#action-edit').getAttribute('aria-expanded')).toBe('true');
    await page.getByRole('button', { name: 'Cancel editing' }).click();
    expect(await page.locator('#edit-campaign').count()).toBe(0);
    expect(await focused(page)).toBe('action-edit');

    await page.locator('#action-edit').click();
    const form = page.locator('#edit-campaign');
    expect(await form.getByLabel('Campaign title').inputValue()).toBe('Tax season reminder');
    expect(await page.locator('#edit-post-0-text-en').inputValue()).toBe('Old text');
    expect(await page.locator('#edit-post-0-text-fr').inputValue()).toBe('Ancien');
    expect(await page.locator('#edit-post-0-channel').inputValue()).toBe('x');
    expect(await page.locator('#edit-post-0-publishAt').inputValue()).toBe(torontoAt(5, 9));

    await page.locator('#edit-post-0-text-en').fill('Too long. '.repeat(40));
    await page.getByRole('button', { name: 'Save the changes' }).click();
    const summary = form.locator('.error-summary[role="alert"]');
    await summary.waitFor();
    expect(await focused(page, 'className')).toBe('error-summary');
    expect(await page.locator('#edit-post-0-text-en-error').innerText()).toMatch(
      /too long: \d+ characters, at most 280/,
    );
    expect(await page.locator('#edit-post-0-text-en').getAttribute('aria-invalid')).toBe('true');
    await summary.getByRole('link', { name: /too long/ }).click();
    expect(await focused(page)).toBe('edit-post-0-text-en');

    await page.locator('#edit-post-0-text-en').fill('File your taxes online by April 30.');
    await page.locator('#edit-post-0-publishAt').fill(torontoAt(6, 14));
    await page.getByRole('button', { name: 'Save the changes' }).click();
    const details = page.locator('#campaign-details');
    await details.getByText(/^Changes saved\. The campaign is now: Draft\./).waitFor();
    expect(await page.locator('#edit-campaign').count()).toBe(0);
    // The page moves the focus once the campaigns are reloaded, a moment after the message shows.
    await page
      .waitForFunction("document.activeElement?.id === 'details-title'", undefined, {
        timeout: 5000,
      })
      .catch(() => undefined);
    expect(await focused(page)).toBe('details-title');
    const row = await details.locator('table.posts tbody tr').first().innerText();
    expect(row).toMatch(/File your taxes online by April 30\./);
    expect(row).toMatch(/2:00\sp\.m\./);
    const saved = await call(suite.app, 'GET', `/api/campaigns/${created.body.id}`, tokens.sc);
    expect(saved.body.posts[0].text.en).toBe('File your taxes online by April 30.');
    expect(saved.body.posts[0].publishAt.slice(0, 16)).toBe(torontoAt(6, 14));
    await page
      .locator('.calendar button.entry', { hasText: 'Tax season reminder' })
      .getByText('14:00')
      .waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  }, 60_000);

  it('says, in both languages, which posts will not go out for want of credentials', async () => {
    // The test app has no credentials file: an X post cannot go out, an outbox post can.
    const created = await call(
      suite.app,
      'POST',
      '/api/campaigns',
      tokens.sc,
      campaign(
        [post({ channel: 'x', publishAt: torontoAt(2, 9) }), post({ publishAt: torontoAt(2, 11) })],
        'Tax season reminders',
      ),
    );
    expect(created.status).toBe(201);
    const page = await openPage(`${suite.app.baseUrl}/campaigns?lang=en`, tokens.sc);
    await page
      .locator('#campaign-list')
      .getByRole('button', { name: 'Tax season reminders' })
      .click();
    const details = page.locator('#campaign-details');
    expect(await details.locator('.credentials-notice').innerText()).toMatch(
      /1 post\(s\) of this campaign will not go out/,
    );
    const problems = details.getByRole('list', { name: 'Credentials problems' });
    expect(await problems.locator('li').allInnerTexts()).toEqual([
      expect.stringMatching(/^⚠ service-canada\.x\.en has no credentials/),
      expect.stringMatching(/^⚠ service-canada\.x\.fr has no credentials/),
    ]);
    const entries = page.locator('.calendar button.entry', { hasText: 'Tax season reminders' });
    expect(await entries.allInnerTexts()).toEqual([
      expect.stringMatching(/^⚠ credentials problem 09:00/),
      expect.stringMatching(/^11:00/),
    ]);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'campaigns-credentials-en');

    await page.locator('#lang-toggle').click();
    await page
      .locator('#campaign-list')
      .getByRole('button', { name: 'Tax season reminders' })
      .click();
    expect(
      await page
        .getByRole('list', { name: "Problèmes d'identifiants" })
        .locator('li')
        .first()
        .innerText(),
    ).toMatch(/^⚠ service-canada\.x\.en n'a pas d'identifiants/);
    expect(await seriousViolations(page)).toEqual([]);
  }, 60_000);

  it('shows a weekly post on each week of the month', async () => {
    // Two months ahead, so the first Sunday the month view shows is still to come.
    const weeks = monthWeeks(addMonths(today(), 2));
    const created = await call(
      suite.app,
      'POST',
      '/api/campaigns',
      tokens.sc,
      campaign(
        [
          post({
            publishAt: `${weeks[0][0]}T09:00`,
            repeat: { pattern: '0 9 * * 0', timeZone: 'America/Toronto' },
          }),
        ],
        'Sunday service hours',
      ),
    );
    expect(created.status).toBe(201);
    const page = await openPage(`${suite.app.baseUrl}/campaigns?lang=en`, tokens.sc);
    await page.locator('#calendar-next').click();
    await page.locator('#calendar-next').click();
    const entries = page.locator('.calendar button.entry', { hasText: 'Sunday service hours' });
    expect(await entries.count()).toBe(weeks.length);
    const rows = page.locator('table.calendar-table.month tbody tr');
    expect(await rows.count()).toBe(weeks.length);
    for (let w = 0; w < weeks.length; w++)
      expect(await rows.nth(w).locator('td').first().locator('button.entry').innerText()).toMatch(
        /^09:00[\s\S]*Sunday service hours/,
      );
    const texts = await entries.allInnerTexts();
    expect(texts[0]).not.toMatch(/repeat/);
    expect(texts.slice(1).every((x) => /\(repeat\)/.test(x))).toBe(true);
    await screenshot(page, 'campaigns-weekly');
  }, 60_000);
});

describe('campaign calendar without Redis', () => {
  let down: TestApp;
  beforeAll(async () => {
    down = await startTestApp({}, { redis: false });
  }, 60_000);
  afterAll(async () => down?.close());

  it('says in both languages that campaigns are unavailable and scheduled posts are kept', async () => {
    const token = (await staffTokens(down)).sc;
    const page = await openPage(`${down.baseUrl}/campaigns?lang=fr`, token);
    const alert = page.locator('.page-message [role="alert"]');
    expect(await alert.innerText()).toMatch(/publications déjà planifiées sont conservées/);
    await page.locator('#lang-toggle').click();
    expect(await page.locator('a[data-nav="campaigns"]').innerText()).toBe('Campaigns');
    await page.getByLabel('Campaign title').fill('Anything');
    await page.getByRole('button', { name: 'Save the campaign for approval' }).click();
    expect(await page.locator('#form-error').innerText()).toMatch(
      /Posts already scheduled are kept/,
    );
    await screenshot(page, 'campaigns-redis-down');
  }, 60_000);

  it('serves the page with the security headers, in the asked language', async () => {
    const res = await fetch(`${down.baseUrl}/campaigns?lang=fr`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'(;|$)/);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const html = await res.text();
    expect(html).toMatch(/<html lang="fr">/);
    expect(html).toMatch(/<a href="\/campaigns\?lang=fr" aria-current="page"/);
  });
});
