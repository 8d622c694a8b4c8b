/**
 * MERGE with expressions in its ON, WHEN conditions, SET and INSERT VALUES (regressions: the
 * translator once left these to DuckDB verbatim, so CURRENT_TIMESTAMP(), IF and SAFE_CAST failed).
 */
import type { ConformanceCase } from '../case.js';

const DML = 'BigQuery docs: Data manipulation language (DML) statements — MERGE statement';

type Param = NonNullable<ConformanceCase['params']>[number];
const scalar = (name: string, type: string, value: string): Param => ({ name, parameterType: { type }, parameterValue: { value } });

const RUNS = [
  'create table conf.runs (run_id STRING, status STRING, finished_at TIMESTAMP, attempts INT64, game_date DATE)',
  "insert into conf.runs values ('r1', 'running', NULL, 1, DATE '2024-03-01'), ('r2', 'running', NULL, 2, DATE '2024-03-02')",
];

const upsert = () => `MERGE conf.runs T
USING (SELECT @run_id AS run_id, @status AS status) S
ON T.run_id = S.run_id
WHEN MATCHED THEN UPDATE SET status = S.status, finished_at = IF(@finished, CURRENT_TIMESTAMP(), NULL), attempts = T.attempts + 1
WHEN NOT MATCHED THEN INSERT (run_id, status, finished_at, attempts) VALUES (S.run_id, S.status, IF(@finished, CURRENT_TIMESTAMP(), NULL), 1);
SELECT run_id, status, finished_at IS NOT NULL AS finished, attempts FROM conf.runs WHERE run_id = @run_id`;

