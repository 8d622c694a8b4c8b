import { noContent, type Router } from '../http.ts';
import type { Engine } from '../engine.ts';
import { JobStore, resultRows, resultSchema, type Job } from '../jobs.ts';
import { BigQueryError, invalid } from '../errors.ts';

const DEFAULT_WAIT_MS = 10_000;

async function waitFor(job: Job, timeoutMs: number): Promise<boolean> {
  if (job.state === 'DONE') return true;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((r) => (timer = setTimeout(() => r(false), timeoutMs)));
  const done = await Promise.race([job.done.then(() => true as const), timeout]);
  clearTimeout(timer);
  return done;
}

function jobResource(job: Job) {
  const r = job.result;
  const isQuery = !!job.configuration.query;
  const statistics: any = {
    creationTime: String(job.creationTime),
    ...(job.startTime ? { startTime: String(job.startTime) } : {}),
    ...(job.endTime ? { endTime: String(job.endTime) } : {}),
    totalBytesProcessed: String(r?.bytes ?? 0),
  };
  if (isQuery) {
    statistics.query = {
      totalBytesProcessed: String(r?.bytes ?? 0),
      totalBytesBilled: '0',
      cacheHit: false,
      ...(r ? { statementType: r.statementType } : {}),
      ...(r?.affectedRows !== undefined ? { numDmlAffectedRows: String(r.affectedRows), dmlStats: { affectedRowCount: String(r.affectedRows) } } : {}),
      ...(r && r.names.length ? { schema: resultSchema(r) } : {}),
      ...(r?.ddlTarget ? { ddlOperationPerformed: r.ddlTarget.operation, ddlTargetTable: { projectId: job.projectId, datasetId: r.ddlTarget.datasetId, tableId: r.ddlTarget.tableId } } : {}),
    };
  }
  if (r?.load) statistics.load = { inputFiles: String(r.load.inputFiles), inputFileBytes: String(r.load.inputFileBytes), outputRows: String(r.load.outputRows), outputBytes: '0', badRecords: '0' };
  if (r?.extract) statistics.extract = { destinationUriFileCounts: [String(r.extract.files)] };
  if (job.configuration.copy && r) statistics.copy = { copiedRows: String(r.affectedRows ?? 0) };
  const status: any = { state: job.state };
  if (job.error) {
    const e = job.error.toJSON().error.errors[0];
    status.errorResult = e;
    status.errors = [e];
  }
  return {
    kind: 'bigquery#job',
    etag: String(job.creationTime),
    id: `${job.projectId}:${job.location}.${job.jobId}`,
    selfLink: `/projects/${job.projectId}/jobs/${job.jobId}`,
    user_email: 'local@gradeguard.invalid',
    jobReference: { projectId: job.projectId, jobId: job.jobId, location: job.location },
    configuration: { ...job.configuration, jobType: ['query', 'load', 'copy', 'extract'].find((k) => job.configuration[k])?.toUpperCase() ?? 'QUERY' },
    status,
    statistics,
  };
}

function queryResults(job: Job, query: URLSearchParams | Record<string, any>, complete: boolean) {
  const get = (k: string) => (query instanceof URLSearchParams ? query.get(k) : query[k]);
  const base = { kind: 'bigquery#getQueryResultsResponse', etag: '0', jobReference: { projectId: job.projectId, jobId: job.jobId, location: job.location } };
  if (!complete) return { ...base, jobComplete: false };
  if (job.error) throw job.error;
  const r = job.result!;
  const start = Number(get('startIndex') ?? get('pageToken') ?? 0);
  const max = Number(get('maxResults') ?? 100_000);
  if (!Number.isInteger(start) || start < 0 || !Number.isInteger(max) || max < 0) throw invalid('startIndex/pageToken and maxResults must be non-negative integers');
  const int64 = String(get('formatOptions.useInt64Timestamp') ?? get('formatOptions')?.useInt64Timestamp ?? 'false') === 'true';
  const rows = resultRows(r, start, max, int64);
  const next = start + rows.length;
  return {
    ...base,
    jobComplete: true,
    schema: resultSchema(r),
    ...(rows.length ? { rows } : {}),
    totalRows: String(r.rows.length),
    ...(next < r.rows.length ? { pageToken: String(next) } : {}),
    totalBytesProcessed: String(r.bytes),
    cacheHit: false,
    ...(r.affectedRows !== undefined ? { numDmlAffectedRows: String(r.affectedRows) } : {}),
  };
}

export { jobResource, waitFor };

export function jobRoutes(router: Router, engine: Engine, jobs: JobStore) {
  router
    .on('POST', '/projects/:p/jobs', async ({ params, body }) => {
      const job = jobs.insert(params.p, body);
      // Dry runs answer synchronously (with their error, as BigQuery does); real jobs return while running.
      if (job.configuration.dryRun) {
        await job.done;
        if (job.error) throw job.error;
      } else {
        await waitFor(job, 50);
      }
      return jobResource(job);
    })
    .on('GET', '/projects/:p/jobs', async ({ params, query }) => {
      const all = jobs.list().filter((j) => j.projectId === params.p);
      const max = Number(query.get('maxResults') ?? 1000);
      const start = Number(query.get('pageToken') ?? 0);
      return { kind: 'bigquery#jobList', etag: '0', jobs: all.slice(start, start + max).map(jobResource), ...(start + max < all.length ? { nextPageToken: String(start + max) } : {}) };
    })
    .on('GET', '/projects/:p/jobs/:id', async ({ params }) => jobResource(jobs.get(params.p, params.id)))
    .on('POST', '/projects/:p/jobs/:id/cancel', async ({ params }) => {
      const job = jobs.get(params.p, params.id);
      if (job.state !== 'DONE') job.abort.abort();
      return { kind: 'bigquery#jobCancelResponse', job: jobResource(job) };
    })
    .on('DELETE', '/projects/:p/jobs/:id/delete', async ({ params }) => {
      jobs.delete(params.p, params.id);
      return noContent();
    })
    .on('GET', '/projects/:p/queries/:id', async ({ params, query }) => {
      const job = jobs.get(params.p, params.id);
      if (job.configuration.dryRun) throw new BigQueryError(404, 'notFound', `Not found: Job ${params.p}:${job.location}.${params.id}`);
      const complete = await waitFor(job, Math.min(Number(query.get('timeoutMs') ?? DEFAULT_WAIT_MS), 60_000));
      return queryResults(job, query, complete);
    })
    .on('POST', '/projects/:p/queries', async ({ params, body }) => {
      if (!body || typeof body.query !== 'string') throw invalid('Required parameter is missing: query');
      const { timeoutMs, maxResults, dryRun, location, requestId, formatOptions, jobCreationMode, ...query } = body;
      void requestId;
      void jobCreationMode;
      const job = jobs.insert(params.p, { jobReference: { location }, configuration: { query, dryRun } });
      const complete = await waitFor(job, Math.min(Number(timeoutMs ?? DEFAULT_WAIT_MS), 60_000));
      if (dryRun) {
        if (job.error) throw job.error;
        return {
          kind: 'bigquery#queryResponse',
          jobReference: { projectId: params.p, location: job.location },
          jobComplete: true,
          totalBytesProcessed: String(job.result?.bytes ?? 0),
          schema: job.result ? resultSchema(job.result) : { fields: [] },
          cacheHit: false,
        };
      }
      return { ...queryResults(job, { maxResults, formatOptions }, complete), kind: 'bigquery#queryResponse' };
    });
}
