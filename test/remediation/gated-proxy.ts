/**
 * An HTTP proxy in front of the BigQuery emulator for the processes of one test. It forwards every request unchanged,
 * except that a request matched by a gate waits until the test releases it. So a test can stop a real process at an
 * exact point of its conversation with BigQuery (the first request after its commit, a transaction that must overlap
 * another one) without a line of test code in the process and without guessing times.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';

export interface Gate {
  /** The body of the request the gate caught. */
  arrived: Promise<string>;
  /** Lets the caught request through (it is forwarded as is). */
  release(): void;
}

export interface GatedProxy {
  url: string;
  /** Catches the next POST whose body `match` accepts (match sees every POST body, in order, until it accepts one). */
  gate(match: (body: string) => boolean): Gate;
  stop(): Promise<void>;
}

export async function startGatedProxy(upstreamUrl: string): Promise<GatedProxy> {
  const upstream = new URL(upstreamUrl);
  const gates: Array<{ match: (body: string) => boolean; caught(body: string): void; released: Promise<void> }> = [];
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    if (req.method === 'POST') {
      const text = body.toString('utf8');
      const index = gates.findIndex((g) => g.match(text));
      if (index >= 0) {
        const [gate] = gates.splice(index, 1);
        gate.caught(text);
        await gate.released;
      }
    }
    const forwarded = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forwarded.on('error', (error) => {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 502, message: `gated proxy: ${error.message}` } }));
    });
    forwarded.end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    gate(match) {
      let caught!: (body: string) => void;
      let release!: () => void;
      const arrived = new Promise<string>((r) => (caught = r));
      const released = new Promise<void>((r) => (release = r));
      gates.push({ match, caught, released });
      return { arrived, release };
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
