/** Table copies, clones, snapshots and time travel (BigQuery's documented DDL and FOR SYSTEM_TIME AS OF). */
import type { ConformanceCase } from '../case.js';
import { err, q } from './helpers.js';

const DDL = 'BigQuery docs: Data definition language (DDL) statements';
const TT = 'BigQuery docs: Access historical data (time travel) — FOR SYSTEM_TIME AS OF';
const SNAP = 'BigQuery docs: Introduction to table snapshots';

const SRC = ['CREATE TABLE conf.src (d DATE, n INT64) PARTITION BY d', "INSERT INTO conf.src VALUES ('2024-01-01', 1), ('2024-01-02', 2)"];
const s = { setup: SRC };

export const cases: ConformanceCase[] = [
  q('ddl: CREATE TABLE COPY copies the rows', `${DDL} — CREATE TABLE COPY statement`, 'CREATE TABLE conf.c COPY conf.src;\nSELECT n FROM conf.c ORDER BY n', [['1'], ['2']], { ...s, ordered: true }),
  q('ddl: CREATE TABLE LIKE copies the schema only', `${DDL} — CREATE TABLE LIKE statement`, 'CREATE TABLE conf.l LIKE conf.src;\nSELECT COUNT(*) AS n FROM conf.l', [['0']], s),
  q(
    'ddl: CREATE TABLE LIKE keeps the column names',
    `${DDL} — CREATE TABLE LIKE statement`,
    "CREATE TABLE conf.l LIKE conf.src;\nINSERT INTO conf.l VALUES ('2024-02-01', 5);\nSELECT d, n FROM conf.l",
    [['2024-02-01', '5']],
    s,
  ),
  q(
    'ddl: CREATE TABLE LIKE ... AS SELECT takes the schema of the one and the rows of the other',
    `${DDL} — CREATE TABLE LIKE statement (Example 2: "the same metadata as sourcetable and the data from the SELECT statement")`,
    "CREATE TABLE conf.l LIKE conf.src AS SELECT DATE '2024-03-01' AS d, n + 10 AS n FROM conf.src;\nSELECT d, n FROM conf.l ORDER BY n",
    [
      ['2024-03-01', '11'],
      ['2024-03-01', '12'],
    ],
    { ...s, ordered: true },
  ),
  err(
    'ddl: CREATE TABLE LIKE ... AS SELECT with other columns than the LIKE table is an error',
    `${DDL} — CREATE TABLE LIKE statement ("the column list in the query statement must match the columns of the table referenced by the LIKE clause")`,
    'CREATE TABLE conf.l LIKE conf.src AS SELECT 1 AS zz',
    'must match the columns of the table in the LIKE clause',
    SRC,
  ),
  q('ddl: CREATE TABLE CLONE copies the rows', `${DDL} — CREATE TABLE CLONE statement`, 'CREATE TABLE conf.k CLONE conf.src;\nSELECT SUM(n) FROM conf.k', [['3']], s),
  q(
    'ddl: a table clone is writable',
    `${DDL} — CREATE TABLE CLONE statement (clones are standard tables)`,
    "CREATE TABLE conf.k CLONE conf.src;\nINSERT INTO conf.k VALUES ('2024-01-03', 3);\nSELECT COUNT(*) FROM conf.k",
    [['3']],
    s,
  ),
  q(
    'ddl: changes to the base table do not reach its clone',
    `${DDL} — CREATE TABLE CLONE statement`,
    'CREATE TABLE conf.k CLONE conf.src;\nDELETE FROM conf.src WHERE TRUE;\nSELECT COUNT(*) FROM conf.k',
    [['2']],
    s,
  ),
  q(
    'ddl: CREATE SNAPSHOT TABLE keeps the rows at creation',
    `${SNAP}; ${DDL} — CREATE SNAPSHOT TABLE statement`,
    "CREATE SNAPSHOT TABLE conf.sn CLONE conf.src;\nINSERT INTO conf.src VALUES ('2024-01-05', 5);\nSELECT COUNT(*) FROM conf.sn",
    [['2']],
    s,
  ),
  err('ddl: INSERT into a table snapshot fails', `${SNAP} (table snapshots are read-only)`, "CREATE SNAPSHOT TABLE conf.sn CLONE conf.src;\nINSERT INTO conf.sn VALUES ('2024-01-05', 5)", 'read-only', SRC),
  err('ddl: DELETE from a table snapshot fails', `${SNAP} (table snapshots are read-only)`, 'CREATE SNAPSHOT TABLE conf.sn CLONE conf.src;\nDELETE FROM conf.sn WHERE TRUE', 'read-only', SRC),
  q(
    'ddl: a snapshot restored with CREATE TABLE CLONE is writable',
    `${SNAP} — Restore table snapshots`,
    "CREATE SNAPSHOT TABLE conf.sn CLONE conf.src;\nCREATE TABLE conf.r CLONE conf.sn;\nINSERT INTO conf.r VALUES ('2024-01-05', 5);\nSELECT COUNT(*) FROM conf.r",
    [['3']],
    s,
  ),
  q('ddl: DROP SNAPSHOT TABLE', `${DDL} — DROP SNAPSHOT TABLE statement`, 'CREATE SNAPSHOT TABLE conf.sn CLONE conf.src;\nDROP SNAPSHOT TABLE conf.sn;\nSELECT COUNT(*) FROM conf.src', [['2']], s),
  err('ddl: CREATE TABLE COPY onto an existing table fails', `${DDL} — CREATE TABLE COPY statement`, 'CREATE TABLE conf.c COPY conf.src;\nCREATE TABLE conf.c COPY conf.src', 'Already Exists', SRC),
  q(
    'ddl: CREATE OR REPLACE TABLE COPY replaces the rows',
    `${DDL} — CREATE TABLE COPY statement (OR REPLACE)`,
    "CREATE TABLE conf.c AS SELECT DATE '2000-01-01' AS d, 99 AS n;\nCREATE OR REPLACE TABLE conf.c COPY conf.src;\nSELECT SUM(n) FROM conf.c",
    [['3']],
    s,
  ),
  q('ddl: FOR SYSTEM_TIME AS OF CURRENT_TIMESTAMP() reads the current rows', TT, 'SELECT SUM(n) FROM conf.src FOR SYSTEM_TIME AS OF CURRENT_TIMESTAMP()', [['3']], s),
  err(
    'ddl: FOR SYSTEM_TIME AS OF before the time travel window fails',
    `${TT} (the time travel window is 7 days by default)`,
    'SELECT * FROM conf.src FOR SYSTEM_TIME AS OF TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 8 DAY)',
    'Invalid snapshot time .* Cannot read before',
    SRC,
  ),
  q(
    'ddl: ALTER TABLE SET OPTIONS keeps the rows',
    `${DDL} — ALTER TABLE SET OPTIONS statement`,
    "ALTER TABLE conf.src SET OPTIONS (description = 'graded', expiration_timestamp = TIMESTAMP '2999-01-01 00:00:00 UTC');\nSELECT COUNT(*) FROM conf.src",
    [['2']],
    s,
  ),
  err(
    'ddl: a table whose expiration_timestamp passed is gone',
    `${DDL} — ALTER TABLE SET OPTIONS (expiration_timestamp); BigQuery docs: Managing tables — table expiration`,
    'SELECT COUNT(*) FROM conf.src',
    'not found',
    [...SRC, "ALTER TABLE conf.src SET OPTIONS (expiration_timestamp = TIMESTAMP '2000-01-01 00:00:00 UTC')"],
  ),
  err(
    'ddl: a column DEFAULT value is refused, not ignored (ignored, an INSERT that omits the column would store NULL)',
    `${DDL} — CREATE TABLE statement (column_schema: DEFAULT default_expression)`,
    'CREATE TABLE conf.with_default (id INT64, status STRING DEFAULT "new")',
    'The DEFAULT value of column status is not supported by the local emulator',
  ),
  q(
    "ddl: CREATE VIEW's column name list names the view's columns",
    `${DDL} — CREATE VIEW statement (view_column_name_list: "SELECT age, count from mydataset.age_groups")`,
    'CREATE VIEW conf.by_n (day, total) AS SELECT d, SUM(n) FROM conf.src GROUP BY d;\nSELECT day, total FROM conf.by_n ORDER BY day',
    [
      ['2024-01-01', '1'],
      ['2024-01-02', '2'],
    ],
    { ...s, ordered: true, columns: ['day', 'total'] },
  ),
  err(
    "ddl: CREATE VIEW's column name list must name every column",
    `${DDL} — CREATE VIEW statement ("The number of columns in the column name list must match the number of columns in the underlying SQL query")`,
    'CREATE VIEW conf.short (day) AS SELECT d, n FROM conf.src',
    'column name list has 1 columns, but the query has 2',
    SRC,
  ),
  err(
    'ddl: CREATE TABLE AS SELECT with a column name twice fails',
    `${DDL} — CREATE TABLE statement ("Duplicate column names are not allowed")`,
    'CREATE TABLE conf.dup AS SELECT 1 AS a, 2 AS A',
    'CREATE TABLE has columns with duplicate name A',
  ),
  err(
    'ddl: OR REPLACE with IF NOT EXISTS is an error',
    `${DDL} — CREATE TABLE statement (OR REPLACE "Cannot appear with IF NOT EXISTS")`,
    'CREATE OR REPLACE TABLE IF NOT EXISTS conf.both (a INT64)',
    'cannot be used with IF NOT EXISTS',
  ),
  q(
    'ddl: a NULL array written to a table is an empty array (CTAS, INSERT without the column, UPDATE ... = NULL)',
    'BigQuery docs: Data types — Array type, NULLs ("When you write a NULL array to a table, it\'s converted to an empty array"; the Items example: numbers IS NULL is false for both rows)',
    `CREATE TABLE conf.items AS SELECT CAST(NULL AS ARRAY<INT64>) AS numbers, 1 AS k;
INSERT INTO conf.items (k) VALUES (2);
INSERT INTO conf.items VALUES ([7], 3);
UPDATE conf.items SET numbers = NULL WHERE k = 3;
SELECT k, numbers IS NULL AS is_null, ARRAY_LENGTH(numbers) AS n FROM conf.items ORDER BY k`,
    [
      ['1', false, '0'],
      ['2', false, '0'],
      ['3', false, '0'],
    ],
    { ordered: true },
  ),
  q(
    'ddl: ALTER TABLE ADD COLUMN of an ARRAY gives the existing rows an empty array',
    `${DDL} — ALTER TABLE ADD COLUMN ("The value of the new column for existing rows is set to ... An empty ARRAY if the new column was added with REPEATED mode")`,
    'ALTER TABLE conf.src ADD COLUMN tags ARRAY<STRING>;\nSELECT COUNT(*) AS n FROM conf.src WHERE ARRAY_LENGTH(tags) = 0',
    [['2']],
    s,
  ),
  q(
    'ddl: an ALTER TABLE whose second action fails leaves the table as it was (the first column is not added)',
    `${DDL} — ALTER TABLE ADD COLUMN ("If any of the columns named A, C, or D already exist, the statement fails")`,
    `BEGIN
  ALTER TABLE conf.src ADD COLUMN extra INT64, ADD COLUMN n STRING;
EXCEPTION WHEN ERROR THEN
  SELECT 1;
END;
SELECT COUNT(*) AS added FROM conf.INFORMATION_SCHEMA.COLUMNS WHERE table_name = 'src' AND column_name = 'extra'`,
    [['0']],
    s,
  ),
];
