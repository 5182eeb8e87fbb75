import { localeOf as locale } from '../../lib/vocabulary';
import { announce, clear, h } from '../lib/dom';
import { initLanguageToggle, lang, Lang, onLanguageChange, t } from '../lib/strings';

/** The part of Web Chat's global API this page uses (loaded from /assets/vendor/webchat.js). */
interface DirectLine {
  postActivity(activity: object): {
    subscribe(next: (id: string) => void, error?: (e: unknown) => void): void;
  };
  connectionStatus$: { subscribe(next: (status: number) => void): void };
}
type RenderMarkdown = (markdown: string, ...rest: unknown[]) => string;
interface WebChatGlobal {
  createDirectLine(options: {
    token: string;
    conversationId?: string;
    domain: string;
    webSocket: boolean;
    pollingInterval?: number;
  }): DirectLine;
  renderWebChat(props: object, element: HTMLElement): void;
  renderMarkdown?: RenderMarkdown;
}
declare global {
  interface Window {
    WebChat?: WebChatGlobal;
  }
}

const FAILED_TO_CONNECT = 4;
const ENDED = 5;
const CHAT_DOMAIN = `${window.location.origin}/v3/directline`;

const app = document.getElementById('app') as HTMLElement;
const intro = h('p', { class: 'chat-intro' });
const status = h('div', { class: 'chat-status', role: 'alert' });
const chatBox = h('div', { id: 'webchat', class: 'webchat', role: 'region' });
const locationButton = h('button', { type: 'button', class: 'secondary', id: 'share-location' });
const locationHelp = h('p', { class: 'help', id: 'share-location-help' });
app.append(intro, status, chatBox, h('div', { class: 'chat-tools' }, locationButton, locationHelp));
let directLine: DirectLine | null = null;
const userID = `user-${Math.random().toString(36).slice(2, 12)}`;

function renderStatic(): void {
  intro.textContent = t('page.intro');
  locationButton.textContent = t('page.shareLocation');
  locationButton.setAttribute('aria-describedby', 'share-location-help');
  locationHelp.textContent = t('page.shareLocationHelp');
  chatBox.setAttribute('aria-label', t('page.chatLabel'));
}

function showError(message: string): void {
  clear(status);
  status.append(h('p', { class: 'error' }, message), h('p', {}, t('page.phoneHelp')));
  announce(message);
}

/**
 * Web Chat's markdown keeps some HTML (an <img> survives its sanitizer): angle brackets are escaped
 * first, so nothing typed, by the person or quoted back by the bot, becomes an element.
 */
function textOnlyMarkdown(render: RenderMarkdown): RenderMarkdown {
  return (markdown, ...rest) =>
    render(markdown.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'), ...rest);
}

function renderChat(): void {
  if (!window.WebChat || !directLine) return;
  const render = window.WebChat.renderMarkdown;
  window.WebChat.renderWebChat(
    {
      directLine,
      userID,
      locale: locale(lang()),
      renderMarkdown: render ? textOnlyMarkdown(render) : undefined,
      styleOptions: {
        accent: '#0b4f8a',
        bubbleBorderRadius: 6,
        primaryFont: 'system-ui, "Segoe UI", sans-serif',
        sendBoxHeight: 48,
        hideUploadButton: true,
      },
    },
    chatBox,
  );
}

interface Session {
  token: string;
  conversationId: string;
}

/**
 * Gets a token and starts the conversation (the bot greets it) before Web Chat's bundle has been
 * evaluated, which takes a second on a slow machine: Web Chat then reconnects to it at once.
 */
async function startSession(): Promise<Session | null> {
  try {
    const generated = await fetch(`${CHAT_DOMAIN}/tokens/generate`, {
      method: 'POST',
      headers: { 'Accept-Language': lang() },
    });
    if (!generated.ok) throw new Error(String(generated.status));
    const { token } = (await generated.json()) as { token: string };
    const started = await fetch(`${CHAT_DOMAIN}/conversations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: { id: userID }, locale: locale(lang()) }),
    });
    if (!started.ok) throw new Error(String(started.status));
    const { conversationId } = (await started.json()) as Session;
    return { token, conversationId };
  } catch {
    return null;
  }
}

/** Web Chat's bundle is a deferred script after this one: it has run once DOMContentLoaded fires. */
function webChatLoaded(): Promise<void> {
  return window.WebChat || document.readyState === 'complete'
    ? Promise.resolve()
    : new Promise((resolve) =>
        document.addEventListener('DOMContentLoaded', () => resolve(), { once: true }),
      );
}

async function connect(): Promise<void> {
  const session = startSession();
  await webChatLoaded();
  if (!window.WebChat) {
    showError(t('page.loadFailed'));
    return;
  }
  const started = await session;
  if (!started) {
    showError(t('page.connectFailed'));
    return;
  }
  directLine = window.WebChat.createDirectLine({
    token: started.token,
    conversationId: started.conversationId,
    domain: CHAT_DOMAIN,
    webSocket: false,
    pollingInterval: 500,
  });
  directLine.connectionStatus$.subscribe((s) => {
    if (s === FAILED_TO_CONNECT || s === ENDED) showError(t('page.connectionLost'));
  });
  renderChat();
}

/** Tells the bot the person's language when they switch it with the page toggle. */
function sendLanguage(l: Lang): void {
  directLine
    ?.postActivity({
      type: 'event',
      name: 'setLanguage',
      value: l,
      locale: locale(l),
      from: { id: userID, role: 'user' },
    })
    .subscribe(
      () => undefined,
      () => undefined,
    );
}

locationButton.addEventListener('click', () => {
  if (!navigator.geolocation) {
    announce(t('page.locationUnavailable'));
    locationHelp.textContent = t('page.locationUnavailable');
    return;
  }
  navigator.geolocation.getCurrentPosition(
    (pos) => {
      const value = {
        lat: Math.round(pos.coords.latitude * 1000) / 1000,
        lon: Math.round(pos.coords.longitude * 1000) / 1000,
      };
      directLine
        ?.postActivity({
          type: 'event',
          name: 'location',
          value,
          locale: locale(lang()),
          from: { id: userID, role: 'user' },
        })
        .subscribe(
          () => undefined,
          () => showError(t('page.connectionLost')),
        );
      announce(t('page.locationShared'));
    },
    () => {
      locationHelp.textContent = t('page.locationDenied');
      announce(t('page.locationDenied'));
    },
    { maximumAge: 600_000, timeout: 10_000 },
  );
});

initLanguageToggle();
onLanguageChange((l) => {
  renderStatic();
  renderChat();
  sendLanguage(l);
});
renderStatic();
void connect();
