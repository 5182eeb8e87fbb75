import { FakeFacebook } from './fake-facebook';
import { FakeLinkedIn } from './fake-linkedin';
import { FakeX } from './fake-x';

export { FakeFacebook, FakeLinkedIn, FakeX };
export type { Fault, Received, Script, StoredPost } from './fake-platform';

/** The accounts the fakes know for service-canada, and the tokens that open them. */
export const ACCOUNTS = {
  x: {
    en: { id: '111', token: 'x-en-token' },
    fr: { id: '222', token: 'x-fr-token' },
  },
  facebook: {
    en: { id: '1000', token: 'fb-en-token' },
    fr: { id: '2000', token: 'fb-fr-token' },
  },
  linkedin: { id: 'urn:li:organization:42', token: 'li-token' },
} as const;

/** The OAuth clients the fakes know: X's public client, LinkedIn's app, Facebook's app. */
export const CLIENTS = {
  x: { id: 'x-client-id' },
  linkedin: { id: 'li-client-id', secret: 'li-client-secret' },
  facebook: { id: '4242', secret: 'fb-app-secret' },
} as const;

/** A credentials file (CAMPAIGN_CREDENTIALS_FILE) for service-canada on the three fakes. */
export const CREDENTIALS = {
  'service-canada': {
    x: {
      en: { accessToken: ACCOUNTS.x.en.token, userId: ACCOUNTS.x.en.id },
      fr: { accessToken: ACCOUNTS.x.fr.token, userId: ACCOUNTS.x.fr.id },
    },
    facebook: {
      en: { pageId: ACCOUNTS.facebook.en.id, accessToken: ACCOUNTS.facebook.en.token },
      fr: { pageId: ACCOUNTS.facebook.fr.id, accessToken: ACCOUNTS.facebook.fr.token },
    },
    linkedin: { accessToken: ACCOUNTS.linkedin.token, author: ACCOUNTS.linkedin.id },
  },
};

export interface Fakes {
  x: FakeX;
  facebook: FakeFacebook;
  linkedin: FakeLinkedIn;
  /** The environment that points the publishers at the fakes. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** X, Facebook and LinkedIn on 127.0.0.1 (port 0), each knowing the service-canada accounts. */
export async function startFakes(): Promise<Fakes> {
  const x = await FakeX.start([ACCOUNTS.x.en, ACCOUNTS.x.fr]);
  const facebook = await FakeFacebook.start([ACCOUNTS.facebook.en, ACCOUNTS.facebook.fr]);
  const linkedin = await FakeLinkedIn.start([ACCOUNTS.linkedin]);
  x.addClient(CLIENTS.x.id);
  linkedin.addClient(CLIENTS.linkedin.id, CLIENTS.linkedin.secret);
  facebook.addClient(CLIENTS.facebook.id, CLIENTS.facebook.secret);
  return {
    x,
    facebook,
    linkedin,
    env: {
      CAMPAIGN_X_API_URL: x.url,
      CAMPAIGN_FACEBOOK_API_URL: `${facebook.url}/v23.0`,
      CAMPAIGN_LINKEDIN_API_URL: linkedin.url,
      CAMPAIGN_LINKEDIN_OAUTH_URL: linkedin.url,
    },
    close: async () => {
      await Promise.all([x.close(), facebook.close(), linkedin.close()]);
    },
  };
}
