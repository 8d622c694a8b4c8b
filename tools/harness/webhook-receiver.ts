/**
 * A real HTTP server on 127.0.0.1 that records what Slack (or another Google-style HTTP API) would receive: Slack has
 * no emulator, so `npm start`, the chaos suite and the alert tests use this stand-in.
 * Answers are scripted per request (status, headers, body); past the script it answers `fallback` (200 "ok").
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: any;
  at: number;
}

export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface WebhookReceiver {
  /** Base URL, e.g. http://127.0.0.1:PORT */
  origin: string;
  /** A webhook URL with a secret-looking path, as Slack issues them. */
  url: string;
  requests: RecordedRequest[];
  /** Answers for the next requests, in order. */
  script(...answers: ScriptedAnswer[]): void;
  /** Answer for every request past the script. */
  setFallback(answer: ScriptedAnswer): void;
  /** Per-path answers (checked before the script), e.g. a fake Secret Manager route. */
  route(path: string, answer: (request: RecordedRequest) => ScriptedAnswer): void;
  waitForRequests(count: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  stop(): Promise<void>;
}

export async function startWebhookReceiver(secretPath = '/services/T000TEST/B000TEST/s3cr3tW3bh00kT0k3n'): Promise<WebhookReceiver> {
  const requests: RecordedRequest[] = [];
  const queue: ScriptedAnswer[] = [];
  const routes = new Map<string, (request: RecordedRequest) => ScriptedAnswer>();
  let fallback: ScriptedAnswer = { status: 200, body: 'ok' };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = body ? JSON.parse(body) : undefined;
      } catch {
        json = undefined;
      }
      const recorded: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, json, at: Date.now() };
      requests.push(recorded);
      const routed = routes.get(recorded.path);
      const answer = routed ? routed(recorded) : (queue.shift() ?? fallback);
      res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: origin + secretPath,
    requests,
    script: (...answers) => void queue.push(...answers),
    setFallback: (answer) => void (fallback = answer),
    route: (path, answer) => void routes.set(path, answer),
    async waitForRequests(count, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (requests.length < count) {
        if (Date.now() > deadline) throw new Error(`receiver got ${requests.length} of ${count} requests`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return requests.slice(0, count);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
