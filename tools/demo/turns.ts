/**
 * The incident's interleaving, chosen by the seed instead of by the machine's load. Two writer processes (the scheduled
 * run and the backfill) each do the seed's DELETE job then INSERT job per date, in date order; before every job a
 * writer asks this process's turn server for its turn, and reports when the job finished. The seed picks, per date, one
 * of the six orders of the two writers' jobs: a date loses its uniqueness exactly when both DELETEs run before either
 * INSERT. The same seed therefore gives the same dates, rows and duplicates on any machine.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandom } from '../synthetic/prng.ts';

export type Writer = 'scheduled' | 'backfill';
type Job = 'delete' | 'insert';

export interface Turn {
  writer: Writer;
  job: Job;
  date: string;
}

const ORDERS: ReadonlyArray<ReadonlyArray<[Writer, Job]>> = [
  [
    ['scheduled', 'delete'],
    ['scheduled', 'insert'],
    ['backfill', 'delete'],
    ['backfill', 'insert'],
  ],
  [
    ['backfill', 'delete'],
    ['backfill', 'insert'],
    ['scheduled', 'delete'],
    ['scheduled', 'insert'],
  ],
  [
    ['scheduled', 'delete'],
    ['backfill', 'delete'],
    ['scheduled', 'insert'],
    ['backfill', 'insert'],
  ],
  [
    ['scheduled', 'delete'],
    ['backfill', 'delete'],
    ['backfill', 'insert'],
    ['scheduled', 'insert'],
  ],
  [
    ['backfill', 'delete'],
    ['scheduled', 'delete'],
    ['scheduled', 'insert'],
    ['backfill', 'insert'],
  ],
  [
    ['backfill', 'delete'],
    ['scheduled', 'delete'],
    ['backfill', 'insert'],
    ['scheduled', 'insert'],
  ],
];

/** Both DELETEs before either INSERT: both writers insert the date's rows into an empty partition. */
export const overlaps = (order: readonly Turn[]) => order.findIndex((t) => t.job === 'insert') === 2;

/** The seed's order of all jobs, date by date; at least one date overlaps (an incident needs one). */
export function incidentSchedule(seed: number, dates: readonly string[]): Turn[][] {
  const random = seededRandom(seed * 7919 + dates.length);
  const perDate = dates.map((date) => random.pick(ORDERS).map(([writer, job]) => ({ writer, job, date })));
  if (!perDate.some(overlaps) && perDate.length) perDate[0] = ORDERS[2]!.map(([writer, job]) => ({ writer, job, date: dates[0]! }));
  return perDate;
}

const key = (t: Turn) => `${t.writer}:${t.job}:${t.date}`;

export interface TurnServer {
  url: string;
  /** Ends every waiting request (a writer died: the other must not wait forever). */
  stop(): Promise<void>;
}

/** Serves `GET /turn/<writer>:<job>:<date>` (answers when it is that job's turn) and `POST /done/<...>` (moves on). */
export async function startTurnServer(schedule: readonly Turn[]): Promise<TurnServer> {
  const order = schedule.map(key);
  let position = 0;
  const waiting = new Map<string, () => void>();
  const server: Server = createServer((req, res) => {
    const [, kind, turn] = /^\/(turn|done)\/(.+)$/.exec(decodeURIComponent(req.url ?? '')) ?? [];
    if (!turn || !order.includes(turn)) {
      res.writeHead(404).end(`no such turn ${turn}`);
      return;
    }
    if (kind === 'done') {
      if (order[position] !== turn) {
        res.writeHead(409).end(`${turn} is not the current turn (${order[position]})`);
        return;
      }
      position++;
      waiting.get(order[position] ?? '')?.();
      res.writeHead(200).end('ok');
      return;
    }
    const go = () => {
      waiting.delete(turn);
      res.writeHead(200).end('go');
    };
    if (order[position] === turn) go();
    else waiting.set(turn, go);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A writer's side: waits for its turn, returns the function that reports the job done. */
export async function takeTurn(url: string, turn: Turn): Promise<() => Promise<void>> {
  const path = encodeURIComponent(key(turn));
  const answer = await fetch(`${url}/turn/${path}`);
  if (!answer.ok) throw new Error(`turn ${key(turn)} refused: ${answer.status} ${await answer.text()}`);
  return async () => {
    const done = await fetch(`${url}/done/${path}`, { method: 'POST' });
    if (!done.ok) throw new Error(`turn ${key(turn)} not accepted as done: ${done.status} ${await done.text()}`);
  };
}
