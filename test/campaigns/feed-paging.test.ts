import { Credentials } from '../../campaigns/publishers/credentials';
import { FacebookPublisher } from '../../campaigns/publishers/facebook';
import { LinkedInPublisher } from '../../campaigns/publishers/linkedin';
import { MAX_FEED_PAGES, MAX_LINKEDIN_FEED_PAGES } from '../../campaigns/publishers/matching';
import { Channel } from '../../campaigns/model';
import { Publisher, PublishError } from '../../campaigns/publishers/publisher';
import { XPublisher } from '../../campaigns/publishers/x';
import { rejection, testDelivery } from '../helpers/campaigns';
import { ACCOUNTS, CREDENTIALS, Fakes, startFakes } from '../helpers/fake-platforms';
import type { FakePlatform, Received } from '../helpers/fake-platforms/fake-platform';

/**
 * An outcome in doubt is looked for in the account's feed from the first attempt on, however many
 * posts came after it: page by page with each platform's own paging, as far back as the first
 * attempt, and never further than MAX_FEED_PAGES (past that, the outcome stays in doubt).
 */
const credentials = Credentials.from(CREDENTIALS);

let fakes: Fakes;
beforeEach(async () => {
  fakes = await startFakes();
});
afterEach(() => fakes.close());

interface Platform {
  fake: () => FakePlatform;
  account: string;
  publisher: () => Publisher;
  /** A read of the feed (not a post). */
  isRead: (r: Received) => boolean;
  /** How many pages a reconciliation reads back at most. */
  maxPages: number;
}

const PLATFORMS: [Channel, Platform][] = [
  [
    'x',
    {
      fake: () => fakes.x,
      account: ACCOUNTS.x.en.id,
      publisher: () => new XPublisher(fakes.x.url, credentials, 2000),
      isRead: (r) => r.method === 'GET' && r.path === `/2/users/${ACCOUNTS.x.en.id}/tweets`,
      maxPages: MAX_FEED_PAGES,
    },
  ],
  [
    'facebook',
    {
      fake: () => fakes.facebook,
      account: ACCOUNTS.facebook.en.id,
      publisher: () => new FacebookPublisher(`${fakes.facebook.url}/v23.0`, credentials, 2000),
      isRead: (r) => r.method === 'GET' && r.path.endsWith(`/${ACCOUNTS.facebook.en.id}/feed`),
      maxPages: MAX_FEED_PAGES,
    },
  ],
  [
    'linkedin',
    {
      fake: () => fakes.linkedin,
      account: ACCOUNTS.linkedin.id,
      publisher: () => new LinkedInPublisher(fakes.linkedin.url, '202611', credentials, 2000),
      isRead: (r) => r.method === 'GET' && r.path === '/rest/posts',
      maxPages: MAX_LINKEDIN_FEED_PAGES,
    },
  ],
];

/** `n` other posts of the account, one a millisecond from `fromMs`. */
function fill(fake: FakePlatform, account: string, n: number, fromMs: number): void {
  for (let i = 0; i < n; i += 1) {
    const text = `Other post ${fromMs + i}`;
    const post = fake.store({
      account,
      text,
      sentText: text,
      media: [],
      refersTo: null,
      kind: 'post',
    });
    post.createdAt = fromMs + i;
  }
}

describe.each(PLATFORMS)('reading the %s feed back page by page', (channel, p) => {
  const delivery = (o = {}) => testDelivery({ channel, ...o });
  const reads = () => p.fake().received.filter(p.isRead).length;
  // The first attempt a minute ago; the post went out 30 s ago.
  const t0 = () => Date.now() - 60_000;

  it('finds a post that 250 newer posts pushed past the first page', async () => {
    const since = t0();
    const sent = await p.publisher().publish(delivery());
    p.fake().posts[0].createdAt = since + 30_000;
    fill(p.fake(), p.account, 250, since + 40_000);
    expect(await p.publisher().recover!(delivery(), new Date(since).toISOString())).toEqual(sent);
    expect(reads()).toBe(3);
  });

  it('reports a post that never went out as not found once it has read back to the first attempt', async () => {
    const since = t0();
    fill(p.fake(), p.account, 150, since - 600_000);
    fill(p.fake(), p.account, 250, since + 1000);
    expect(
      await p.publisher().recover!(delivery({ text: 'Never sent' }), new Date(since).toISOString()),
    ).toBeNull();
    // Three pages hold the 250 posts since; the posts before it are not read further.
    expect(reads()).toBe(3);
  });

  it(`stays in doubt after its page bound without reaching the first attempt, rather than say "not published"`, async () => {
    const since = t0();
    const sent = await p.publisher().publish(delivery());
    p.fake().posts[0].createdAt = since + 1000;
    fill(p.fake(), p.account, p.maxPages * 100 + 100, since + 2000);
    const e = await rejection<PublishError>(
      p.publisher().recover!(delivery(), new Date(since).toISOString()),
    );
    expect(e).toBeInstanceOf(PublishError);
    expect(e).toMatchObject({ kind: 'retryable', code: 'reconcile_failed' });
    expect(reads()).toBe(p.maxPages);
    // A post found within the pages read did go out: it is taken.
    const newest = await p.publisher().publish(delivery({ text: 'Newest' }));
    expect(
      await p.publisher().recover!(delivery({ text: 'Newest' }), new Date(since).toISOString()),
    ).toEqual(newest);
    expect(sent.externalId).not.toBe(newest.externalId);
  });
});

