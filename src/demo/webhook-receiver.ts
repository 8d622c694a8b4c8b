/**
 * A local stand-in for Slack's incoming webhook (Slack has no emulator): an HTTP server on 127.0.0.1 that records
 * every message posted to it, so `npm start` can show which alerts fired. It answers like Slack: 200 "ok".
 */
import { createServer, type Server } from 'node:http';

export interface ReceivedMessage {
  receivedAt: string;
  body: Record<string, unknown>;
}

export interface WebhookReceiver {
  url: string;
  messages: ReceivedMessage[];
  /** Requests refused while down (an outage to survive). */
  refused: number;
  /** Answer every request with this status (e.g. 503) until set back to undefined. */
  setOutage(status: number | undefined): void;
  stop(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const messages: ReceivedMessage[] = [];
  let outage: number | undefined;
  const state = { refused: 0 };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      if (outage !== undefined) {
        state.refused += 1;
        res.writeHead(outage, { 'content-type': 'text/plain' }).end('outage');
        return;
      }
      if (req.method !== 'POST') {
        res.writeHead(405).end('method not allowed');
        return;
      }
      try {
        messages.push({ receivedAt: new Date().toISOString(), body: JSON.parse(raw) as Record<string, unknown> });
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      } catch {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid_payload');
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/services/local/webhook`,
    messages,
    get refused() {
      return state.refused;
    },
    setOutage(status) {
      outage = status;
    },
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
