/** Query jobs: run asynchronously, kept in memory with their results for paging. */
import { randomUUID } from 'node:crypto';
import type { DuckDBType } from '@duckdb/node-api';
import type { Engine } from './engine.ts';
import { Session } from './session.ts';
import { runScript } from './script/interpret.ts';
import { parseScript, type ScriptNode } from './script/parse.ts';
import { BigQueryError, invalid } from './errors.ts';
import { duckTypeToField, encodeValue, type FieldSchema } from './types.ts';
import { restParamLiteral, type RestParamType, type RestParamValue } from './query-parameters.ts';
import { positionalKey } from './sql/translate.ts';
import { connectionTimeZone, duckDbTimeZone } from './time-zone.ts';
import { estimateBytes } from './bytes.ts';
import { runCopy } from './copy-job.ts';
import { runLoad, type LoadResult } from './load-job.ts';
import { runExtract } from './extract-job.ts';
import { classify } from './sql/statement-kind.ts';
import { bigQueryResultNames } from './sql/result-names.ts';
import { JobHistory } from './job-history.ts';

export interface JobResult {
  names: string[];
  types: DuckDBType[];
  rows: any[][];
  statementType: string;
  affectedRows?: number;
  bytes: number;
  ddlTarget?: { datasetId: string; tableId: string; operation: string };
  load?: LoadResult;
  extract?: { files: number };
}

export interface Job {
  projectId: string;
  jobId: string;
  location: string;
  configuration: any;
  state: 'PENDING' | 'RUNNING' | 'DONE';
  error?: BigQueryError;
  result?: JobResult;
  creationTime: number;
  startTime?: number;
  endTime?: number;
  done: Promise<void>;
  abort: AbortController;
}

export class JobStore {
  constructor(
    private engine: Engine,
    private readonly jobs: JobHistory<Job> = new JobHistory<Job>(),
  ) {}

  get(projectId: string, jobId: string): Job {
    return this.jobs.get(projectId, jobId);
  }

  list(): Job[] {
    return this.jobs.values().sort((a, b) => b.creationTime - a.creationTime);
  }

  delete(projectId: string, jobId: string): void {
    this.jobs.get(projectId, jobId);
    this.jobs.delete(jobId);
  }

  /** `upload`: the data of a load job sent as a media upload. */
  insert(projectId: string, body: any, upload?: Buffer): Job {
    const configuration = body?.configuration;
    if (!configuration || typeof configuration !== 'object') throw invalid('Job configuration is required');
    rejectUnknown(body, jobFields, 'job');
    rejectUnknown(configuration, configurationFields, 'job.configuration');
    if (configuration.query) rejectUnknown(configuration.query, queryFields, 'job.configuration.query');
    const kinds = ['query', 'load', 'copy', 'extract'].filter((k) => configuration[k]);
    if (kinds.length !== 1) throw invalid('Job configuration must contain exactly one of query, load, copy or extract');
    if (kinds[0] === 'copy') {
      return this.insertTask(projectId, body, async () => {
        const r = await runCopy(this.engine, body.configuration.copy);
        return { names: [], types: [], rows: [], statementType: r.statementType, affectedRows: r.affectedRows, bytes: 0 };
      });
    }
    if (kinds[0] === 'load') {
      return this.insertTask(projectId, body, async () => {
        const r = await runLoad(this.engine, body.configuration.load, upload);
        return { names: [], types: [], rows: [], statementType: 'LOAD', bytes: 0, load: r };
      });
    }
    if (kinds[0] === 'extract') {
      return this.insertTask(projectId, body, async () => {
        const r = await runExtract(this.engine, body.configuration.extract);
        return { names: [], types: [], rows: [], statementType: 'EXTRACT', bytes: 0, extract: r };
      });
    }
    const q = configuration.query;
    if (typeof q.query !== 'string' || !q.query.trim()) throw invalid('Query configuration requires a non-empty query');
    if (q.useLegacySql === true) throw invalid('Legacy SQL is not supported by the local emulator: set useLegacySql to false');
    const values = parameterValues(q);
    duckDbTimeZone(connectionTimeZone(q.connectionProperties)); // rejects a malformed list or offset with the insert
    const job = this.newJob(projectId, body);
    job.done = this.run(job, q, values, configuration.dryRun === true);
    return job;
  }