it(`LinkedIn (no time filter, both languages as one organization) reads back past ${MAX_FEED_PAGES} pages to the first attempt`, async () => {
  const publisher = new LinkedInPublisher(fakes.linkedin.url, '202611', credentials, 2000);
  const since = Date.now() - 60_000;
  const d = testDelivery({ channel: 'linkedin' });
  const sent = await publisher.publish(d);
  fakes.linkedin.posts[0].createdAt = since + 1000;
  fill(fakes.linkedin, ACCOUNTS.linkedin.id, MAX_FEED_PAGES * 100 + 100, since + 2000);
  expect(await publisher.recover!(d, new Date(since).toISOString())).toEqual(sent);
  expect(fakes.linkedin.received.filter((r) => r.method === 'GET').length).toBe(MAX_FEED_PAGES + 2);
});

describe('the fakes page a feed as the platforms do', () => {
  const get = async (url: string, headers: Record<string, string> = {}) => {
    const res = await fetch(url, { headers });
    return { status: res.status, body: JSON.parse(await res.text()) };
  };
  /** The ids of the account's posts, newest first, as stored. */
  const newestFirst = (fake: FakePlatform, account: string) => fake.feed(account).map((x) => x.id);

  it('X: max_results a page, meta.next_token to pagination_token, at most the 3,200 newest', async () => {
    const user = ACCOUNTS.x.en;
    fill(fakes.x, user.id, 3250, Date.now() - 10_000);
    const auth = { authorization: `Bearer ${user.token}` };
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const query = new URLSearchParams({ max_results: '100' });
      if (token) query.set('pagination_token', token);
      const r = await get(`${fakes.x.url}/2/users/${user.id}/tweets?${query}`, auth);
      expect(r.status).toBe(200);
      ids.push(...r.body.data.map((t: { id: string }) => t.id));
      token = r.body.meta.next_token;
    } while (token);
    expect(ids).toEqual(newestFirst(fakes.x, user.id).slice(0, 3200));
    const bad = await get(`${fakes.x.url}/2/users/${user.id}/tweets?pagination_token=nope`, auth);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].message).toMatch(/pagination_token/);
  });

  it("X: an account's timeline leaves out the posts of accounts stored between them, and refuses another account's cursor", async () => {
    const [en, fr] = [ACCOUNTS.x.en, ACCOUNTS.x.fr];
    const from = Date.now() - 10_000;
    for (let i = 0; i < 150; i += 1) {
      fill(fakes.x, en.id, 1, from + 2 * i);
      fill(fakes.x, fr.id, 1, from + 2 * i + 1);
    }
    const read = (user: { id: string; token: string }, token?: string) =>
      get(
        `${fakes.x.url}/2/users/${user.id}/tweets?max_results=100${token ? `&pagination_token=${token}` : ''}`,
        { authorization: `Bearer ${user.token}` },
      );
    const first = await read(en);
    const second = await read(en, first.body.meta.next_token);
    expect([...first.body.data, ...second.body.data].map((t: { id: string }) => t.id)).toEqual(
      newestFirst(fakes.x, en.id),
    );
    expect(second.body.meta.next_token).toBeUndefined();
    const theirs = (await read(fr)).body.meta.next_token;
    expect((await read(en, theirs)).status).toBe(400);
  });

  it('Facebook: limit a page, paging.next (with the after cursor) only while another page follows', async () => {
    const page = ACCOUNTS.facebook.en;
    fill(fakes.facebook, page.id, 250, Date.now() - 10_000);
    const ids: string[] = [];
    let next: string | undefined =
      `${fakes.facebook.url}/v23.0/${page.id}/feed?limit=100&access_token=${page.token}`;
    while (next) {
      const r = await get(next);
      expect(r.status).toBe(200);
      ids.push(...r.body.data.map((x: { id: string }) => x.id));
      next = r.body.paging.next;
      if (next) expect(new URL(next).searchParams.get('after')).toBe(r.body.paging.cursors.after);
    }
    expect(ids).toEqual(newestFirst(fakes.facebook, page.id));
    const bad = await get(
      `${fakes.facebook.url}/v23.0/${page.id}/feed?after=nope&access_token=${page.token}`,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 100, type: 'OAuthException' });
  });

  it('LinkedIn: start and count, paging.total and a next link while another page follows', async () => {
    const author = ACCOUNTS.linkedin;
    fill(fakes.linkedin, author.id, 250, Date.now() - 10_000);
    const headers = {
      authorization: `Bearer ${author.token}`,
      'linkedin-version': '202611',
      'x-restli-protocol-version': '2.0.0',
    };
    const pages: {
      elements: { id: string }[];
      paging: { start: number; count: number; total: number; links: { rel: string }[] };
    }[] = [];
    for (const start of [0, 100, 200]) {
      const query = `author=${encodeURIComponent(author.id)}&q=author&start=${start}&count=100`;
      const r = await get(`${fakes.linkedin.url}/rest/posts?${query}`, headers);
      expect(r.status).toBe(200);
      pages.push(r.body);
    }
    expect(pages.flatMap((b) => b.elements.map((e) => e.id))).toEqual(
      newestFirst(fakes.linkedin, author.id),
    );
    expect(pages.map((b) => b.elements.length)).toEqual([100, 100, 50]);
    expect(pages[0].paging).toMatchObject({ start: 0, count: 100, total: 250 });
    expect(pages[0].paging.links).toEqual([
      expect.objectContaining({ rel: 'next', href: expect.stringContaining('start=100') }),
    ]);
    expect(pages[2].paging.links.map((l) => l.rel)).toEqual(['prev']);
  });
});
