/**
 * BigQuery's per-table concurrency limits and metadata update rate (emulator/bigquery/limits.ts), each with the error
 * text Google documents. The DML jobs run at once (`concurrent`). "Could not serialize access" needs two statements
 * held running at once, which REST jobs cannot arrange deterministically: test/emulator/table-limits.test.ts has it.
 */
import type { ConformanceCase } from '../case.js';

const DML_CONCURRENCY = 'BigQuery docs: Data manipulation language (DML) — UPDATE, DELETE, MERGE DML concurrency';
const TROUBLESHOOT = 'BigQuery docs: Troubleshoot quota and limit errors';

/** A table big enough that one full UPDATE is still running when the next jobs arrive. */
const contended = (name: string) => [`CREATE TABLE conf.${name} AS SELECT x AS id, 0 AS n FROM UNNEST(GENERATE_ARRAY(1, 20000)) AS x`];

export const cases: ConformanceCase[] = [
  {
    name: 'concurrency: more than 2 running + 20 queued mutating DML on one table fails the rest',
    source: `${DML_CONCURRENCY}; ${TROUBLESHOOT} — Too many DML statements outstanding against table`,
    setup: contended('dml_queue_t'),
    sql: 'UPDATE conf.dml_queue_t SET n = n + 1 WHERE TRUE',
    concurrent: 25,
    expect: { error: '^Resources exceeded during query execution: Too many DML statements outstanding against table [^ ]+:conf\\.dml_queue_t, limit is 20\\.$' },
  },
  {
    name: 'concurrency: a sixth table metadata update within 10 seconds hits the rate limit',
    source: `BigQuery docs: Quotas and limits — Maximum rate of table metadata update operations per table (5 per 10 seconds); ${TROUBLESHOOT}`,
    setup: Array.from({ length: 5 }, (_, k) => `CREATE OR REPLACE VIEW conf.rate_limited_v AS SELECT ${k} AS x`),
    sql: 'CREATE OR REPLACE VIEW conf.rate_limited_v AS SELECT 5 AS x',
    expect: { error: '^Exceeded rate limits: too many table update operations for this table' },
  },
];
