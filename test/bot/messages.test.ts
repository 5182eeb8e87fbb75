import http from 'node:http';
import { AddressInfo } from 'node:net';
import { getJson, startTestApp, TestApp } from '../helpers/app';
import { message, OFFERS_CHOICES, secondOption, send } from '../helpers/bot';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({}, { redis: false });
});
afterAll(async () => app.close());

const say = (conversation: string, text: string | undefined, extra: Record<string, unknown> = {}) =>
  send(app.baseUrl, message(conversation, text, extra));

describe('POST /api/messages with expectReplies', () => {
  it('greets a new conversation in both languages, the locale first, with the automated-assistant notice, once', async () => {
    const update = {
      ...message('greet-1', undefined),
      type: 'conversationUpdate',
      locale: 'fr-CA',
      membersAdded: [{ id: 'assistant-bot' }, { id: 'user-greet-1' }],
    };
    const turn = await send(app.baseUrl, update);
    expect(turn.status).toBe(200);
    expect(turn.replies).toHaveLength(1);
    expect(turn.text).toMatch(
      /^Bonjour! Je suis l'assistant automatisé.*ne pas communiquer de numéros personnels.*\n\nHello! I'm the automated assistant.*don't share personal numbers/s,
    );
    expect(
      (await send(app.baseUrl, { ...update, membersAdded: [{ id: 'user-greet-1' }] })).replies,
    ).toHaveLength(0);
  });

  it('answers an English question with the service card, in English', async () => {
    const turn = await say('en-1', 'I lost my SIN card');
    expect(turn.status).toBe(200);
    expect(turn.text).toMatch(/automated assistant/);
    const card = turn.replies.find((r) => r.attachments?.length);
    expect(card?.text).toBe(
      'Social Insurance Number: Government of Canada (federal), delivered by Service Canada.',
    );
    expect(card?.attachments?.[0]).toMatchObject({
      contentType: 'application/vnd.microsoft.card.adaptive',
      content: { version: '1.5', lang: 'en' },
    });
  });

  it('answers a French question in French', async () => {
    const turn = await say('fr-1', "Comment renouveler ma carte Santé de l'Ontario?");
    expect(turn.text).toMatch(/Je suis un assistant automatisé/);
    expect(turn.text).toMatch(
      /Carte Santé de l'Ontario \(Assurance-santé\) : Gouvernement de l'Ontario \(provincial\)/,
    );
  });

  it('follows the language of each message when the person switches mid-way', async () => {
    expect((await say('switch-1', "How do I renew my driver's licence?")).text).toMatch(
      /Government of Ontario \(provincial\)/,
    );
    const fr = await say('switch-1', 'Et comment je fais pour renouveler mon passeport?');
    expect(fr.text).toMatch(/^Passeport canadien : Gouvernement du Canada \(fédéral\)/);
    expect(fr.text).not.toMatch(/automated assistant|assistant automatisé/);
    expect((await say('switch-1', 'and what about my health card')).text).toMatch(
      /^Ontario health card \(OHIP\): Government of Ontario/,
    );
  });

  it('uses the locale for a message too short to tell', async () => {
    expect((await say('short-1', 'ok', { locale: 'fr-CA' })).text).toMatch(
      /Je suis un assistant automatisé/,
    );
  });

  it('keeps an explicit language choice for the person, in later conversations too', async () => {
    const from = { id: 'user-sticky', name: 'Sticky' };
    expect((await say('sticky-1', 'en français svp', { from })).text).toMatch(
      /je vous répondrai en français/,
    );
    const later = await say('sticky-2', 'how do I renew my passport', { from });
    expect(later.text).toMatch(/Passeport canadien : Gouvernement du Canada \(fédéral\)/);
    expect(later.text).toMatch(/You wrote in English: say “English”/);
  });

  it('declines an off-topic message politely with the phone lines and official searches', async () => {
    const turn = await say('off-1', "What's the weather going to be like this weekend?");
    expect(turn.status).toBe(200);
    expect(turn.text).toMatch(
      /can only help with government services.*1-800-622-6232.*1-800-267-8097.*311.*canada\.ca.*ontario\.ca/s,
    );
  });

  it('answers the "Find an office" button and walks a life event with "next"', async () => {
    const office = await say('btn-1', undefined, {
      value: { action: 'findOffice', service: 'drivers-licence' },
    });
    expect(office.text).toMatch(/Where are you\? Send me a postal code/);
    expect((await say('btn-1', 'I was laid off from my job, what do I do?')).text).toMatch(
      /Losing a job: your checklist/,
    );
    expect((await say('btn-1', 'next')).text).toMatch(/Step 1 of/);
  });

  it('strips the bot mention from Teams messages', async () => {
    const turn = await say('teams-1', '<at>Assistant</at> renew my health card', {
      channelId: 'msteams',
      entities: [
        {
          type: 'mention',
          text: '<at>Assistant</at>',
          mentioned: { id: 'assistant-bot', name: 'Assistant' },
        },
      ],
    });
    expect(turn.text).toMatch(/Ontario health card \(OHIP\): Government of Ontario \(provincial\)/);
  });

  it('answers in plain text on SMS', async () => {
    const turn = await say('sms-1', 'passport', { channelId: 'sms' });
    expect(turn.replies.every((r) => !r.attachments?.length)).toBe(true);
    expect(turn.text).toMatch(
      /Canadian passport\nResponsible government: Government of Canada \(federal\)/,
    );
  });

  it('answers a 100,000-character message, saying it was cut', async () => {
    const turn = await say('long-1', 'renew my passport '.repeat(6000).slice(0, 100_000));
    expect(turn.status).toBe(200);
    expect(turn.text).toMatch(/I read only its first 1000 characters/);
    expect(turn.text).toMatch(/Canadian passport/);
  });

  it("apologizes in the person's language when a turn fails, and keeps working", async () => {
    const original = app.bot.mainDialog.officeFinder;
    app.bot.mainDialog.officeFinder = async () => {
      throw new Error('office registry exploded for 046 454 286');
    };
    try {
      const turn = await say('err-1', undefined, {
        value: { action: 'findOffice', service: 'sin' },
        locale: 'fr-CA',
      });
      expect(turn.status).toBe(200);
      expect(turn.text).toMatch(/Désolé, un problème est survenu de mon côté/);
    } finally {
      app.bot.mainDialog.officeFinder = original;
    }
    expect((await say('err-1', 'passeport')).text).toMatch(/Passeport canadien/);
    expect(app.logLines.join('\n')).toMatch(/bot turn failed/);
    expect(app.logLines.join('\n')).not.toMatch(/046 454 286/);
  });
});