export const cases: ConformanceCase[] = [
  {
    name: 'dml: MERGE WHEN MATCHED UPDATE SET with IF(@p, CURRENT_TIMESTAMP(), NULL)',
    source: `${DML} (update_item: column = expression); Conditional expressions — IF; CURRENT_TIMESTAMP`,
    setup: RUNS,
    sql: upsert(),
    params: [scalar('run_id', 'STRING', 'r1'), scalar('status', 'STRING', 'succeeded'), scalar('finished', 'BOOL', 'true')],
    expect: { rows: [['r1', 'succeeded', true, '2']] },
  },
  {
    name: 'dml: MERGE WHEN MATCHED UPDATE SET IF(...) takes the NULL branch',
    source: `${DML}; Conditional expressions — IF`,
    setup: RUNS,
    sql: upsert(),
    params: [scalar('run_id', 'STRING', 'r2'), scalar('status', 'STRING', 'running'), scalar('finished', 'BOOL', 'false')],
    expect: { rows: [['r2', 'running', false, '3']] },
  },
  {
    name: 'dml: MERGE and UPDATE SET col = NULL assign NULL (an assignment, not a comparison with a literal NULL)',
    source: `${DML} (update_item: column = expression); UPDATE statement`,
    setup: RUNS,
    sql: `MERGE conf.runs T USING (SELECT 'r1' AS run_id) S ON T.run_id = S.run_id WHEN MATCHED THEN UPDATE SET status = NULL;
UPDATE conf.runs SET game_date = NULL WHERE run_id = 'r2';
SELECT run_id, status, game_date FROM conf.runs ORDER BY run_id`,
    expect: {
      rows: [
        ['r1', null, '2024-03-01'],
        ['r2', 'running', null],
      ],
    },
  },
  {
    name: 'dml: MERGE WHEN NOT MATCHED INSERT VALUES with CURRENT_TIMESTAMP()',
    source: `${DML} (merge_insert_clause: VALUES (expression, ...))`,
    setup: RUNS,
    sql: upsert(),
    params: [scalar('run_id', 'STRING', 'r9'), scalar('status', 'STRING', 'failed'), scalar('finished', 'BOOL', 'true')],
    expect: { rows: [['r9', 'failed', true, '1']] },
  },
  {
    name: 'dml: MERGE INSERT VALUES with SAFE_CAST, DIV and CONCAT',
    source: `${DML}; Conversion functions — SAFE_CAST; Mathematical functions — DIV; String functions — CONCAT`,
    setup: RUNS,
    sql: `MERGE conf.runs T USING (SELECT 'r5' AS run_id, '7x' AS n) S ON T.run_id = S.run_id
WHEN NOT MATCHED THEN INSERT (run_id, status, attempts) VALUES (S.run_id, CONCAT('s-', S.run_id), COALESCE(SAFE_CAST(S.n AS INT64), DIV(7, 2)));
SELECT run_id, status, attempts FROM conf.runs WHERE run_id = 'r5'`,
    expect: { rows: [['r5', 's-r5', '3']] },
  },
  {
    name: 'dml: MERGE WHEN MATCHED AND <function condition> chooses the clause',
    source: `${DML} (WHEN MATCHED [AND search_condition])`,
    setup: RUNS,
    sql: `MERGE conf.runs T USING (SELECT run_id FROM conf.runs) S ON T.run_id = S.run_id
WHEN MATCHED AND STARTS_WITH(T.run_id, 'r1') AND IFNULL(T.finished_at, TIMESTAMP '2000-01-01') < CURRENT_TIMESTAMP() THEN UPDATE SET status = UPPER(T.status)
WHEN MATCHED THEN UPDATE SET status = FORMAT('%s/%d', T.status, T.attempts);
SELECT run_id, status FROM conf.runs ORDER BY run_id`,
    expect: {
      rows: [
        ['r1', 'RUNNING'],
        ['r2', 'running/2'],
      ],
      ordered: true,
    },
  },
  {
    name: 'dml: MERGE UPDATE SET with DATE_ADD of a DATE parameter',
    source: `${DML}; Date functions — DATE_ADD`,
    setup: RUNS,
    sql: `MERGE conf.runs T USING (SELECT 'r1' AS run_id) S ON T.run_id = S.run_id
WHEN MATCHED THEN UPDATE SET game_date = DATE_ADD(@d, INTERVAL 2 DAY);
SELECT game_date FROM conf.runs WHERE run_id = 'r1'`,
    params: [scalar('d', 'DATE', '2024-05-30')],
    expect: { rows: [['2024-06-01']] },
  },
  {
    name: 'dml: MERGE ON with a function of the source column',
    source: `${DML} (merge_condition: any boolean expression)`,
    setup: RUNS,
    sql: `MERGE conf.runs T USING (SELECT 'R2' AS id) S ON T.run_id = LOWER(S.id)
WHEN MATCHED THEN UPDATE SET attempts = 10;
SELECT run_id, attempts FROM conf.runs ORDER BY run_id`,
    expect: {
      rows: [
        ['r1', '1'],
        ['r2', '10'],
      ],
      ordered: true,
    },
  },
  {
    name: 'dml: MERGE ON with a DATE parameter conjunct',
    source: `${DML} (merge_condition)`,
    setup: RUNS,
    sql: `MERGE conf.runs T USING (SELECT run_id FROM conf.runs) S ON T.run_id = S.run_id AND T.game_date = @d
WHEN MATCHED THEN DELETE;
SELECT run_id FROM conf.runs`,
    params: [scalar('d', 'DATE', '2024-03-02')],
    expect: { rows: [['r1']] },
  },
  {
    name: 'dml: MERGE ON a NULL-safe key: NULL and -1 are different keys',
    source: `${DML} (merge_condition; a target row may match at most one source row)`,
    setup: ['CREATE TABLE conf.lines (k STRING, line FLOAT64, v INT64)', "INSERT INTO conf.lines VALUES ('a', NULL, 1)"],
    sql: `MERGE conf.lines T USING (SELECT 'a' AS k, CAST(NULL AS FLOAT64) AS line, 2 AS v UNION ALL SELECT 'a', -1, 3) S
ON T.k = S.k AND (T.line = S.line OR (T.line IS NULL AND S.line IS NULL))
WHEN MATCHED THEN UPDATE SET v = S.v
WHEN NOT MATCHED THEN INSERT (k, line, v) VALUES (S.k, S.line, S.v);
SELECT line, v FROM conf.lines ORDER BY v`,
    expect: {
      rows: [
        [null, '2'],
        [-1, '3'],
      ],
      ordered: true,
    },
  },
  {
    name: 'dml: MERGE ON a NULL-safe key: two NULL source rows matching one target row fail',
    source: `${DML} (UPDATE/MERGE must match at most one source row for each target row)`,
    setup: ['CREATE TABLE conf.lines2 (k STRING, line FLOAT64, v INT64)', "INSERT INTO conf.lines2 VALUES ('a', NULL, 1)"],
    sql: `MERGE conf.lines2 T USING (SELECT 'a' AS k, CAST(NULL AS FLOAT64) AS line, 2 AS v UNION ALL SELECT 'a', NULL, 3) S
ON T.k = S.k AND (T.line = S.line OR (T.line IS NULL AND S.line IS NULL))
WHEN MATCHED THEN UPDATE SET v = S.v`,
    expect: { error: 'UPDATE/MERGE must match at most one source row for each target row' },
  },
  {
    name: 'dml: MERGE whose matched clauses only DELETE accepts several source rows per target row',
    source: `${DML} ("If there is at least one matched_clause performing an UPDATE operation, a runtime error is returned when multiple rows from the source table match one row from the target table")`,
    setup: RUNS,
    sql: `MERGE conf.runs T USING (SELECT 'r1' AS run_id UNION ALL SELECT 'r1') S ON T.run_id = S.run_id WHEN MATCHED THEN DELETE;
SELECT run_id FROM conf.runs`,
    expect: { rows: [['r2']] },
  },
  {
    name: 'dml: MERGE ... WHEN MATCHED THEN INSERT is a syntax error, and adds no row',
    source: `${DML} (matched_clause: WHEN MATCHED [AND search_condition] THEN { merge_update_clause | merge_delete_clause })`,
    setup: RUNS,
    sql: `MERGE conf.runs T USING (SELECT 'r1' AS run_id) S ON T.run_id = S.run_id WHEN MATCHED THEN INSERT (run_id) VALUES ('r9')`,
    expect: { error: 'WHEN MATCHED cannot INSERT' },
  },
  {
    name: 'dml: MERGE without a WHEN clause is a syntax error',
    source: `${DML} ("There must be at least one when_clause in each MERGE statement")`,
    setup: RUNS,
    sql: `MERGE conf.runs T USING (SELECT 'r1' AS run_id) S ON T.run_id = S.run_id`,
    expect: { error: 'MERGE needs at least one WHEN clause' },
  },
];