  private newJob(projectId: string, body: any): Job {
    const jobId = body?.jobReference?.jobId ?? `job_${randomUUID().replace(/-/g, '')}`;
    if (!/^[A-Za-z0-9_-]{1,1024}$/.test(jobId)) throw invalid(`Invalid job ID "${jobId}"`);
    if (this.jobs.has(jobId)) throw new BigQueryError(409, 'duplicate', `Already Exists: Job ${projectId}:US.${jobId}`);
    const job: Job = {
      projectId,
      jobId,
      location: body?.jobReference?.location ?? 'US',
      configuration: body.configuration,
      state: 'PENDING',
      creationTime: Date.now(),
      done: Promise.resolve(),
      abort: new AbortController(),
    };
    this.jobs.add(job);
    return job;
  }

  /** A copy, load or extract job: one task, run asynchronously like a query. */
  private insertTask(projectId: string, body: any, task: () => Promise<JobResult>): Job {
    const job = this.newJob(projectId, body);
    job.done = (async () => {
      await Promise.resolve();
      job.state = 'RUNNING';
      job.startTime = Date.now();
      try {
        job.result = await task();
      } catch (e) {
        job.error = e instanceof BigQueryError ? e : new BigQueryError(500, 'backendError', e instanceof Error ? e.message : String(e));
      } finally {
        job.state = 'DONE';
        job.endTime = Date.now();
        this.jobs.finish(job);
      }
    })();
    return job;
  }

  private async run(job: Job, q: any, values: Map<string, string>, dryRun: boolean): Promise<void> {
    await Promise.resolve();
    job.state = 'RUNNING';
    job.startTime = Date.now();
    const defaultDataset = q.defaultDataset?.datasetId;
    const session = new Session(this.engine, { defaultDataset, values, signal: job.abort.signal, timeZone: duckDbTimeZone(connectionTimeZone(q.connectionProperties)) });
    try {
      if (dryRun) {
        job.result = await this.dryRun(session, q.query, defaultDataset);
      } else {
        const r = await runScript(session, q.query);
        const last = r.last;
        const isSelect = last?.statementType === 'SELECT';
        job.result = {
          names: isSelect ? last!.names : [],
          types: isSelect ? last!.types : [],
          rows: isSelect ? last!.rows : [],
          statementType: r.isScript ? 'SCRIPT' : (last?.statementType ?? 'SCRIPT'),
          affectedRows: r.isScript ? undefined : last?.affectedRows,
          bytes: await this.bytes(session, defaultDataset),
          ddlTarget: r.isScript ? undefined : last?.ddlTarget,
        };
      }
    } catch (e) {
      job.error = e instanceof BigQueryError ? e : new BigQueryError(500, 'backendError', e instanceof Error ? e.message : String(e));
    } finally {
      await session.close().catch(() => undefined);
      job.state = 'DONE';
      job.endTime = Date.now();
      this.jobs.finish(job);
    }
  }

  /** The bytes the job's queries and DML read (cached per table until it changes; see bytes.ts). */
  private bytes(session: Session, defaultDataset?: string): Promise<number> {
    return estimateBytes({ engine: this.engine, defaultDataset, translate: (sql) => session.translate(sql) }, session.scanPlans);
  }

