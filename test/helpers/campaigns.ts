import type { Delivery } from '../../campaigns/publishers/publisher';
import type { TestApp } from './app';

export type Org = 'service-canada' | 'serviceontario';

/** Staff tokens for a test app: comms of each organization, and an office token (wrong role). */
export async function staffTokens(app: TestApp) {
  return {
    sc: (await app.tokens.issue({ role: 'comms', org: 'service-canada' })).token,
    so: (await app.tokens.issue({ role: 'comms', org: 'serviceontario' })).token,
    office: (await app.tokens.issue({ role: 'office', org: 'serviceontario' })).token,
  };
}

/** Calls the API with a token and a JSON body; answers status and parsed body. */
export async function call(
  app: TestApp,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
  lang?: 'en' | 'fr',
) {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (lang) headers['accept-language'] = lang;
  const res = await fetch(app.baseUrl + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: the assertion will show it
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** A time `ms` from now, ISO 8601 with Z. */
export const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();

export function post(overrides: Record<string, unknown> = {}) {
  return {
    channel: 'outbox',
    account: 'service-canada',
    publishAt: inMs(3_600_000),
    text: {
      en: 'Renew your documents online before summer: https://www.canada.ca/en/services.html',
      fr: 'Renouvelez vos documents en ligne avant l’été : https://www.canada.ca/fr/services.html',
    },
    ...overrides,
  };
}

export function campaign(
  posts: Record<string, unknown>[] = [post()],
  title = 'Renew online before summer',
) {
  return { title, posts };
}

/** Polls until `check` returns a truthy value (or throws after `timeoutMs`). */
export async function waitFor<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection<E = Error>(p: Promise<unknown>): Promise<E> {
  try {
    await p;
  } catch (err) {
    return err as E;
  }
  throw new Error('expected a rejection');
}

/** One delivery to a publisher: service-canada's English post, due on 1 December 2026 (X unless told). */
export const testDelivery = (o: Partial<Delivery> = {}): Delivery => ({
  key: 'post-1:once:en',
  campaignId: 'c-1',
  postId: 'post-1',
  channel: 'x',
  account: 'service-canada',
  language: 'en',
  text: 'Renew your passport online: https://www.canada.ca/passport',
  image: null,
  shareOf: null,
  scheduledAt: '2026-12-01T09:00:00.000-05:00',
  ...o,
});
