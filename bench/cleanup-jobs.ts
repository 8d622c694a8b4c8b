/**
 * What the cleanup bench reads from the emulator besides the cleanup's own report: the job list of a run (every query
 * and copy job, with its times and bytes), and each of the run's SQL reads timed alone.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import { resolveTable } from '../src/cleanup/context.ts';
import { columnDifferencesSql, dedupeInsertSql, keySetDiffSql, profileSql, removedSql } from '../src/cleanup/sql.ts';
import { tableRef, type WarehouseTarget } from '../src/warehouse/target.ts';
import { median } from './summary.ts';

export interface JobInfo {
  type: string;
  query: string;
  created: number;
  ended: number;
  bytes: number;
  source?: string;
  destination?: string;
  dryRun: boolean;
  rows?: number;
}

export async function listJobs(url: string, projectId: string): Promise<JobInfo[]> {
  const jobs: JobInfo[] = [];
  let token: string | undefined;
  do {
    const res = await fetch(`${url}/bigquery/v2/projects/${projectId}/jobs?maxResults=1000${token ? `&pageToken=${token}` : ''}`);
    if (!res.ok) throw new Error(`jobs.list: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { jobs?: any[]; nextPageToken?: string };
    for (const j of body.jobs ?? []) {
      const c = j.configuration ?? {};
      jobs.push({
        type: c.jobType,
        query: c.query?.query ?? '',
        created: Number(j.statistics.creationTime),
        ended: Number(j.statistics.endTime ?? j.statistics.creationTime),
        bytes: Number(j.statistics.totalBytesProcessed ?? 0),
        source: c.copy?.sourceTable?.tableId ?? c.copy?.sourceTables?.[0]?.tableId,
        destination: c.copy?.destinationTable?.tableId,
        dryRun: Boolean(c.dryRun),
        rows: j.statistics.copy ? Number(j.statistics.copy.copiedRows) : undefined,
      });
    }
    token = body.nextPageToken;
  } while (token);
  return jobs;
}

/**
 * Each SQL read of the cleanup run alone, one after another on an otherwise idle emulator, against the last run's
 * verified backup (the original 500,000 rows) and a deduped copy made here: the warehouse work a run cannot avoid with
 * its checks, without the process, Firestore and Dataform CLI around it. Median of `repeats`.
 */
export async function probeReads(bq: BigQuery, target: WarehouseTarget, table: string, original: string, repeats: number): Promise<Array<{ name: string; perRun: number; ms: number }>> {
  const info = await resolveTable({ bigquery: bq, target }, table);
  const columns = info.shape.columns;
  const originalRef = tableRef(target, original);
  const probe = 'bench_probe_deduped';
  const probeRef = tableRef(target, probe);
  const run = async (sql: string) => void (await bq.query({ query: sql, location: target.location }));
  // A run makes two of these reads twice: the original's light profile (backup check, swap re-check) and the deduped
  // rows' profile (verify, live check after the swap). Each is timed once and counted `perRun` times.
  const reads: Array<{ name: string; perRun: number; sql: () => string; before?: () => Promise<void> }> = [
    { name: 'plan profile (with the differing-keys hash)', perRun: 1, sql: () => profileSql(originalRef, info.key, columns) },
    { name: 'profile of the original rows (backup check; swap re-check)', perRun: 2, sql: () => profileSql(originalRef, info.key, columns, { contents: false }) },
    {
      name: 'dedupe (INSERT … QUALIFY)',
      perRun: 1,
      before: async () => {
        await bq
          .dataset(target.dataset)
          .table(probe)
          .delete()
          .catch(() => undefined);
        await run(`CREATE TABLE ${probeRef} LIKE ${tableRef(target, table)}`);
      },
      sql: () => dedupeInsertSql(probeRef, originalRef, table, info.key, 'earliest', columns),
    },
    { name: 'profile of the deduped rows (verify; live check after the swap)', perRun: 2, sql: () => profileSql(probeRef, info.key, columns, { contents: false }) },
    { name: 'removed rows', perRun: 1, sql: () => removedSql(originalRef, table, info.key, 'earliest', columns) },
    { name: 'key sets both ways', perRun: 1, sql: () => keySetDiffSql(originalRef, probeRef, info.key) },
    { name: 'column differences', perRun: 1, sql: () => columnDifferencesSql(originalRef, info.key, columns) },
  ];
  const out: Array<{ name: string; perRun: number; ms: number }> = [];
  for (const read of reads) {
    const times: number[] = [];
    for (let i = 0; i < repeats; i++) {
      await read.before?.();
      const started = performance.now();
      await run(read.sql());
      times.push(performance.now() - started);
    }
    out.push({ name: read.name, perRun: read.perRun, ms: median(times) });
  }
  await bq
    .dataset(target.dataset)
    .table(probe)
    .delete()
    .catch(() => undefined);
  return out;
}