  /** Validates every statement and estimates bytes without running anything. */
  private async dryRun(session: Session, sql: string, defaultDataset?: string): Promise<JobResult> {
    const nodes = parseScript(sql);
    const referenced = new Set<string>();
    let names: string[] = [];
    let types: DuckDBType[] = [];
    const visit = async (list: ScriptNode[]) => {
      for (const n of list) {
        if (n.kind === 'sql' && nodes.length !== 1) {
          // Inside a script only for the bytes: variables are not known yet, so a statement may not translate.
          try {
            if (/^\s*\(?\s*(select|with|insert|update|delete|merge)\b/i.test(n.text)) session.translate(await session.resolveSetOperations(n.text), referenced, undefined, true);
          } catch {
            /* counted as 0 bytes */
          }
        } else if (n.kind === 'sql' && /^\s*\(?\s*(insert|update|delete|merge)\b/i.test(n.text)) {
          const resolved = await session.resolveSetOperations(n.text);
          await session.checkAssignments(resolved, classify(n.text).type);
          session.translate(resolved, referenced, undefined, true);
        } else if (n.kind === 'sql' && /^\s*\(?\s*(select|with)\b/i.test(n.text)) {
          const duck = session.translate(await session.resolveSetOperations(n.text), referenced, undefined, true);
          const conn = await session.connection();
          const prepared = await conn.prepare(duck).catch((e) => {
            throw new BigQueryError(400, 'invalidQuery', String(e.message).split('\n')[0]);
          });
          names = bigQueryResultNames(Array.from({ length: prepared.columnCount }, (_, k) => prepared.columnName(k)));
          types = Array.from({ length: prepared.columnCount }, (_, k) => prepared.columnType(k));
        } else if ('body' in n && Array.isArray((n as any).body)) {
          await visit((n as any).body);
        }
      }
    };
    await visit(nodes);
    return { names, types, rows: [], statementType: nodes.length === 1 && nodes[0].kind === 'sql' ? classify(nodes[0].text).type : 'SCRIPT', bytes: await this.bytes(session, defaultDataset) };
  }
}

const jobFields = ['configuration', 'jobReference', 'kind', 'id', 'etag', 'selfLink', 'status', 'statistics', 'user_email', 'principal_subject'];
const configurationFields = ['query', 'load', 'copy', 'extract', 'dryRun', 'labels', 'jobTimeoutMs', 'jobType', 'reservation'];
const queryFields = [
  'query',
  'useLegacySql',
  'parameterMode',
  'queryParameters',
  'defaultDataset',
  'destinationTable',
  'writeDisposition',
  'createDisposition',
  'priority',
  'useQueryCache',
  'maximumBytesBilled',
  'allowLargeResults',
  'flattenResults',
  'timePartitioning',
  'clustering',
  'labels',
  'connectionProperties',
  'createSession',
  'schemaUpdateOptions',
  'destinationEncryptionConfiguration',
  'scriptOptions',
  'maxResults',
  'jobTimeoutMs',
  'preserveNulls',
  'continuous',
  'userDefinedFunctionResources',
  'tableDefinitions',
  'maximumBillingTier',
  'systemVariables',
  'location',
  'requestId',
  'reservation',
  'jobCreationMode',
  'formatOptions',
  'timeoutMs',
  'dryRun',
  'kind',
];

/** BigQuery rejects unknown fields rather than ignoring a typo. */
function rejectUnknown(obj: Record<string, unknown>, known: string[], where: string): void {
  const unknown = Object.keys(obj).find((k) => !known.includes(k));
  if (unknown) throw invalid(`Invalid JSON payload received. Unknown name "${unknown}" at '${where}': Cannot find field.`);
}

function parameterValues(q: any): Map<string, string> {
  const values = new Map<string, string>();
  const params: any[] = q.queryParameters ?? [];
  if (!Array.isArray(params)) throw invalid('queryParameters must be a list');
  const mode = String(q.parameterMode ?? (params.some((p) => p.name) ? 'NAMED' : 'POSITIONAL')).toUpperCase();
  params.forEach((p, k) => {
    const name = mode === 'NAMED' ? p.name : positionalKey(k);
    if (mode === 'NAMED' && (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))) throw invalid(`Invalid query parameter name: ${JSON.stringify(name)}`);
    values.set(name, restParamLiteral(p.parameterType as RestParamType, p.parameterValue as RestParamValue, name ?? `#${k + 1}`));
  });
  return values;
}

export function resultSchema(result: JobResult): { fields: FieldSchema[] } {
  return { fields: result.names.map((n, k) => duckTypeToField(n, result.types[k])) };
}

export function resultRows(result: JobResult, start: number, count: number, int64Timestamp: boolean) {
  return result.rows.slice(start, start + count).map((row) => ({
    f: row.map((v, k) => ({ v: encodeValue(v, result.types[k], { int64Timestamp }) })),
  }));
}