describe('POST /api/messages, privacy and delivery', () => {
  it('never logs or stores what the person typed, nor their personal numbers', async () => {
    const text =
      'My SIN is 046 454 286, postal code K1A 0B1, call 613-555-0199: I lost my SIN card';
    expect((await say('privacy-1', text)).status).toBe(200);
    await say('privacy-1', 'my postal code is M5V 2T6, which licence office?');
    const logs = app.logLines.join('\n');
    const stored = (
      app.db.prepare('SELECT key, body FROM bot_state').all() as { key: string; body: string }[]
    )
      .map((r) => r.key + r.body)
      .join('\n');
    expect(stored).toMatch(/conversations\/privacy-1/);
    for (const secret of [
      '046 454 286',
      'K1A 0B1',
      '0B1',
      '555-0199',
      'lost my SIN card',
      'M5V 2T6',
      'licence office',
    ]) {
      expect({ secret, inLogs: logs.includes(secret), inState: stored.includes(secret) }).toEqual({
        secret,
        inLogs: false,
        inState: false,
      });
    }
  });

  it('carries on a conversation stored by an older release of the dialogs', async () => {
    const offered = (await say('release-1', 'licence')).text;
    expect(offered).toMatch(OFFERS_CHOICES);
    const changed = app.db
      .prepare(
        `UPDATE bot_state SET body = replace(body, '"version":"', '"version":"old') WHERE key LIKE '%/conversations/release-1/%'`,
      )
      .run().changes;
    expect(changed).toBe(1);
    const option = secondOption(offered);
    expect((await say('release-1', option.number)).text).toMatch(option.startsAnswer);
  });

  it("posts the replies to the channel's serviceUrl in normal delivery mode", async () => {
    // The channel receives Bot Framework activities; only their text is read.
    const received: Array<{ url: string; body: { text?: string } }> = [];
    const channel = http.createServer((req, res) => {
      let data = '';
      req.on('data', (c) => (data += c));
      req.on('end', () => {
        received.push({ url: req.url ?? '', body: JSON.parse(data) });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: `reply-${received.length}` }));
      });
    });
    await new Promise<void>((r) => channel.listen(0, '127.0.0.1', r));
    try {
      const serviceUrl = `http://127.0.0.1:${(channel.address() as AddressInfo).port}/`;
      const turn = await send(app.baseUrl, {
        ...message('normal-1', 'passport'),
        deliveryMode: undefined,
        serviceUrl,
        id: 'incoming-1',
      });
      expect(turn.status).toBe(200);
      expect(received.map((r) => r.url)).toContain(
        '/v3/conversations/normal-1/activities/incoming-1',
      );
      expect(received.map((r) => r.body.text).join('\n')).toMatch(
        /Canadian passport: Government of Canada/,
      );
    } finally {
      channel.close();
    }
  });
});

describe('POST /api/messages bad input', () => {
  it.each([
    ['malformed JSON', '{"type": "message",', 'bad_request'],
    ['an array', '[1, 2]', 'bad_activity'],
    [
      'no conversation id',
      JSON.stringify({ ...message('x', 'hi'), conversation: {} }),
      'bad_activity',
    ],
    ['no type', JSON.stringify({ ...message('x', 'hi'), type: undefined }), 'bad_activity'],
  ])('rejects %s with a 400 JSON error', async (_what, body, code) => {
    const turn = await send(app.baseUrl, body);
    expect(turn.status).toBe(400);
    expect(turn.body.error.code).toBe(code);
  });

  it('names the missing field', async () => {
    const turn = await send(app.baseUrl, { ...message('x', 'hi'), from: undefined });
    expect(turn.body.error.message).toMatch(/activity\.from: Required/);
  });

  it('needs a serviceUrl unless the replies are expected in the response', async () => {
    const turn = await send(app.baseUrl, {
      ...message('x', 'hi'),
      deliveryMode: undefined,
      serviceUrl: undefined,
    });
    expect(turn.status).toBe(400);
    expect(turn.body.error.message).toMatch(/activity\.serviceUrl/);
  });

  it('answers an oversized body 413 in JSON', async () => {
    const turn = await send(app.baseUrl, message('big', 'x'.repeat(300_000)));
    expect(turn.status).toBe(413);
    expect(turn.body.error.code).toBe('payload_too_large');
  });

  it.each(['typing', 'event', 'messageReaction', 'somethingNew', 'invoke'])(
    'ignores a %s activity politely',
    async (type) => {
      const turn = await send(app.baseUrl, {
        ...message('types-1', undefined),
        type,
        name: 'some/thing',
      });
      expect(turn.status).toBe(200);
      expect(turn.replies.filter((r) => r.type === 'message')).toHaveLength(0);
    },
  );

  it('keeps serving after bad input', async () => {
    expect((await getJson(`${app.baseUrl}/healthz`)).status).toBe(200);
  });
});
