// A small chat webhook for the demo, shaped like an incoming webhook of a chat tool (Slack and Mattermost take the
// same request): POST /hooks/{channel} with a JSON body {"text": "...", ...} answers 200 "ok"; a body that is not
// JSON or has no text answers 400 with the reason, as those services do. It keeps what it received, so the demo
// can show the message and the tests can check it; GET /messages lists them as JSON.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './read-body.js';


export interface ChatMessage {
  channel: string;
  text: string;
  /** The whole JSON body as received (attachments, blocks, ...). */
  body: Record<string, unknown>;
  receivedAt: string;
}

export interface ChatWebhookMock {
  url: string;
  /** URL of the #ops channel's hook. */
  hookUrl: string;
  readonly messages: ChatMessage[];
  close(): Promise<void>;
}

export async function startChatWebhook(options: { port?: number } = {}): Promise<ChatWebhookMock> {
  const messages: ChatMessage[] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const reply = (status: number, text: string, type = 'text/plain') => res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) }).end(text);
    readBody(req).then(
      (text) => {
        if (req.method === 'GET' && path === '/messages') return reply(200, JSON.stringify(messages, null, 2) + '\n', 'application/json');
        const hook = /^\/hooks\/([A-Za-z0-9_-]+)$/.exec(path);
        if (!hook || req.method !== 'POST') return reply(404, 'no_service');
        if (text === undefined) return reply(413, 'payload_too_large');
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          return reply(400, 'invalid_payload');
        }
        if (body === null || typeof body !== 'object' || Array.isArray(body)) return reply(400, 'invalid_payload');
        const message = (body as Record<string, unknown>)['text'];
        if (typeof message !== 'string' || message.trim() === '') return reply(400, 'no_text');
        messages.push({ channel: hook[1]!, text: message, body: body as Record<string, unknown>, receivedAt: new Date().toISOString() });
        return reply(200, 'ok');
      },
      () => reply(400, 'invalid_payload'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    hookUrl: `${url}/hooks/ops`,
    messages,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
