import type { ConformanceCase } from '../case.js';

/**
 * Statements of the shapes the Dataform CLI 3.0.x generates (see
 * /work/shared/reference/dataform-cli-and-bigquery-rest.md, "SQL the CLI generates", and
 * @dataform/cli bundle.js ExecutionSql: createOrReplace, mergeInto, insertInto, insertOverwrite,
 * dropIfExists, assertion tasks, indexAssertion, rowConditionsAssertion, sqlString).
 */
export const DDL = 'BigQuery docs: Data definition language (DDL) statements';
export const DML = 'BigQuery docs: Data manipulation language (DML) statements';
export const SCRIPT = 'BigQuery docs: Procedural language';
export const IS = 'BigQuery docs: INFORMATION_SCHEMA';

export const incSetup = ['create table conf.df_inc (k STRING, v INT64, d DATE)', "insert into conf.df_inc (k, v, d) values ('a', 1, DATE '2024-01-01'), ('b', 2, DATE '2024-01-02')"];

export const cases: ConformanceCase[] = [
  {
    name: 'dataform: create or replace table with partition by, cluster by and OPTIONS()as',
    source: `${DDL} — CREATE TABLE statement (partition_expression, clustering_column_list, table_option_list, AS query_statement)`,
    sql: `create or replace table \`my-project.conf.df_sales\` partition by d cluster by region, sku OPTIONS(description='Daily sales')as 
select DATE '2024-01-01' as d, 'eu' as region, 'a' as sku, 10 as qty
union all select DATE '2024-01-02', 'us', 'b', 5;
select d, region, sku, qty from \`my-project.conf.df_sales\` order by d`,
    expect: {
      rows: [
        ['2024-01-01', 'eu', 'a', '10'],
        ['2024-01-02', 'us', 'b', '5'],
      ],
      ordered: true,
      types: ['DATE', 'STRING', 'STRING', 'INT64'],
    },
  },
  {
    name: 'dataform: create or replace table partitioned by DATE(timestamp column)',
    source: `${DDL} — CREATE TABLE statement, partition_expression DATE(timestamp_column)`,
    sql: `create or replace table \`my-project.conf.df_events\` partition by DATE(ts) cluster by user_id OPTIONS(description='''Events table''')as 
select TIMESTAMP '2024-03-01 10:00:00+00' as ts, 'u1' as user_id
union all select TIMESTAMP '2024-03-02 11:30:00+00', 'u2';
select user_id, ts from \`my-project.conf.df_events\` order by ts`,
    expect: {
      rows: [
        ['u1', '2024-03-01T10:00:00Z'],
        ['u2', '2024-03-02T11:30:00Z'],
      ],
      ordered: true,
      types: ['STRING', 'TIMESTAMP'],
    },
  },
  {
    name: 'dataform: create or replace table with cluster by only, no OPTIONS',
    source: `${DDL} — CREATE TABLE statement, CLUSTER BY`,
    sql: `create or replace table \`my-project.conf.df_clustered\` cluster by k as select 'x' as k, 1 as n;
select k, n from \`my-project.conf.df_clustered\``,
    expect: { rows: [['x', '1']] },
  },
  {
    name: 'dataform: create or replace table replaces an existing table and its schema',
    source: `${DDL} — CREATE TABLE statement, OR REPLACE`,
    setup: ['create table conf.df_repl (old_col INT64)', 'insert into conf.df_repl (old_col) values (1), (2)'],
    sql: `create or replace table \`my-project.conf.df_repl\` as select 'new' as new_col;
select * from conf.df_repl`,
    expect: { rows: [['new']], columns: ['new_col'], types: ['STRING'] },
  },
  {
    name: 'dataform: create or replace view then select from it',
    source: `${DDL} — CREATE VIEW statement`,
    sql: `
      create or replace view \`my-project.conf.df_view\` as select 1 as id, 'alpha' as name union all select 2, 'beta';
select id, name from \`my-project.conf.df_view\` order by id`,
    expect: {
      rows: [
        ['1', 'alpha'],
        ['2', 'beta'],
      ],
      ordered: true,
    },
  },
  {
    name: 'dataform: a view reflects later changes to its base table',
    source: `${DDL} — CREATE VIEW statement (a view is a virtual table defined by a query)`,
    setup: ['create table conf.df_base (n INT64)', 'insert into conf.df_base (n) values (1), (2)', 'create or replace view conf.df_base_v as select n * 10 as n10 from conf.df_base'],
    sql: `insert into conf.df_base (n) values (3);
select n10 from conf.df_base_v order by n10`,
    expect: { rows: [['10'], ['20'], ['30']], ordered: true },
  },
  {
    name: 'dataform: create schema if not exists on an existing dataset is a no-op',
    source: `${DDL} — CREATE SCHEMA statement, IF NOT EXISTS`,
    setup: ['create table conf.df_keep (n INT64)', 'insert into conf.df_keep (n) values (7)'],
    sql: 'create schema if not exists `my-project.conf`;\nselect n from conf.df_keep',
    expect: { rows: [['7']] },
  },
  {
    name: 'dataform: create schema if not exists creates a dataset usable at once',
    source: `${DDL} — CREATE SCHEMA statement`,
    sql: `create schema if not exists \`my-project.conf_df_extra\`;
create or replace table \`my-project.conf_df_extra.t\` as select 42 as answer;
select answer from \`my-project.conf_df_extra.t\``,
    expect: { rows: [['42']] },
  },
  {
    name: 'dataform: incremental merge with uniqueKey updates matches and inserts new keys',
    source: `${DML} — MERGE statement (WHEN MATCHED THEN UPDATE, WHEN NOT MATCHED THEN INSERT)`,
    setup: incSetup,
    sql: `
merge \`my-project.conf.df_inc\` DATAFORM_DEST
using (select 'b' as k, 20 as v, DATE '2024-01-03' as d union all select 'c', 3, DATE '2024-01-03'
) DATAFORM_SOURCE
on DATAFORM_DEST.k = DATAFORM_SOURCE.k 

when matched then
  update set \`k\` = DATAFORM_SOURCE.k,\`v\` = DATAFORM_SOURCE.v,\`d\` = DATAFORM_SOURCE.d
when not matched then
  insert (\`k\`,\`v\`,\`d\`) values (\`k\`,\`v\`,\`d\`);
select k, v, d from conf.df_inc order by k`,
    expect: {
      rows: [
        ['a', '1', '2024-01-01'],
        ['b', '20', '2024-01-03'],
        ['c', '3', '2024-01-03'],
      ],
      ordered: true,
    },
  },
  {
    name: 'dataform: incremental merge with a composite unique key',
    source: `${DML} — MERGE statement, merge_condition with AND`,
    setup: ['create table conf.df_inc2 (k1 STRING, k2 INT64, v STRING)', "insert into conf.df_inc2 (k1, k2, v) values ('a', 1, 'old'), ('a', 2, 'old')"],
    sql: `
merge \`my-project.conf.df_inc2\` DATAFORM_DEST
using (select 'a' as k1, 2 as k2, 'new' as v union all select 'a', 3, 'new'
) DATAFORM_SOURCE
on DATAFORM_DEST.k1 = DATAFORM_SOURCE.k1 and DATAFORM_DEST.k2 = DATAFORM_SOURCE.k2 

when matched then
  update set \`k1\` = DATAFORM_SOURCE.k1,\`k2\` = DATAFORM_SOURCE.k2,\`v\` = DATAFORM_SOURCE.v
when not matched then
  insert (\`k1\`,\`k2\`,\`v\`) values (\`k1\`,\`k2\`,\`v\`);
select k1, k2, v from conf.df_inc2 order by k2`,
    expect: {
      rows: [
        ['a', '1', 'old'],
        ['a', '2', 'new'],
        ['a', '3', 'new'],
      ],
      ordered: true,
    },
  },
  {
    name: 'dataform: incremental merge with updatePartitionFilter inserts when the filter excludes the target row',
    source: `${DML} — MERGE statement (a target row failing merge_condition is not matched)`,
    setup: incSetup,
    sql: `
merge \`my-project.conf.df_inc\` DATAFORM_DEST
using (select 'a' as k, 100 as v, DATE '2024-01-05' as d union all select 'b', 200, DATE '2024-01-05'
) DATAFORM_SOURCE
on DATAFORM_DEST.k = DATAFORM_SOURCE.k and DATAFORM_DEST.d >= DATE '2024-01-02'

when matched then
  update set \`k\` = DATAFORM_SOURCE.k,\`v\` = DATAFORM_SOURCE.v,\`d\` = DATAFORM_SOURCE.d
when not matched then
  insert (\`k\`,\`v\`,\`d\`) values (\`k\`,\`v\`,\`d\`);
select k, v, d from conf.df_inc order by k, v`,
    expect: {
      rows: [
        ['a', '1', '2024-01-01'],
        ['a', '100', '2024-01-05'],
        ['b', '200', '2024-01-05'],
      ],
      ordered: true,
    },
  },
  {
    name: 'dataform: incremental merge whose source has a duplicate key fails',
    source: `${DML} — MERGE statement: "If more than one row in the source matches a target row, an error is raised" (UPDATE/MERGE must match at most one source row for each target row)`,
    setup: incSetup,
    sql: `
merge \`my-project.conf.df_inc\` DATAFORM_DEST
using (select 'a' as k, 5 as v, DATE '2024-01-05' as d union all select 'a', 6, DATE '2024-01-06'
) DATAFORM_SOURCE
on DATAFORM_DEST.k = DATAFORM_SOURCE.k 

when matched then
  update set \`k\` = DATAFORM_SOURCE.k,\`v\` = DATAFORM_SOURCE.v,\`d\` = DATAFORM_SOURCE.d
when not matched then
  insert (\`k\`,\`v\`,\`d\`) values (\`k\`,\`v\`,\`d\`)`,
    expect: { error: 'must match at most one source row' },
  },
  {
    name: 'dataform: incremental insert without uniqueKey (select cols from (...) as insertions)',
    source: `${DML} — INSERT statement, INSERT ... SELECT`,
    setup: incSetup,
    sql: `	
insert into \`my-project.conf.df_inc\`	
(\`k\`,\`v\`,\`d\`)	
select \`k\`,\`v\`,\`d\`	
from (select 'z' as k, 26 as v, DATE '2024-01-26' as d) as insertions;
select k, v, d from conf.df_inc order by k`,
    expect: {
      rows: [
        ['a', '1', '2024-01-01'],
        ['b', '2', '2024-01-02'],
        ['z', '26', '2024-01-26'],
      ],
      ordered: true,
    },
  },
  {
    name: 'dataform: incremental insert filtered on max() of the target itself',
    source: `${DML} — INSERT statement, INSERT ... SELECT with a scalar subquery on the target table`,
    setup: incSetup,
    sql: `
insert into \`my-project.conf.df_inc\`
(\`k\`,\`v\`,\`d\`)
select \`k\`,\`v\`,\`d\`
from (
  select * from unnest([
    struct('p' as k, 10 as v, DATE '2024-01-01' as d),
    struct('q' as k, 11 as v, DATE '2024-01-03' as d)
  ])
  where d > (select max(d) from \`my-project.conf.df_inc\`)
) as insertions;
select k from conf.df_inc order by k`,
    expect: { rows: [['a'], ['b'], ['q']], ordered: true },
  },
  {
    name: 'dataform: INSERT_OVERWRITE block replaces only the partitions present in the staging table',
    source: `${DML} — MERGE statement (ON FALSE, WHEN NOT MATCHED BY SOURCE ... THEN DELETE, WHEN NOT MATCHED BY TARGET THEN INSERT); ${SCRIPT} — DECLARE, BEGIN...END`,
    setup: [
      'create table conf.df_ovw (d DATE, k STRING, v INT64) partition by d',
      "insert into conf.df_ovw (d, k, v) values (DATE '2024-01-01', 'a', 1), (DATE '2024-01-02', 'b', 2), (DATE '2024-01-02', 'c', 3)",
    ],
    sql: `CREATE OR REPLACE TEMP TABLE \`staging_table_temp_abc123\` AS (
  select DATE '2024-01-02' as d, 'x' as k, 99 as v union all select DATE '2024-01-03', 'y', 100
);

BEGIN
  DECLARE partitions_for_replacement DEFAULT (
    ARRAY(
      SELECT DISTINCT d
      FROM \`staging_table_temp_abc123\`
      WHERE d IS NOT NULL
    )
  );

  MERGE \`my-project.conf.df_ovw\` DATAFORM_DEST
  USING \`staging_table_temp_abc123\` DATAFORM_SOURCE
  ON FALSE
  WHEN NOT MATCHED BY SOURCE AND d IN UNNEST(partitions_for_replacement) 
  
  THEN
    DELETE
  WHEN NOT MATCHED BY TARGET THEN
    INSERT (\`d\`,\`k\`,\`v\`) VALUES (\`d\`,\`k\`,\`v\`);
END;

DROP TABLE IF EXISTS \`staging_table_temp_abc123\`;
select d, k, v from conf.df_ovw order by d, k`,
    expect: {
      rows: [
        ['2024-01-01', 'a', '1'],
        ['2024-01-02', 'x', '99'],
        ['2024-01-03', 'y', '100'],
      ],
      ordered: true,
    },
  },
];
