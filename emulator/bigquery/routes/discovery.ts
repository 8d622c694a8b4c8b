/**
 * BigQuery's discovery document, which Google's `bq` tool fetches from `--api` before every command. Served
 * from the Google Cloud SDK installed on this machine (bq ships a copy), with its URLs pointed at this
 * emulator; without the SDK there is no `bq` to serve, and the route answers 404 saying where it looked.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Router } from '../http.ts';
import { BigQueryError } from '../errors.ts';

const DOC = ['platform', 'bq', 'discovery_next', 'bigquery.json'];

/** Candidate Cloud SDK roots: $GRADEGUARD_BQ_DISCOVERY (a file), $CLOUDSDK_ROOT_DIR, the `bq` on PATH, usual places. */
function candidates(): string[] {
  const out: string[] = [];
  if (process.env.GRADEGUARD_BQ_DISCOVERY) out.push(process.env.GRADEGUARD_BQ_DISCOVERY);
  if (process.env.CLOUDSDK_ROOT_DIR) out.push(join(process.env.CLOUDSDK_ROOT_DIR, ...DOC));
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const bq = join(dir, 'bq');
    if (dir && existsSync(bq)) {
      try {
        out.push(join(dirname(dirname(realpathSync(bq))), ...DOC));
      } catch {
        /* a dangling link: try the next */
      }
    }
  }
  out.push(join('/usr/lib/google-cloud-sdk', ...DOC), join('/usr/share/google-cloud-sdk', ...DOC), join('/opt/google-cloud-sdk', ...DOC));
  return out;
}

let cached: { path: string; doc: any } | undefined;

function load(): any {
  if (cached) return cached.doc;
  const tried = candidates();
  const path = tried.find((p) => existsSync(p));
  if (!path) throw new BigQueryError(404, 'notFound', `No BigQuery discovery document: install the Google Cloud CLI (bq) or set GRADEGUARD_BQ_DISCOVERY. Looked in ${tried.join(', ')}`);
  cached = { path, doc: JSON.parse(readFileSync(path, 'utf8')) };
  return cached.doc;
}

export function discoveryRoutes(router: Router, url: () => string) {
  const serve = async () => {
    const base = url().replace(/\/$/, '');
    return { ...load(), rootUrl: `${base}/`, baseUrl: `${base}/bigquery/v2/`, mtlsRootUrl: `${base}/` };
  };
  router.on('GET', '/\\$discovery/rest', serve).on('GET', '/discovery/v1/apis/bigquery/v2/rest', serve);
}
