/**
 * Media uploads of load jobs, as Google's clients send them to /upload/bigquery/v2/projects/{p}/jobs:
 * `uploadType=multipart` (the job resource and the data in one multipart/related body) and `uploadType=resumable`
 * (a POST with the job resource answered with a session Location, then PUTs of the data, possibly in chunks).
 */
import { randomUUID } from 'node:crypto';
import { Reply, type Router } from '../http.ts';
import { invalid, notFound } from '../errors.ts';
import { jobResource, waitFor } from './jobs.ts';
import type { JobStore } from '../jobs.ts';

const SESSION_TTL_MS = 60 * 60 * 1000;

function parseMultipart(body: { multipart: Buffer; contentType: string }): { job: any; data: Buffer } {
  const boundary = /boundary="?([^";]+)"?/i.exec(body.contentType)?.[1];
  if (!boundary) throw invalid('Multipart upload without a boundary');
  const parts: Buffer[] = [];
  const delim = Buffer.from(`--${boundary}`);
  let at = body.multipart.indexOf(delim);
  while (at >= 0) {
    const next = body.multipart.indexOf(delim, at + delim.length);
    if (next < 0) break;
    parts.push(body.multipart.subarray(at + delim.length, next));
    at = next;
  }
  const content = (part: Buffer) => {
    const split = part.indexOf('\r\n\r\n');
    const sep = split >= 0 ? split + 4 : part.indexOf('\n\n') + 2;
    let data = part.subarray(sep);
    if (data.subarray(-2).toString() === '\r\n') data = data.subarray(0, -2);
    else if (data.subarray(-1).toString() === '\n') data = data.subarray(0, -1);
    return data;
  };
  if (parts.length < 2) throw invalid('Multipart upload needs the job resource and the data');
  return { job: JSON.parse(content(parts[0]).toString('utf8')), data: content(parts[1]) };
}

export function uploadRoutes(router: Router, jobs: JobStore, baseUrl: () => string) {
  const sessions = new Map<string, { projectId: string; job: any; chunks: Buffer[]; created: number }>();
  const finish = async (projectId: string, job: any, data: Buffer) => {
    const inserted = jobs.insert(projectId, job, data);
    await waitFor(inserted, 50);
    return jobResource(inserted);
  };

  router
    .on('POST', '/upload/projects/:p/jobs', async ({ params, query, body }) => {
      const type = query.get('uploadType');
      if (type === 'multipart') {
        if (!body?.multipart) throw invalid('uploadType=multipart needs a multipart/related body');
        const { job, data } = parseMultipart(body);
        return finish(params.p, job, data);
      }
      if (type === 'resumable') {
        for (const [id, s] of sessions) if (Date.now() - s.created > SESSION_TTL_MS) sessions.delete(id);
        const id = randomUUID();
        sessions.set(id, { projectId: params.p, job: body ?? {}, chunks: [], created: Date.now() });
        return new Reply(200, undefined, { location: `${baseUrl()}/upload/bigquery/v2/projects/${encodeURIComponent(params.p)}/jobs?uploadType=resumable&upload_id=${id}` });
      }
      throw invalid(`Unsupported uploadType ${type}: use multipart or resumable`);
    })
    .on('PUT', '/upload/projects/:p/jobs', async ({ query, body, raw }) => {
      const id = query.get('upload_id') ?? '';
      const session = sessions.get(id);
      if (!session) throw notFound(`Upload session ${id}`);
      const data: Buffer = body ?? Buffer.alloc(0);
      // Content-Range: bytes a-b/total (a chunk), bytes */total (a status query) or absent (everything).
      const range = /bytes (\d+)-(\d+)\/(\d+|\*)/.exec(String(raw.headers['content-range'] ?? ''));
      if (data.length) session.chunks.push(data);
      const received = session.chunks.reduce((n, c) => n + c.length, 0);
      const total = range ? (range[3] === '*' ? undefined : Number(range[3])) : /bytes \*\/(\d+)/.exec(String(raw.headers['content-range'] ?? ''))?.[1];
      if (total !== undefined && received < Number(total)) {
        return new Reply(308, undefined, received ? { range: `bytes=0-${received - 1}` } : {});
      }
      sessions.delete(id);
      return finish(session.projectId, session.job, Buffer.concat(session.chunks));
    });
}
