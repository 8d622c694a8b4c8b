/**
 * An address for BIGQUERY_EMULATOR_HOST / FIRESTORE_EMULATOR_HOST that records every connection made to it and drops
 * it. Bad-input tests point commands at it: exit 2 with no connection proves the input was refused before any
 * dependency was touched (a closed port would only show that the connection failed).
 */
import { createServer, type Socket } from 'node:net';

export interface Tripwire {
  /** `http://127.0.0.1:PORT`, for BIGQUERY_EMULATOR_HOST. */
  url: string;
  /** `127.0.0.1:PORT`, for FIRESTORE_EMULATOR_HOST. */
  host: string;
  connections(): number;
  stop(): Promise<void>;
}

export async function startTripwire(): Promise<Tripwire> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    connections: () => connections,
    stop: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
