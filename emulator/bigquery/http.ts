/** A minimal router over node:http with BigQuery-shaped errors. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BigQueryError, invalid } from './errors.ts';
import { bodyKind, checkContentType, refuseForeignCaller } from './http-guard.ts';

export interface Request {
  method: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: any;
  raw: IncomingMessage;
}

export type Handler = (req: Request) => Promise<unknown>;

/** A response with a status other than 200 (plain return values are sent as 200 JSON). */
export class Reply {
  constructor(
    readonly status: number,
    readonly body?: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

export const noContent = () => new Reply(204);

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

const MAX_BODY = 256 * 1024 * 1024;

export class Router {
  private routes: Route[] = [];
  /** Runs before every request (the emulator expires tables here). */
  before?: () => Promise<void>;
  /** Sees every request a handler answered, with the answer (opt-in tracing). */
  after?: (req: Request, out: unknown) => void;

  on(method: string, path: string, handler: Handler): this {
    const keys: string[] = [];
    const pattern = new RegExp('^' + path.replace(/:([A-Za-z]+)/g, (_, k) => (keys.push(k), '([^/]+)')) + '/?$');
    this.routes.push({ method, pattern, keys, handler });
    return this;
  }

  async handle(raw: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    if (process.env.GRADEGUARD_EMULATOR_TRACE) res.on('finish', () => process.stderr.write(`${raw.method} ${raw.url} ${res.statusCode} ${(performance.now() - started).toFixed(1)}ms\n`));
    try {
      refuseForeignCaller(raw);
      const url = new URL(raw.url ?? '/', 'http://localhost');
      // Clients use /bigquery/v2/projects/... (real API paths) or /projects/... (BIGQUERY_EMULATOR_HOST).
      const path = url.pathname.replace(/^\/bigquery\/v2(?=\/)/, '').replace(/^(\/resumable)?\/upload\/bigquery\/v2(?=\/)/, '/upload');
      const route = this.routes.find((r) => r.method === raw.method && r.pattern.test(path));
      if (!route) {
        if (!this.routes.some((r) => r.pattern.test(path))) throw new BigQueryError(404, 'notFound', `Not found: URL ${url.pathname}`);
        throw new BigQueryError(405 as any, 'invalid', `Method ${raw.method} is not allowed on ${url.pathname}`);
      }
      const m = route.pattern.exec(path)!;
      const params: Record<string, string> = {};
      route.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1])));
      const body = await readBody(raw, bodyKind(path, raw.method));
      await this.before?.();
      const request: Request = { method: raw.method ?? 'GET', params, query: url.searchParams, body, raw };
      const out = await route.handler(request);
      this.after?.(request, out instanceof Reply ? out.body : out);
      if (out instanceof Reply) send(res, out.status, out.body, out.headers);
      else send(res, 200, out);
    } catch (e) {
      const err = e instanceof BigQueryError ? e : new BigQueryError(500, 'backendError', e instanceof Error ? e.message : String(e));
      send(res, err.code, err.toJSON());
    }
  }
}

function send(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}) {
  if (status === 204 || payload === undefined) {
    res.writeHead(status === 200 && !Object.keys(headers).length ? 204 : status, { ...headers, 'content-length': '0' }).end();
    return;
  }
  const text = toJson(payload);
  res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text) }).end(text);
}

/**
 * JSON with BIGINT values as strings. Answers rarely hold one (result cells are strings already), and a replacer
 * function costs a call per value of every row: it runs only when plain JSON.stringify refuses a BigInt.
 */
function toJson(payload: unknown): string {
  try {
    return JSON.stringify(payload);
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    return JSON.stringify(payload, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  }
}

/** JSON bodies parsed; multipart (uploads) kept as bytes with its content type; 'raw': the bytes (upload data). */
async function readBody(req: IncomingMessage, kind: 'raw' | 'upload' | 'json'): Promise<any> {
  const { chunks, size } = await readChunks(req);
  if (kind === 'raw') return Buffer.concat(chunks);
  if (!size) return undefined;
  if (checkContentType(req, kind) === 'multipart') return { multipart: Buffer.concat(chunks), contentType: String(req.headers['content-type']) };
  const text = chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw invalid(`Invalid JSON payload received. ${(e as Error).message}`);
  }
}

/** The request's bytes, up to MAX_BODY (events rather than `for await`: a stream's async iterator costs more than the small bodies most requests have). */
function readChunks(req: IncomingMessage): Promise<{ chunks: Buffer[]; size: number }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        req.off('data', onData);
        req.resume(); // the rest is read and dropped, so the error answer can be sent
        reject(invalid('Request body too large'));
        return;
      }
      chunks.push(c);
    };
    req.on('data', onData);
    req.once('end', () => resolve({ chunks, size }));
    req.once('error', reject);
    req.once('close', () => req.complete || reject(invalid('The request was closed before its body was complete')));
  });
}
