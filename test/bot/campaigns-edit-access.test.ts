import { startTestApp, TestApp } from '../helpers/app';
import { call, campaign, post, staffTokens } from '../helpers/campaigns';

let app: TestApp;
let t: Awaited<ReturnType<typeof staffTokens>>;
beforeAll(async () => {
  app = await startTestApp();
  t = await staffTokens(app);
});
afterAll(async () => app.close());

describe('who may edit a campaign', () => {
  it('refuses an organization that neither wrote it nor posts in it (403), and changes nothing', async () => {
    const created = await call(
      app,
      'POST',
      '/api/campaigns',
      t.sc,
      campaign([post()], 'Federal only'),
    );
    expect(created.status).toBe(201);
    const { id } = created.body;
    const postId = created.body.posts[0].id;
    for (const [path, body] of [
      [`/api/campaigns/${id}`, { title: 'Taken over' }],
      [`/api/campaigns/${id}/posts/${postId}`, { text: { en: 'Changed', fr: 'Changé' } }],
    ] as const) {
      const refused = await call(app, 'PATCH', path, t.so, body);
      expect({ path, status: refused.status, code: refused.body.error.code }).toEqual({
        path,
        status: 403,
        code: 'org_not_involved',
      });
    }
    const now = await call(app, 'GET', `/api/campaigns/${id}`, t.sc);
    expect(now.body.title).toBe('Federal only');
    expect(now.body.posts[0].text.en).toMatch(/^Renew your documents/);
  });

  it('lets the organization that wrote it, and one whose account posts in it, edit', async () => {
    const both = campaign([post(), post({ account: 'serviceontario' })], 'Cross-promotion');
    const created = await call(app, 'POST', '/api/campaigns', t.sc, both);
    expect(created.status).toBe(201);
    const bySo = await call(app, 'PATCH', `/api/campaigns/${created.body.id}`, t.so, {
      title: 'Cross-promotion, edited by ServiceOntario',
    });
    expect(bySo.status).toBe(200);
    const bySc = await call(app, 'PATCH', `/api/campaigns/${created.body.id}`, t.sc, {
      title: 'Cross-promotion, edited by Service Canada',
    });
    expect(bySc.status).toBe(200);
    expect(bySc.body.title).toBe('Cross-promotion, edited by Service Canada');
  });
});
