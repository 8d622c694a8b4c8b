import type { ConformanceCase } from '../case.js';
import { DDL, DML, SCRIPT, IS, incSetup } from './dataform.js';

/** Dataform CLI statement shapes, continued from dataform.ts. */
export const cases: ConformanceCase[] = [
  {
    name: 'dataform: INSERT_OVERWRITE with DECLARE ... DEFAULT (ARRAY(SELECT DISTINCT)) and INSERT ROW',
    source: `${DML} — MERGE statement, INSERT ROW; ${SCRIPT} — DECLARE with DEFAULT subquery`,
    setup: [
      'create table conf.df_ovw2 (d DATE, n INT64)',
      "insert into conf.df_ovw2 (d, n) values (DATE '2024-05-01', 1), (DATE '2024-05-02', 2)",
      "create table conf.df_ovw2_src as select DATE '2024-05-02' as d, 20 as n union all select DATE '2024-05-02', 21",
    ],
    sql: `BEGIN
  DECLARE dataform_partitions_to_replace DEFAULT (ARRAY(SELECT DISTINCT d FROM conf.df_ovw2_src));
  MERGE conf.df_ovw2 T USING conf.df_ovw2_src S ON FALSE
  WHEN NOT MATCHED BY SOURCE AND T.d IN UNNEST(dataform_partitions_to_replace) THEN DELETE
  WHEN NOT MATCHED BY TARGET THEN INSERT ROW;
END;
select d, n from conf.df_ovw2 order by d, n`,
    expect: {
      rows: [
        ['2024-05-01', '1'],
        ['2024-05-02', '20'],
        ['2024-05-02', '21'],
      ],
      ordered: true,
    },
  },
  {
    name: 'dataform: assertion on an empty view returns NULL row_count',
    source: 'BigQuery docs: Aggregate functions — SUM ("Returns NULL if the input contains only NULLs" / no rows)',
    setup: [
      'create table conf.df_orders (id INT64, amount INT64)',
      'insert into conf.df_orders (id, amount) values (1, 10), (2, 20)',
      'create or replace view `my-project.conf.df_assert_ok` as select * from conf.df_orders where amount < 0',
    ],
    sql: 'select sum(1) as row_count from `my-project.conf.df_assert_ok`',
    expect: { rows: [[null]], columns: ['row_count'], types: ['INT64'] },
  },
  {
    name: 'dataform: assertion on a view with failing rows returns their count',
    source: 'BigQuery docs: Aggregate functions — SUM',
    setup: [
      'create table conf.df_orders (id INT64, amount INT64)',
      'insert into conf.df_orders (id, amount) values (1, -10), (2, 20), (3, -5)',
      'create or replace view `my-project.conf.df_assert_bad` as select * from conf.df_orders where amount < 0',
    ],
    sql: 'select sum(1) as row_count from `my-project.conf.df_assert_bad`',
    expect: { rows: [['2']], columns: ['row_count'], types: ['INT64'] },
  },
  {
    name: 'dataform: uniqueKey assertion query returns duplicated keys with their count',
    source: 'BigQuery docs: Query syntax — GROUP BY, COUNT; Dataform indexAssertion SQL',
    setup: ['create table conf.df_dupes (k STRING, v INT64)', "insert into conf.df_dupes (k, v) values ('a', 1), ('a', 2), ('b', 3)"],
    sql: `
SELECT
  *
FROM (
  SELECT
    k,
    COUNT(1) AS index_row_count
  FROM \`my-project.conf.df_dupes\`
  GROUP BY k
  ) AS data
WHERE index_row_count > 1
`,
    expect: { rows: [['a', '2']], columns: ['k', 'index_row_count'] },
  },
  {
    name: 'dataform: rowConditions assertion with an escaped condition string',
    source: "BigQuery docs: Lexical structure — String literals (escape sequences \\' and \\\\); Dataform rowConditionsAssertion SQL",
    setup: ['create table conf.df_rows (name STRING)', "insert into conf.df_rows (name) values ('ok'), (NULL)"],
    sql: `
SELECT
  'name != \\'\\' and name is not null' AS failing_row_condition,
  *
FROM \`my-project.conf.df_rows\`
WHERE NOT (name != '' and name is not null)
`,
    expect: { rows: [["name != '' and name is not null", null]] },
  },
  {
    name: 'dataform: drop view if exists on a missing view succeeds',
    source: `${DDL} — DROP VIEW statement, IF EXISTS`,
    sql: 'drop view if exists `my-project.conf.df_no_such_view`;\nselect 1 as ok',
    expect: { rows: [['1']] },
  },
  {
    name: 'dataform: drop table if exists removes the table from INFORMATION_SCHEMA.TABLES',
    source: `${DDL} — DROP TABLE statement; ${IS} — TABLES view`,
    setup: ['create table conf.df_gone (n INT64)', 'create table conf.df_stays (n INT64)'],
    sql: `drop table if exists \`my-project.conf.df_gone\`;
select table_name from conf.INFORMATION_SCHEMA.TABLES where table_name like 'df_%' order by table_name`,
    expect: { rows: [['df_stays']], ordered: true },
  },
  {
    name: 'dataform: object type change, drop table then create view with the same name',
    source: `${DDL} — DROP TABLE, CREATE VIEW`,
    setup: ['create table conf.df_switch (n INT64)'],
    sql: `drop table if exists \`my-project.conf.df_switch\`;
      create or replace view \`my-project.conf.df_switch\` as select 5 as n;
select table_type from conf.INFORMATION_SCHEMA.TABLES where table_name = 'df_switch'`,
    expect: { rows: [['VIEW']] },
  },
  {
    name: 'dataform: lower-case keywords and a trailing -- comment line',
    source: 'BigQuery docs: Lexical structure — Case sensitivity (keywords are case-insensitive), Comments',
    sql: `select
  upper('a') as u, -- inline comment
  count(*) as n
from unnest([1, 2, 3]) as x
where x > 1
-- trailing comment`,
    expect: { rows: [['A', '2']] },
  },
  {
    name: "dataform: \\' and \\\\ escapes in string literals",
    source: 'BigQuery docs: Lexical structure — Escape sequences in string and bytes literals',
    sql: "select 'it\\'s' as a, 'back\\\\slash' as b, length('\\\\') as c",
    expect: { rows: [["it's", 'back\\slash', '1']] },
  },
  {
    name: 'dataform: pre-operation DECLARE used in the main CREATE TABLE query',
    source: `${SCRIPT} — DECLARE (variables can be used in queries of a script)`,
    sql: `declare cutoff date default DATE '2024-01-02';
create or replace table \`my-project.conf.df_pre\` as
select d from unnest([DATE '2024-01-01', DATE '2024-01-02', DATE '2024-01-03']) as d where d >= cutoff;
select d from conf.df_pre order by d`,
    expect: { rows: [['2024-01-02'], ['2024-01-03']], ordered: true },
  },
  {
    name: 'dataform: DECLARE typed with DEFAULT (subquery on the target) in an incremental pre-operation',
    source: `${SCRIPT} — DECLARE variable_name type DEFAULT expression`,
    setup: incSetup,
    sql: `declare max_d DATE default (select max(d) from \`my-project.conf.df_inc\`);
insert into \`my-project.conf.df_inc\` (\`k\`,\`v\`,\`d\`)
select \`k\`,\`v\`,\`d\` from (
  select 'old' as k, 0 as v, DATE '2024-01-01' as d union all select 'new', 9, DATE '2024-01-09'
) as insertions where d > max_d;
select k, d from conf.df_inc order by d, k`,
    expect: {
      rows: [
        ['a', '2024-01-01'],
        ['b', '2024-01-02'],
        ['new', '2024-01-09'],
      ],
      ordered: true,
    },
  },
  {
    name: 'dataform: table built with ARRAY_AGG(STRUCT(...) ORDER BY ...)',
    source: 'BigQuery docs: Aggregate functions — ARRAY_AGG; Data types — STRUCT',
    sql: `create or replace table \`my-project.conf.df_nested\` as
select k, array_agg(struct(v, d) order by d) as items
from unnest([
  struct('a' as k, 1 as v, DATE '2024-01-02' as d),
  struct('a' as k, 2 as v, DATE '2024-01-01' as d),
  struct('b' as k, 3 as v, DATE '2024-01-03' as d)
])
group by k;
select k, items from conf.df_nested order by k`,
    expect: {
      rows: [
        [
          'a',
          [
            { v: '2', d: '2024-01-01' },
            { v: '1', d: '2024-01-02' },
          ],
        ],
        ['b', [{ v: '3', d: '2024-01-03' }]],
      ],
      ordered: true,
    },
  },
  {
    name: 'dataform: EXECUTE IMMEDIATE building ALTER TABLE ADD COLUMN IF NOT EXISTS from STRING_AGG(FORMAT(...))',
    source: `${SCRIPT} — EXECUTE IMMEDIATE; ${DDL} — ALTER TABLE ADD COLUMN; ${IS} — COLUMNS view`,
    setup: ['create table conf.df_evolve (id INT64)'],
    sql: `EXECUTE IMMEDIATE (
    "ALTER TABLE \`my-project.conf.df_evolve\` " ||
    (
      SELECT STRING_AGG(FORMAT("ADD COLUMN IF NOT EXISTS %s %s", column_info.column_name, column_info.data_type), ", ")
      FROM UNNEST([STRUCT('label' AS column_name, 'STRING' AS data_type), STRUCT('id' AS column_name, 'INT64' AS data_type)]) AS column_info
    )
  );
select column_name, data_type from conf.INFORMATION_SCHEMA.COLUMNS where table_name = 'df_evolve' order by ordinal_position`,
    expect: {
      rows: [
        ['id', 'INT64'],
        ['label', 'STRING'],
      ],
      ordered: true,
    },
  },
  {
    name: 'dataform: RAISE USING MESSAGE = FORMAT("... %T ...") fails the job with the formatted message',
    source: `${SCRIPT} — RAISE; BigQuery docs: String functions — FORMAT (%T)`,
    sql: `DECLARE invalid_removed_columns ARRAY<STRING> DEFAULT ['k'];
IF ARRAY_LENGTH(invalid_removed_columns) > 0 THEN
  RAISE USING MESSAGE = FORMAT(
    "Cannot drop columns %T as they are part of the unique key for table %s",
    invalid_removed_columns, 'conf.t'
  );
END IF;
select 1`,
    expect: { error: 'Cannot drop columns \\["k"\\] as they are part of the unique key for table conf\\.t' },
  },
  {
    name: 'dataform: CALL of a stored procedure from an operation',
    source: `${SCRIPT} — CALL; ${DDL} — CREATE PROCEDURE statement`,
    setup: ['create table conf.df_log (msg STRING)', 'create or replace procedure `my-project.conf.df_write_log`(m STRING)\nbegin\n  insert into conf.df_log (msg) values (m);\nend'],
    sql: "call `my-project.conf.df_write_log`('ran');\nselect msg from conf.df_log",
    expect: { rows: [['ran']] },
  },
  {
    name: 'dataform: INFORMATION_SCHEMA.COLUMNS reports BigQuery type names of a table',
    source: `${IS} — COLUMNS view (column_name, ordinal_position, is_nullable, data_type)`,
    setup: ['create table conf.df_types (i INT64 NOT NULL, s STRING, f FLOAT64, b BOOL, n NUMERIC, d DATE, ts TIMESTAMP, dt DATETIME, bt BYTES)'],
    sql: "select column_name, ordinal_position, is_nullable, data_type from `my-project.conf.INFORMATION_SCHEMA.COLUMNS` where table_name = 'df_types' order by ordinal_position",
    expect: {
      rows: [
        ['i', '1', 'NO', 'INT64'],
        ['s', '2', 'YES', 'STRING'],
        ['f', '3', 'YES', 'FLOAT64'],
        ['b', '4', 'YES', 'BOOL'],
        ['n', '5', 'YES', 'NUMERIC'],
        ['d', '6', 'YES', 'DATE'],
        ['ts', '7', 'YES', 'TIMESTAMP'],
        ['dt', '8', 'YES', 'DATETIME'],
        ['bt', '9', 'YES', 'BYTES'],
      ],
      ordered: true,
    },
  },
  {
    name: 'dataform: INFORMATION_SCHEMA.COLUMNS data_type of ARRAY and STRUCT columns',
    source: `${IS} — COLUMNS view (data_type)`,
    setup: ['create table conf.df_nested_types (tags ARRAY<STRING>, info STRUCT<a INT64, b STRING>)'],
    sql: "select column_name, data_type from conf.INFORMATION_SCHEMA.COLUMNS where table_name = 'df_nested_types' order by ordinal_position",
    expect: {
      rows: [
        ['tags', 'ARRAY<STRING>'],
        ['info', 'STRUCT<a INT64, b STRING>'],
      ],
      ordered: true,
    },
  },
  {
    name: 'dataform: INFORMATION_SCHEMA.TABLES lists tables and views with table_type',
    source: `${IS} — TABLES view (table_name, table_type: BASE TABLE, VIEW)`,
    setup: ['create table conf.df_tbl (n INT64)', 'create view conf.df_vw as select 1 as n'],
    sql: 'select table_name, table_type from `my-project.conf.INFORMATION_SCHEMA.TABLES` order by table_name',
    expect: {
      rows: [
        ['df_tbl', 'BASE TABLE'],
        ['df_vw', 'VIEW'],
      ],
      ordered: true,
    },
  },
  {
    name: 'dataform: backticked reserved-word column names',
    source: 'BigQuery docs: Lexical structure — Quoted identifiers (reserved keywords in backticks)',
    sql: `create or replace table \`my-project.conf.df_reserved\` as select 1 as \`from\`, 'x' as \`select\`;
select \`from\`, \`select\` from \`my-project.conf.df_reserved\``,
    expect: { rows: [['1', 'x']], columns: ['from', 'select'] },
  },
  {
    name: 'dataform: multi-statement job (preOps; create or replace table; postOps) returns the last SELECT',
    source: `${SCRIPT} — multi-statement queries (the result of the last statement is returned)`,
    sql: `create or replace table \`my-project.conf.df_ops\` as select 1 as n;
insert into \`my-project.conf.df_ops\` (n) values (2);
update \`my-project.conf.df_ops\` set n = n * 100 where n = 2;
select n from \`my-project.conf.df_ops\` order by n`,
    expect: { rows: [['1'], ['200']], ordered: true },
  },
];
