import type { ConformanceCase } from '../case.js';
import { err, q } from './helpers.js';

const DML = 'BigQuery docs: Data manipulation language (DML) statements';
const DDL = 'BigQuery docs: Data definition language (DDL) statements';
const CONVERSION = 'BigQuery docs: Conversion rules (coercion, literal coercion); messages as in ZetaSQL resolver_dml.cc';

const INV = ['create table conf.inv (sku STRING, qty INT64)', "insert into conf.inv (sku, qty) values ('a', 1), ('b', 2), ('c', 3)"];
const SRC = ['create table conf.inv_src (sku STRING, qty INT64)', "insert into conf.inv_src (sku, qty) values ('b', 20), ('c', 30), ('d', 40)"];
const TYPED = ['create table conf.typed (n NUMERIC, f FLOAT64, d DATE, dt DATETIME)', 'insert into conf.typed (n, f) values (1, 0.5)'];
const i = { setup: INV };
const both = { setup: [...INV, ...SRC] };

/** A single DML statement: no rows, numDmlAffectedRows as given. */
function affected(name: string, source: string, setup: string[], sql: string, n: number): ConformanceCase {
  return { name, source, setup, sql, expect: { rows: [], dmlAffectedRows: n } };
}

export const cases: ConformanceCase[] = [
  affected('dml: multi-row INSERT VALUES reports affected rows', `${DML} — INSERT statement`, INV, "INSERT INTO conf.inv (sku, qty) VALUES ('d', 4), ('e', 5)", 2),
  q(
    'dml: multi-row INSERT VALUES adds the rows',
    `${DML} — INSERT statement (VALUES)`,
    "INSERT INTO conf.inv (sku, qty) VALUES ('d', 4), ('e', NULL);\nSELECT sku, qty FROM conf.inv ORDER BY sku",
    [
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
      ['d', '4'],
      ['e', null],
    ],
    { ...i, ordered: true },
  ),
  q('dml: INSERT without a column list uses table column order', `${DML} — INSERT statement (column list omitted)`, "INSERT conf.inv VALUES ('z', 26);\nSELECT qty FROM conf.inv WHERE sku = 'z'", [['26']], i),
  q('dml: INSERT with a partial column list leaves other columns NULL', `${DML} — INSERT statement`, "INSERT INTO conf.inv (sku) VALUES ('n');\nSELECT sku, qty FROM conf.inv WHERE sku = 'n'", [['n', null]], i),
  affected('dml: INSERT SELECT reports affected rows', `${DML} — INSERT SELECT statement`, [...INV, ...SRC], "INSERT INTO conf.inv (sku, qty) SELECT sku, qty FROM conf.inv_src WHERE sku != 'b'", 2),
  q(
    'dml: INSERT SELECT copies rows',
    `${DML} — INSERT SELECT statement`,
    "INSERT INTO conf.inv (sku, qty) SELECT sku, qty * 10 FROM conf.inv_src WHERE sku = 'd';\nSELECT sku, qty FROM conf.inv ORDER BY sku",
    [
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
      ['d', '400'],
    ],
    { ...both, ordered: true },
  ),
  affected('dml: UPDATE ... WHERE reports affected rows', `${DML} — UPDATE statement`, INV, 'UPDATE conf.inv SET qty = qty + 100 WHERE qty >= 2', 2),
  affected('dml: UPDATE matching no rows reports 0', `${DML} — UPDATE statement`, INV, "UPDATE conf.inv SET qty = 0 WHERE sku = 'nope'", 0),
  q(
    'dml: UPDATE ... WHERE changes matching rows only',
    `${DML} — UPDATE statement`,
    "UPDATE conf.inv SET qty = qty * 10, sku = UPPER(sku) WHERE sku IN ('a', 'c');\nSELECT sku, qty FROM conf.inv ORDER BY sku",
    [
      ['A', '10'],
      ['C', '30'],
      ['b', '2'],
    ],
    { ...i, ordered: true },
  ),
  err('dml: UPDATE without WHERE is rejected', `${DML} — UPDATE statement ("The WHERE keyword is mandatory")`, 'UPDATE conf.inv SET qty = 0', 'must have a WHERE clause', INV),
  q(
    'dml: UPDATE ... FROM another table',
    `${DML} — UPDATE statement (FROM clause)`,
    'UPDATE conf.inv t SET qty = s.qty FROM conf.inv_src s WHERE t.sku = s.sku;\nSELECT sku, qty FROM conf.inv ORDER BY sku',
    [
      ['a', '1'],
      ['b', '20'],
      ['c', '30'],
    ],
    { ...both, ordered: true },
  ),
  q(
    'dml: UPDATE with a scalar subquery in SET',
    `${DML} — UPDATE statement`,
    "UPDATE conf.inv SET qty = (SELECT MAX(qty) FROM conf.inv_src) WHERE sku = 'a';\nSELECT qty FROM conf.inv WHERE sku = 'a'",
    [['40']],
    both,
  ),
  affected('dml: DELETE ... WHERE reports affected rows', `${DML} — DELETE statement`, INV, "DELETE FROM conf.inv WHERE sku != 'b'", 2),
  q('dml: DELETE with an IN subquery, FROM keyword optional', `${DML} — DELETE statement`, 'DELETE conf.inv WHERE sku IN (SELECT sku FROM conf.inv_src);\nSELECT sku FROM conf.inv', [['a']], both),
  affected('dml: DELETE WHERE true removes every row', `${DML} — DELETE statement (WHERE true)`, INV, 'DELETE FROM conf.inv WHERE true', 3),
  err('dml: DELETE without WHERE is rejected', `${DML} — DELETE statement ("The WHERE keyword is mandatory")`, 'DELETE FROM conf.inv', 'must have a WHERE clause', INV),
  q('dml: TRUNCATE TABLE empties the table', `${DML} — TRUNCATE TABLE statement`, 'TRUNCATE TABLE conf.inv;\nSELECT COUNT(*) AS n FROM conf.inv', [['0']], i),
  q(
    'dml: MERGE update, insert and delete by source',
    `${DML} — MERGE statement`,
    `MERGE conf.inv T
USING conf.inv_src S
ON T.sku = S.sku
WHEN MATCHED THEN UPDATE SET qty = S.qty
WHEN NOT MATCHED THEN INSERT (sku, qty) VALUES (S.sku, S.qty)
WHEN NOT MATCHED BY SOURCE THEN DELETE;
SELECT sku, qty FROM conf.inv ORDER BY sku`,
    [
      ['b', '20'],
      ['c', '30'],
      ['d', '40'],
    ],
    { ...both, ordered: true },
  ),
  affected(
    'dml: MERGE reports the total of updated, inserted and deleted rows',
    `${DML} — MERGE statement`,
    [...INV, ...SRC],
    `MERGE conf.inv T
USING conf.inv_src S
ON T.sku = S.sku
WHEN MATCHED THEN UPDATE SET qty = S.qty
WHEN NOT MATCHED THEN INSERT (sku, qty) VALUES (S.sku, S.qty)
WHEN NOT MATCHED BY SOURCE THEN DELETE`,
    4,
  ),
  q(
    'dml: MERGE WHEN MATCHED AND condition THEN DELETE, then UPDATE for the rest',
    `${DML} — MERGE statement (WHEN MATCHED AND search_condition; clauses are evaluated in order)`,
    `MERGE conf.inv T
USING conf.inv_src S
ON T.sku = S.sku
WHEN MATCHED AND S.qty > 25 THEN DELETE
WHEN MATCHED THEN UPDATE SET qty = T.qty + S.qty;
SELECT sku, qty FROM conf.inv ORDER BY sku`,
    [
      ['a', '1'],
      ['b', '22'],
    ],
    { ...both, ordered: true },
  ),
  q(
    'dml: MERGE WHEN NOT MATCHED BY TARGET THEN INSERT ROW',
    `${DML} — MERGE statement (INSERT ROW)`,
    `MERGE conf.inv T
USING conf.inv_src S
ON T.sku = S.sku
WHEN NOT MATCHED BY TARGET THEN INSERT ROW;
SELECT sku, qty FROM conf.inv ORDER BY sku`,
    [
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
      ['d', '40'],
    ],
    { ...both, ordered: true },
  ),
  q(
    'dml: MERGE WHEN NOT MATCHED BY SOURCE AND condition THEN UPDATE',
    `${DML} — MERGE statement (WHEN NOT MATCHED BY SOURCE ... THEN UPDATE)`,
    `MERGE conf.inv T
USING conf.inv_src S
ON T.sku = S.sku
WHEN NOT MATCHED BY SOURCE AND T.qty < 5 THEN UPDATE SET qty = 0;
SELECT sku, qty FROM conf.inv ORDER BY sku`,
    [
      ['a', '0'],
      ['b', '2'],
      ['c', '3'],
    ],
    { ...both, ordered: true },
  ),
  q(
    'dml: MERGE ON FALSE inserts every source row',
    `${DML} — MERGE statement (ON FALSE)`,
    `MERGE conf.inv T
USING (SELECT 'x' AS sku, 9 AS qty) S
ON FALSE
WHEN NOT MATCHED THEN INSERT (sku, qty) VALUES (sku, qty);
SELECT COUNT(*) AS n FROM conf.inv`,
    [['4']],
    i,
  ),
  q(
    'dml: MERGE with a NULL key never matches, so the row is inserted again',
    `${DML} — MERGE statement; BigQuery docs: Operators — comparison with NULL is NULL`,
    `MERGE conf.nk T
USING (SELECT CAST(NULL AS STRING) AS k, 2 AS v) S
ON T.k = S.k
WHEN MATCHED THEN UPDATE SET v = S.v
WHEN NOT MATCHED THEN INSERT (k, v) VALUES (S.k, S.v);
SELECT k, v FROM conf.nk ORDER BY v`,
    [
      [null, '1'],
      [null, '2'],
    ],
    { setup: ['create table conf.nk (k STRING, v INT64)', 'insert into conf.nk (k, v) values (NULL, 1)'], ordered: true },
  ),
  q(
    'dml: MERGE using a subquery source with INSERT (cols) VALUES',
    `${DML} — MERGE statement`,
    `MERGE conf.inv T
USING (SELECT sku, SUM(qty) AS qty FROM UNNEST(ARRAY<STRUCT<sku STRING, qty INT64>>[('a', 5), ('a', 6), ('q', 7)]) GROUP BY sku) S
ON T.sku = S.sku
WHEN MATCHED THEN UPDATE SET qty = T.qty + S.qty
WHEN NOT MATCHED BY TARGET THEN INSERT (sku, qty) VALUES (S.sku, S.qty);
SELECT sku, qty FROM conf.inv ORDER BY sku`,
    [
      ['a', '12'],
      ['b', '2'],
      ['c', '3'],
      ['q', '7'],
    ],
    { ...i, ordered: true },
  ),
  q(
    'dml: CREATE TABLE with typed columns and PRIMARY KEY NOT ENFORCED accepts duplicates',
    `${DDL} — CREATE TABLE statement (PRIMARY KEY ... NOT ENFORCED: "not enforced")`,
    `CREATE TABLE conf.pk (a INT64, b STRING, PRIMARY KEY (a) NOT ENFORCED);
INSERT INTO conf.pk (a, b) VALUES (1, 'x'), (1, 'y');
SELECT COUNT(*) AS n FROM conf.pk`,
    [['2']],
  ),
  q(
    'dml: CREATE TABLE AS SELECT with PARTITION BY and CLUSTER BY',
    `${DDL} — CREATE TABLE statement (AS query_statement)`,
    `CREATE TABLE conf.ctas PARTITION BY d CLUSTER BY k AS
SELECT DATE '2024-01-01' AS d, 'k1' AS k, 1.5 AS f UNION ALL SELECT DATE '2024-01-02', 'k2', 2.5;
SELECT d, k, f FROM conf.ctas ORDER BY d`,
    [
      ['2024-01-01', 'k1', 1.5],
      ['2024-01-02', 'k2', 2.5],
    ],
    { ordered: true, types: ['DATE', 'STRING', 'FLOAT64'] },
  ),
  q(
    'dml: CREATE TABLE IF NOT EXISTS on an existing table keeps it',
    `${DDL} — CREATE TABLE statement (IF NOT EXISTS)`,
    'CREATE TABLE IF NOT EXISTS conf.inv (other STRING);\nSELECT COUNT(*) AS n FROM conf.inv',
    [['3']],
    i,
  ),
  err('dml: CREATE TABLE on an existing table fails', `${DDL} — CREATE TABLE statement`, 'CREATE TABLE conf.inv (x INT64)', 'already exists', INV),
  q(
    'dml: CREATE OR REPLACE TABLE over an existing table',
    `${DDL} — CREATE TABLE statement (OR REPLACE)`,
    "CREATE OR REPLACE TABLE conf.inv (sku STRING, qty INT64, note STRING);\nINSERT INTO conf.inv (sku, qty, note) VALUES ('n', 1, 'fresh');\nSELECT sku, qty, note FROM conf.inv",
    [['n', '1', 'fresh']],
    i,
  ),
  q('dml: ALTER TABLE RENAME TO', `${DDL} — ALTER TABLE RENAME TO statement`, 'ALTER TABLE conf.inv RENAME TO inv_renamed;\nSELECT COUNT(*) AS n FROM conf.inv_renamed', [['3']], i),
  err('dml: the old name is gone after ALTER TABLE RENAME TO', `${DDL} — ALTER TABLE RENAME TO statement`, 'SELECT * FROM conf.inv', 'not found', [...INV, 'ALTER TABLE conf.inv RENAME TO inv_moved']),
  q(
    'dml: ALTER TABLE ADD COLUMN gives existing rows NULL',
    `${DDL} — ALTER TABLE ADD COLUMN statement`,
    "ALTER TABLE conf.inv ADD COLUMN note STRING;\nSELECT sku, note FROM conf.inv WHERE sku = 'a'",
    [['a', null]],
    i,
  ),
  q('dml: ALTER TABLE DROP COLUMN', `${DDL} — ALTER TABLE DROP COLUMN statement`, "ALTER TABLE conf.inv DROP COLUMN qty;\nSELECT * FROM conf.inv WHERE sku = 'a'", [['a']], { ...i, columns: ['sku'] }),
  q('dml: DROP TABLE IF EXISTS on a missing table succeeds', `${DDL} — DROP TABLE statement (IF EXISTS)`, 'DROP TABLE IF EXISTS conf.never_created;\nSELECT 1 AS ok', [['1']]),
  err('dml: DROP TABLE on a missing table fails', `${DDL} — DROP TABLE statement`, 'DROP TABLE conf.never_created', 'not found'),
  err('dml: SELECT from a dropped table fails', `${DDL} — DROP TABLE statement`, 'DROP TABLE conf.inv;\nSELECT * FROM conf.inv', 'not found: table', INV),
  q(
    'dml: CREATE SCHEMA IF NOT EXISTS then a table in it',
    `${DDL} — CREATE SCHEMA statement`,
    'CREATE SCHEMA IF NOT EXISTS conf_dml_schema;\nCREATE OR REPLACE TABLE conf_dml_schema.t AS SELECT 1 AS n;\nSELECT n FROM conf_dml_schema.t',
    [['1']],
  ),
  err('dml: DROP SCHEMA CASCADE removes the dataset and its tables', `${DDL} — DROP SCHEMA statement (CASCADE)`, 'DROP SCHEMA conf_dml_drop CASCADE;\nSELECT * FROM conf_dml_drop.t', 'not found', [
    'CREATE SCHEMA IF NOT EXISTS conf_dml_drop',
    'CREATE OR REPLACE TABLE conf_dml_drop.t AS SELECT 1 AS n',
  ]),
  err(
    'ddl: a STRING(L) column is refused, not created without its maximum length',
    `${DDL} — CREATE TABLE (parameterized data types: a longer value is an error in BigQuery)`,
    'CREATE TABLE conf.short_text (s STRING(3))',
    'STRING\\(3\\).*not supported by the local emulator',
  ),
  err(
    'ddl: a BIGNUMERIC(P, S) column with S of 9 or less is refused, not created as one that reads back as NUMERIC',
    `${DDL} — CREATE TABLE; BigQuery docs: Data types — Parameterized decimal type (BIGNUMERIC(P, S) stays BIGNUMERIC)`,
    'CREATE TABLE conf.big_short (b BIGNUMERIC(20, 5))',
    'BIGNUMERIC\\(20, 5\\).*not supported by the local emulator',
  ),
  err('dml: INSERT into a missing table fails', `${DML} — INSERT statement`, 'INSERT INTO conf.no_such_table (x) VALUES (1)', 'Not found: Table'),
  err('dml: INSERT with the wrong number of values fails', `${DML} — INSERT statement`, "INSERT INTO conf.inv (sku, qty) VALUES ('a')", 'column count', INV),
  err(
    'dml: INSERT of a STRING into an INT64 column fails',
    `${DML} — INSERT statement (values must be compatible with the column type)`,
    "INSERT INTO conf.inv (sku, qty) VALUES ('a', 'many')",
    'cannot be inserted into column',
    INV,
  ),
  err(
    'dml: INSERT ... SELECT of a FLOAT64 into a NUMERIC column fails',
    `${CONVERSION} — FLOAT64 does not coerce to NUMERIC (only a FLOAT64 literal does)`,
    'INSERT INTO conf.typed (n) SELECT f FROM conf.typed',
    '^Query column 1 has type FLOAT64 which cannot be inserted into column n, which has type NUMERIC',
    TYPED,
  ),
  err(
    'dml: INSERT VALUES of a FLOAT64 expression into a NUMERIC column fails',
    `${CONVERSION} — literal coercion applies to literals only`,
    'INSERT INTO conf.typed (n) VALUES (0.1 + 0.2)',
    '^Value has type FLOAT64 which cannot be inserted into column n, which has type NUMERIC',
    TYPED,
  ),
  err(
    'dml: INSERT ... SELECT of a TIMESTAMP into a DATETIME column fails',
    `${CONVERSION} — TIMESTAMP does not coerce to DATETIME`,
    'INSERT INTO conf.typed (dt) SELECT TIMESTAMP "2020-01-01 00:00:00+00"',
    '^Query column 1 has type TIMESTAMP which cannot be inserted into column dt, which has type DATETIME',
    TYPED,
  ),
  err(
    'dml: UPDATE SET of a FLOAT64 column into a NUMERIC column fails',
    `${DML} — UPDATE statement; ${CONVERSION}`,
    'UPDATE conf.typed SET n = f WHERE TRUE',
    '^Value of type FLOAT64 cannot be assigned to n, which has type NUMERIC',
    TYPED,
  ),
  err(
    'dml: MERGE INSERT ROW pairs columns by position and checks their types',
    `${DML} — MERGE statement (INSERT ROW); ${CONVERSION}`,
    "MERGE conf.inv T USING (SELECT 1 AS qty, 'x' AS sku) S ON FALSE WHEN NOT MATCHED THEN INSERT ROW",
    '^Value has type INT64 which cannot be inserted into column sku, which has type STRING',
    INV,
  ),
  q(
    'dml: literals coerce on INSERT (FLOAT64 literal to NUMERIC, STRING literal to DATE, INT64 to FLOAT64, DATE to DATETIME)',
    `${CONVERSION} — literal coercion and implicit coercion`,
    "INSERT INTO conf.typed (n, d, f, dt) VALUES (1.25, '2020-01-02', 3, DATE '2020-01-03');\nSELECT n, d, f, dt FROM conf.typed WHERE n = 1.25",
    [['1.25', '2020-01-02', 3, '2020-01-03T00:00:00']],
    { setup: TYPED, types: ['NUMERIC', 'DATE', 'FLOAT64', 'DATETIME'] },
  ),
  q(
    'dml: UPDATE SET, MERGE and INSERT ... SELECT accept coercible types (INT64 into NUMERIC, NULL anywhere)',
    `${DML}; ${CONVERSION}`,
    'UPDATE conf.typed SET n = 2, d = NULL WHERE TRUE;\nMERGE conf.typed T USING (SELECT 7 AS k) S ON FALSE WHEN NOT MATCHED THEN INSERT (n, f) VALUES (S.k, S.k);\nINSERT INTO conf.typed (n, d) SELECT 8, NULL;\nSELECT n, f FROM conf.typed ORDER BY n',
    [
      ['2', 0.5],
      ['7', 7],
      ['8', null],
    ],
    { setup: TYPED, ordered: true },
  ),
  q(
    'dml: a NUMERIC computed with a float literal, a STRUCT written field by field and a parenthesised literal are assigned',
    `${CONVERSION} — a literal coerces inside an expression (NUMERIC * 1.5 is NUMERIC) and in each field of a STRUCT constructor`,
    "UPDATE conf.typed SET n = n * 1.5 WHERE TRUE;\nINSERT INTO conf.typed (n, d) VALUES ((2.5), '2020-01-05');\nSELECT n, d FROM conf.typed ORDER BY n",
    [
      ['1.5', null],
      ['2.5', '2020-01-05'],
    ],
    { setup: TYPED, ordered: true },
  ),
  q(
    'dml: UPDATE sets fields of a STRUCT column',
    `${DML} — UPDATE statement (SET specifications.color = ..., nested fields)`,
    "UPDATE conf.spec s SET s.specs.color = 'white', specs.dims.depth = 20 WHERE id = 1;\nSELECT id, specs.color, specs.dims.depth, specs.dims.width FROM conf.spec ORDER BY id",
    [
      ['1', 'white', '20', '3'],
      ['2', 'red', '5', '6'],
    ],
    {
      setup: ['create table conf.spec (id INT64, specs STRUCT<color STRING, dims STRUCT<depth INT64, width INT64>>)', "insert into conf.spec values (1, ('blue', (1, 3))), (2, ('red', (5, 6)))"],
      ordered: true,
    },
  ),
  err(
    'dml: UPDATE of a field of a NULL STRUCT fails',
    `${DML} — UPDATE statement (a field of a NULL STRUCT cannot be set)`,
    "UPDATE conf.spec SET specs.color = 'white' WHERE TRUE",
    'Cannot set field of NULL STRUCT',
    ['create table conf.spec (id INT64, specs STRUCT<color STRING, dims STRUCT<depth INT64, width INT64>>)', 'insert into conf.spec values (1, NULL)'],
  ),
  q(
    'dml: UPDATE ... SET col = DEFAULT sets a column without a default to NULL',
    `${DML} — UPDATE statement (update_item: path_expression = { expression | DEFAULT }); ZetaSQL compliance tests: dml_update_struct.test, assign_struct_field_default`,
    "UPDATE conf.inv SET qty = DEFAULT WHERE sku = 'a';\nSELECT sku, qty FROM conf.inv ORDER BY sku",
    [
      ['a', null],
      ['b', '2'],
      ['c', '3'],
    ],
    { ...i, ordered: true },
  ),
  q(
    "dml: UPDATE SET from a correlated scalar subquery that subtracts the target row's column from an aggregate",
    `${DML} — UPDATE statement (SET with a subquery)`,
    'UPDATE conf.inv t SET qty = (SELECT MAX(u.qty) - t.qty FROM conf.inv AS u) WHERE TRUE;\nSELECT sku, qty FROM conf.inv ORDER BY sku',
    [
      ['a', '2'],
      ['b', '1'],
      ['c', '0'],
    ],
    i,
  ),
  err(
    'dml: DELETE ... WHERE 1 is an error (a WHERE clause is a BOOL), not a delete of every row',
    `${DML} — DELETE statement (WHERE condition); BigQuery docs: Query syntax — WHERE bool_expression`,
    'DELETE FROM conf.inv WHERE 1',
    'WHERE clause should return type BOOL, but returns INT64',
    INV,
  ),
];
