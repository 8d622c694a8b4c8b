/**
 * The system variables a statement may read (https://cloud.google.com/bigquery/docs/reference/system-variables) that
 * the emulator knows before any statement runs: the project, the job's default dataset and time zone. @@row_count and
 * @@error.* are set by the script interpreter; any other is refused when read (ast-fixes.ts) or set (parse.ts).
 */
import { quoteLiteral } from '../sql/quote.ts';
import { systemKey } from '../sql/translate.ts';

const NULL_STRING = 'CAST(NULL AS VARCHAR)';

/** Sets the job's system variables in `values` (DuckDB literals by key), keeping any already there. */
export function setSystemVariables(values: Map<string, string>, job: { projectId: string; defaultDataset?: string; timeZone?: string }): void {
  const system: Record<string, string> = {
    project_id: quoteLiteral(job.projectId),
    dataset_project_id: job.defaultDataset ? quoteLiteral(job.projectId) : NULL_STRING,
    dataset_id: job.defaultDataset ? quoteLiteral(job.defaultDataset) : NULL_STRING,
    time_zone: quoteLiteral(job.timeZone ?? 'UTC'),
  };
  for (const [name, literal] of Object.entries(system)) if (!values.has(systemKey(name))) values.set(systemKey(name), literal);
}
