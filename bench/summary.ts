/** What every benchmark's markdown section shares: the median, the machine line, dry-run bytes. */
import type { BigQuery } from '@google-cloud/bigquery';
import { cpus, loadavg, totalmem } from 'node:os';

/** The middle value; with an even count, the mean of the two middle ones. */
export function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The machine the figures come from, with the load average at the end (these machines are shared). */
export function machineLine(extra = ''): string {
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  return (
    `Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
    `load average ${load} at the end (other work shares this machine), Node ${process.version}${extra ? `; ${extra}` : ''}.`
  );
}

/** BigQuery's (or the emulator's) estimate of the bytes a query reads. */
export async function dryRunBytes(client: BigQuery, query: string, params?: Record<string, unknown>): Promise<number> {
  const [job] = await client.createQueryJob({ query, params, dryRun: true });
  return Number(job.metadata.statistics.totalBytesProcessed);
}
