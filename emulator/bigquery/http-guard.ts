/**
 * Who may call the local emulator: local tools (the Node client, the dataform CLI, bq), never a web page. A page in
 * the developer's browser can send requests to 127.0.0.1 — a text/plain POST needs no CORS preflight — and DNS
 * rebinding can even let it read the answers. So a request is refused when its Host is not a loopback name
 * (rebinding), when it carries an Origin or a cross-site Sec-Fetch-Site (browsers add these; our clients do not), and
 * when a body is not of the type BigQuery's REST API takes: JSON, except media uploads (multipart/related, or the
 * data PUT of a resumable session).
 */
import type { IncomingMessage } from 'node:http';
import { BigQueryError, invalid } from './errors.ts';

const LOOPBACK_HOST = /^(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d{1,5})?$/i;

const refused = (message: string) => new BigQueryError(403, 'accessDenied', message);

/** Throws unless the request comes from a local, non-browser client. Call before reading the body. */
export function refuseForeignCaller(req: IncomingMessage): void {
  const host = req.headers.host ?? '';
  if (!LOOPBACK_HOST.test(host)) {
    throw refused(`Host ${host || '(none)'} refused: the local emulator answers only requests addressed to localhost, 127.0.0.1 or [::1] (a page reaching it through another name is DNS rebinding)`);
  }
  const origin = req.headers.origin;
  if (origin !== undefined) {
    throw refused(`Origin ${origin} refused: the local emulator serves local tools (the Node client, dataform, bq), not web pages`);
  }
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'none' && site !== 'same-origin') {
    throw refused(`Sec-Fetch-Site ${site} refused: the local emulator serves local tools (the Node client, dataform, bq), not web pages`);
  }
}

/** How the body of this request must be typed: 'raw' (upload data), 'upload' (JSON or multipart/related), 'json'. */
export function bodyKind(path: string, method: string | undefined): 'raw' | 'upload' | 'json' {
  if (!path.startsWith('/upload/')) return 'json';
  return method === 'PUT' ? 'raw' : 'upload';
}

/** Refuses a non-empty body whose Content-Type BigQuery's REST API would not take at this endpoint. */
export function checkContentType(req: IncomingMessage, kind: 'upload' | 'json'): 'json' | 'multipart' {
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  if (type === 'application/json') return 'json';
  if (kind === 'upload' && type === 'multipart/related') return 'multipart';
  const expected = kind === 'upload' ? 'application/json or multipart/related' : 'application/json';
  throw invalid(`Content-Type ${type || '(none)'} is not accepted here: BigQuery's REST API takes ${expected} request bodies`);
}
