import { WebhookAlerts } from '../../campaigns/alerts';
import { createLogger } from '../../lib/logger';
import { PlatformServer, signedWith, startPlatform } from '../helpers/platform-server';
import { freePort } from '../helpers/ports';

const alert = {
  code: 'reconcile_failed',
  campaignId: 'c-1',
  postId: 'p-1',
  channel: 'x',
  account: 'service-canada',
  language: 'fr',
  reason: 'x feed could not be read',
  status: 503,
  at: '2026-12-04T22:00:00.000Z',
};

let receiver: PlatformServer;
let lines: string[];
const logger = () => createLogger('debug', (l) => lines.push(l));
beforeAll(async () => {
  receiver = await startPlatform(() => ({ status: 204 }));
});
afterAll(() => receiver.close());
beforeEach(() => {
  receiver.requests.length = 0;
  receiver.handle(() => ({ status: 204 }));
  lines = [];
});

describe('the alert webhook', () => {
  it('posts the alert as signed JSON and logs it at error level', async () => {
    await new WebhookAlerts(receiver.url, 'alert-secret', logger()).send(alert);
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0].json).toEqual({ type: 'campaign.alert', ...alert });
    expect(signedWith('alert-secret', receiver.requests[0])).toBe(true);
    expect(signedWith('other', receiver.requests[0])).toBe(false);
    expect(lines.some((l) => /"level":"error".*campaign alert/.test(l))).toBe(true);
  });

  it('never throws when the receiver refuses or cannot be reached; it says so in the log', async () => {
    receiver.handle(() => ({ status: 500 }));
    await expect(
      new WebhookAlerts(receiver.url, '', logger()).send(alert),
    ).resolves.toBeUndefined();
    expect(lines.some((l) => l.includes('the alert webhook refused an alert'))).toBe(true);
    const down = `http://127.0.0.1:${await freePort()}/alerts`;
    await expect(new WebhookAlerts(down, 's', logger()).send(alert)).resolves.toBeUndefined();
    expect(lines.some((l) => l.includes('the alert webhook cannot be reached'))).toBe(true);
  });

  it('only logs when no URL is configured', async () => {
    await new WebhookAlerts('', '', logger()).send(alert);
    expect(receiver.requests).toHaveLength(0);
    expect(lines.filter((l) => l.includes('campaign alert'))).toHaveLength(1);
  });
});
