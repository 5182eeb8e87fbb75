import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook } from '../../campaigns/publishers/webhook';

export interface Recorded {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
  /** The body as JSON or as a form, when it is one. */
  json: unknown;
  form: Record<string, string> | null;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export type PlatformHandler = (req: Recorded) => Reply | Promise<Reply>;

export interface PlatformServer {
  url: string;
  requests: Recorded[];
  /** Replaces how the server answers. */
  handle(handler: PlatformHandler): void;
  close(): Promise<void>;
}

/** A request body as text, and as JSON or a form when it is one. */
export function parseBody(headers: http.IncomingHttpHeaders, body: Buffer) {
  const text = body.toString('utf8');
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  const form = String(headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
    ? Object.fromEntries(new URLSearchParams(text))
    : null;
  return { text, json, form };
}

/** Whether a received request carries a valid X-Campaign-Signature for `secret` (webhook, alerts). */
export function signedWith(
  secret: string,
  req: { headers: http.IncomingHttpHeaders; text: string },
): boolean {
  return verifyWebhook(
    secret,
    String(req.headers['x-campaign-timestamp']),
    req.text,
    String(req.headers['x-campaign-signature']),
  );
}

/** A local HTTP server on 127.0.0.1 that plays a platform: it records every request and answers as told. */
export async function startPlatform(handler: PlatformHandler): Promise<PlatformServer> {
  let current = handler;
  const requests: Recorded[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const { text, json, form } = parseBody(req.headers, body);
      const recorded: Recorded = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
        text,
        json,
        form,
      };
      requests.push(recorded);
      try {
        const reply = await current(recorded);
        const payload =
          reply.body === undefined
            ? ''
            : Buffer.isBuffer(reply.body)
              ? reply.body
              : typeof reply.body === 'string'
                ? reply.body
                : JSON.stringify(reply.body);
        res.writeHead(reply.status, {
          'content-type':
            typeof reply.body === 'object' && !Buffer.isBuffer(reply.body)
              ? 'application/json'
              : 'text/plain',
          ...reply.headers,
        });
        res.end(payload);
      } catch (err) {
        res.writeHead(500);
        res.end(String(err));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    handle: (h) => {
      current = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
