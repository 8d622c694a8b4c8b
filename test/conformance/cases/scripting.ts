import type { ConformanceCase } from '../case.js';
import { err, q } from './helpers.js';

const P = 'BigQuery docs: Procedural language';
const T = 'BigQuery docs: Multi-statement transactions';
const SYS = 'BigQuery docs: System variables reference';
const DDL = 'BigQuery docs: Data definition language (DDL) statements';

const INV = ['create table conf.inv (sku STRING, qty INT64)', "insert into conf.inv (sku, qty) values ('a', 1), ('b', 2), ('c', 3)"];
const i = { setup: INV };

export const cases: ConformanceCase[] = [
  q('script: DECLARE without DEFAULT is NULL', `${P} — DECLARE`, 'DECLARE x INT64;\nSELECT x AS x', [[null]], { types: ['INT64'] }),
  q('script: DECLARE with DEFAULT', `${P} — DECLARE`, 'DECLARE x INT64 DEFAULT 5;\nSELECT x * 2 AS y', [['10']]),
  q(
    'script: DECLARE a STRUCT variable with a DEFAULT',
    `${P} — DECLARE (variable_name[, ...] [variable_type] [DEFAULT expression])`,
    "DECLARE s STRUCT<d DATE, n INT64> DEFAULT STRUCT(DATE '2024-01-31' AS d, 2 AS n);\nSELECT s.d AS d, s.n * 2 AS m",
    [['2024-01-31', '4']],
    { types: ['DATE', 'INT64'] },
  ),
  q('script: DECLARE several names with one DEFAULT', `${P} — DECLARE (variable_name[, ...])`, 'DECLARE a, b, c INT64 DEFAULT 1;\nSELECT a + b + c AS s', [['3']]),
  q(
    'script: DECLARE without a type infers it from DEFAULT',
    `${P} — DECLARE (type inferred from the default expression)`,
    "DECLARE d DEFAULT DATE '2024-01-31';\nSELECT DATE_ADD(d, INTERVAL 1 DAY) AS next_day",
    [['2024-02-01']],
    { types: ['DATE'] },
  ),
  q('script: SET a variable', `${P} — SET`, 'DECLARE x INT64 DEFAULT 1;\nSET x = x + 41;\nSELECT x AS x', [['42']]),
  q('script: SET (a, b) = (1, ...) sets several variables', `${P} — SET ((variable_name[, ...]) = (expression[, ...]))`, "DECLARE a INT64;\nDECLARE b STRING;\nSET (a, b) = (1, 'two');\nSELECT a, b", [
    ['1', 'two'],
  ]),
  q('script: SET (a, b, c) = (SELECT AS STRUCT ...)', `${P} — SET (from a SELECT AS STRUCT subquery)`, 'DECLARE a, b, c INT64;\nSET (a, b, c) = (SELECT AS STRUCT 1, 2, 3);\nSELECT a + b + c AS s', [['6']]),
  q('script: SET from a scalar subquery', `${P} — SET`, 'DECLARE n INT64;\nSET n = (SELECT SUM(qty) FROM conf.inv);\nSELECT n AS n', [['6']], i),
  q(
    'script: IF / ELSEIF / ELSE',
    `${P} — IF`,
    `DECLARE x INT64 DEFAULT 5;
DECLARE s STRING;
IF x > 10 THEN
  SET s = 'big';
ELSEIF x > 3 THEN
  SET s = 'medium';
ELSE
  SET s = 'small';
END IF;
SELECT s AS s`,
    [['medium']],
  ),
  q('script: IF with a false condition and no ELSE does nothing', `${P} — IF`, 'DECLARE x INT64 DEFAULT 0;\nIF (SELECT COUNT(*) FROM conf.inv) > 10 THEN\n  SET x = 1;\nEND IF;\nSELECT x AS x', [['0']], i),
  q(
    'script: IF with a NULL condition takes the ELSE branch',
    `${P} — IF (a branch runs only when its condition is TRUE; otherwise ELSE)`,
    "DECLARE b BOOL;\nDECLARE s STRING;\nIF b THEN SET s = 'then'; ELSE SET s = 'else'; END IF;\nSELECT s AS s",
    [['else']],
  ),
  q(
    'script: CASE statement',
    `${P} — CASE`,
    "DECLARE x INT64 DEFAULT -3;\nDECLARE s STRING;\nCASE\n  WHEN x > 0 THEN SET s = 'pos';\n  WHEN x = 0 THEN SET s = 'zero';\n  ELSE SET s = 'neg';\nEND CASE;\nSELECT s AS s",
    [['neg']],
  ),
  q('script: WHILE loop', `${P} — WHILE`, 'DECLARE i INT64 DEFAULT 0;\nDECLARE total INT64 DEFAULT 0;\nWHILE i < 5 DO\n  SET i = i + 1;\n  SET total = total + i;\nEND WHILE;\nSELECT total AS total', [['15']]),
  q('script: LOOP with BREAK', `${P} — LOOP, BREAK`, 'DECLARE i INT64 DEFAULT 0;\nLOOP\n  SET i = i + 1;\n  IF i >= 4 THEN\n    BREAK;\n  END IF;\nEND LOOP;\nSELECT i AS i', [['4']]),
  q('script: LOOP with LEAVE', `${P} — LOOP, LEAVE (synonym for BREAK)`, 'DECLARE i INT64 DEFAULT 10;\nLOOP\n  SET i = i - 3;\n  IF i < 0 THEN LEAVE; END IF;\nEND LOOP;\nSELECT i AS i', [['-2']]),
  q(
    'script: CONTINUE skips the rest of the iteration',
    `${P} — CONTINUE`,
    'DECLARE i INT64 DEFAULT 0;\nDECLARE odd_sum INT64 DEFAULT 0;\nWHILE i < 6 DO\n  SET i = i + 1;\n  IF MOD(i, 2) = 0 THEN\n    CONTINUE;\n  END IF;\n  SET odd_sum = odd_sum + i;\nEND WHILE;\nSELECT odd_sum AS odd_sum',
    [['9']],
  ),
  q(
    'script: ITERATE is a synonym for CONTINUE',
    `${P} — ITERATE`,
    'DECLARE i INT64 DEFAULT 0;\nDECLARE n INT64 DEFAULT 0;\nLOOP\n  SET i = i + 1;\n  IF i > 5 THEN BREAK; END IF;\n  IF i = 3 THEN ITERATE; END IF;\n  SET n = n + 1;\nEND LOOP;\nSELECT n AS n',
    [['4']],
  ),
  q('script: REPEAT ... UNTIL', `${P} — REPEAT`, 'DECLARE i INT64 DEFAULT 0;\nREPEAT\n  SET i = i + 1;\nUNTIL i >= 3\nEND REPEAT;\nSELECT i AS i', [['3']]),
  q('script: FOR ... IN (query) DO', `${P} — FOR...IN`, 'DECLARE total INT64 DEFAULT 0;\nFOR r IN (SELECT x FROM UNNEST([1, 2, 3]) AS x) DO\n  SET total = total + r.x;\nEND FOR;\nSELECT total AS total', [
    ['6'],
  ]),
  q(
    'script: nested BEGIN...END sees and changes outer variables',
    `${P} — BEGIN...END`,
    'DECLARE x INT64 DEFAULT 1;\nBEGIN\n  DECLARE y INT64 DEFAULT 10;\n  BEGIN\n    SET x = x + y;\n  END;\nEND;\nSELECT x AS x',
    [['11']],
  ),
  err(
    'script: a variable declared in a block is not visible after END',
    `${P} — BEGIN...END ("Variables declared in a block are only valid inside that block")`,
    'BEGIN\n  DECLARE inner_only INT64 DEFAULT 1;\nEND;\nSELECT inner_only',
    'inner_only',
  ),
  q(
    'script: EXCEPTION WHEN ERROR catches RAISE and exposes @@error.message',
    `${P} — BEGIN...EXCEPTION...END, RAISE; ${SYS} — @@error.message`,
    "BEGIN\n  RAISE USING MESSAGE = 'x';\nEXCEPTION WHEN ERROR THEN\n  SELECT @@error.message AS msg;\nEND",
    [['x']],
  ),
  q(
    'script: RAISE with a FORMAT message, caught',
    `${P} — RAISE; ${SYS} — @@error.message`,
    "BEGIN\n  RAISE USING MESSAGE = FORMAT('bad value %d in %s', 7, 'col');\nEXCEPTION WHEN ERROR THEN\n  SELECT @@error.message AS msg;\nEND",
    [['bad value 7 in col']],
  ),
  q(
    'script: EXCEPTION handler catches a runtime error and skips the rest of the block',
    `${P} — BEGIN...EXCEPTION...END ("statements after the error in the block are not executed")`,
    'DECLARE x INT64 DEFAULT 0;\nBEGIN\n  SET x = 1;\n  SELECT 1 / 0;\n  SET x = 2;\nEXCEPTION WHEN ERROR THEN\n  SET x = x + 10;\nEND;\nSELECT x AS x',
    [['11']],
  ),
  err('script: RAISE without a handler fails the job with its message', `${P} — RAISE`, "SELECT 1;\nRAISE USING MESSAGE = 'custom failure 42';", 'custom failure 42'),
  err(
    'script: RAISE in an exception handler fails the job with the new message',
    `${P} — RAISE (inside an exception handler)`,
    "BEGIN\n  SELECT 1 / 0;\nEXCEPTION WHEN ERROR THEN\n  RAISE USING MESSAGE = 'wrapped failure';\nEND",
    'wrapped failure',
  ),
  err('script: an uncaught runtime error fails the script', `${P} — multi-statement queries (an error stops the script)`, 'SELECT 1;\nSELECT 1 / 0;\nSELECT 2', 'division by zero'),
  q(
    'script: EXECUTE IMMEDIATE with positional parameters and INTO',
    `${P} — EXECUTE IMMEDIATE (USING, INTO, ? placeholders)`,
    "DECLARE y INT64;\nEXECUTE IMMEDIATE 'SELECT ? * (? + 2)' INTO y USING 1, 3;\nSELECT y AS y",
    [['5']],
  ),
  q(
    'script: EXECUTE IMMEDIATE with named parameters and INTO',
    `${P} — EXECUTE IMMEDIATE (USING ... AS name, @name placeholders)`,
    "DECLARE y INT64;\nEXECUTE IMMEDIATE 'SELECT @a * (@b + 2)' INTO y USING 1 AS a, 3 AS b;\nSELECT y AS y",
    [['5']],
  ),
  q(
    'script: EXECUTE IMMEDIATE INTO several variables',
    `${P} — EXECUTE IMMEDIATE (INTO variable_name[, ...])`,
    'DECLARE a INT64;\nDECLARE b STRING;\nEXECUTE IMMEDIATE "SELECT 7, \'seven\'" INTO a, b;\nSELECT a, b',
    [['7', 'seven']],
  ),
  q(
    'script: EXECUTE IMMEDIATE of a DML string built with FORMAT',
    `${P} — EXECUTE IMMEDIATE`,
    "DECLARE tbl STRING DEFAULT 'conf.inv';\nEXECUTE IMMEDIATE FORMAT('DELETE FROM %s WHERE qty > @m', tbl) USING 1 AS m;\nSELECT COUNT(*) AS n FROM conf.inv",
    [['1']],
    i,
  ),
  q(
    'script: CREATE TEMP FUNCTION (SQL UDF)',
    'BigQuery docs: User-defined functions — SQL UDFs',
    'CREATE TEMP FUNCTION AddFourAndDivide(x INT64, y INT64)\nRETURNS FLOAT64\nAS ((x + 4) / y);\nSELECT AddFourAndDivide(3, 2) AS r',
    [[3.5]],
    { types: ['FLOAT64'] },
  ),
  q(
    'script: a SQL UDF whose body subtracts its parameters',
    'BigQuery docs: User-defined functions — SQL UDFs; Operators — arithmetic operators (INT64 - INT64 is INT64)',
    'CREATE TEMP FUNCTION Gap(a INT64, b INT64) AS (a - b);\nSELECT Gap(5, 3) AS g, Gap(1, 4) AS h',
    [['2', '-3']],
    { types: ['INT64', 'INT64'] },
  ),
  q('script: CREATE TEMP TABLE and use it', `${P} — temporary tables in multi-statement queries`, 'CREATE TEMP TABLE tmp_nums AS SELECT x FROM UNNEST([4, 5, 6]) AS x;\nSELECT SUM(x) AS s FROM tmp_nums', [
    ['15'],
  ]),
  q('script: CALL a procedure with an argument', `${P} — CALL; ${DDL} — CREATE PROCEDURE statement`, "CALL conf.add_item('z', 26);\nSELECT sku, qty FROM conf.inv WHERE sku = 'z'", [['z', '26']], {
    setup: [...INV, 'CREATE OR REPLACE PROCEDURE conf.add_item(s STRING, n INT64)\nBEGIN\n  INSERT INTO conf.inv (sku, qty) VALUES (s, n);\nEND'],
  }),
  q('script: CALL with an OUT parameter', `${DDL} — CREATE PROCEDURE statement (OUT parameters)`, 'DECLARE r INT64;\nCALL conf.double_it(21, r);\nSELECT r AS r', [['42']], {
    setup: ['CREATE OR REPLACE PROCEDURE conf.double_it(x INT64, OUT y INT64)\nBEGIN\n  SET y = x * 2;\nEND'],
  }),
  q('script: CALL with an INOUT parameter', `${DDL} — CREATE PROCEDURE statement (INOUT parameters)`, 'DECLARE v INT64 DEFAULT 5;\nCALL conf.bump(v);\nCALL conf.bump(v);\nSELECT v AS v', [['7']], {
    setup: ['CREATE OR REPLACE PROCEDURE conf.bump(INOUT n INT64)\nBEGIN\n  SET n = n + 1;\nEND'],
  }),
  q('script: RETURN exits a procedure early', `${P} — RETURN`, 'DECLARE r INT64;\nCALL conf.early(r);\nSELECT r AS r', [['1']], {
    setup: ['CREATE OR REPLACE PROCEDURE conf.early(OUT y INT64)\nBEGIN\n  SET y = 1;\n  IF TRUE THEN\n    RETURN;\n  END IF;\n  SET y = 2;\nEND'],
  }),
  q(
    'script: BEGIN TRANSACTION ... COMMIT TRANSACTION keeps changes',
    `${T} — BEGIN TRANSACTION, COMMIT TRANSACTION`,
    "BEGIN TRANSACTION;\nINSERT INTO conf.inv (sku, qty) VALUES ('d', 4);\nDELETE FROM conf.inv WHERE sku = 'a';\nCOMMIT TRANSACTION;\nSELECT sku FROM conf.inv ORDER BY sku",
    [['b'], ['c'], ['d']],
    { ...i, ordered: true },
  ),
  q(
    'script: ROLLBACK TRANSACTION undoes changes',
    `${T} — ROLLBACK TRANSACTION`,
    "BEGIN TRANSACTION;\nDELETE FROM conf.inv WHERE true;\nINSERT INTO conf.inv (sku, qty) VALUES ('x', 9);\nROLLBACK TRANSACTION;\nSELECT sku, qty FROM conf.inv ORDER BY sku",
    [
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
    ],
    { ...i, ordered: true },
  ),
  q(
    'script: a transaction rolled back in an EXCEPTION handler',
    `${T} — "Rolling back a transaction on error" (BEGIN ... EXCEPTION WHEN ERROR THEN ROLLBACK TRANSACTION)`,
    "BEGIN\n  BEGIN TRANSACTION;\n  INSERT INTO conf.inv (sku, qty) VALUES ('d', 4);\n  SELECT 1 / 0;\n  COMMIT TRANSACTION;\nEXCEPTION WHEN ERROR THEN\n  ROLLBACK TRANSACTION;\nEND;\nSELECT COUNT(*) AS n FROM conf.inv",
    [['3']],
    i,
  ),
  q('script: @@row_count after UPDATE', `${SYS} — @@row_count`, 'UPDATE conf.inv SET qty = qty + 1 WHERE qty >= 2;\nSELECT @@row_count AS n', [['2']], { ...i, types: ['INT64'] }),
  q(
    'script: @@row_count after INSERT and DELETE',
    `${SYS} — @@row_count`,
    "DECLARE ins INT64;\nINSERT INTO conf.inv (sku, qty) VALUES ('d', 4), ('e', 5), ('f', 6);\nSET ins = @@row_count;\nDELETE FROM conf.inv WHERE qty > 4;\nSELECT ins, @@row_count AS del",
    [['3', '2']],
    i,
  ),
  q('script: the job returns the last SELECT of the script', `${P} — multi-statement queries (the result of the last statement)`, "SELECT 'first' AS a;\nSELECT 'second' AS b, 2 AS n", [['second', '2']], {
    columns: ['b', 'n'],
  }),
  q(
    'script: a variable used in a query WHERE clause and IN UNNEST of an array variable',
    `${P} — DECLARE (variables in queries)`,
    "DECLARE wanted ARRAY<STRING> DEFAULT ['a', 'c'];\nDECLARE min_qty INT64 DEFAULT 2;\nSELECT sku FROM conf.inv WHERE sku IN UNNEST(wanted) AND qty >= min_qty",
    [['c']],
    i,
  ),
  q(
    'script: FORMAT with %s into a variable',
    `${P} — SET; BigQuery docs: String functions — FORMAT`,
    "DECLARE msg STRING;\nSET msg = FORMAT('%s has %d rows', 'inv', (SELECT COUNT(*) FROM conf.inv));\nSELECT msg AS msg",
    [['inv has 3 rows']],
    i,
  ),
  q(
    'script: EXECUTE IMMEDIATE of a SELECT AS STRUCT query INTO a STRUCT variable takes the whole row',
    `${P} — EXECUTE IMMEDIATE (INTO); BigQuery docs: Query syntax — SELECT AS STRUCT (a value table: one STRUCT per row)`,
    'DECLARE s STRUCT<a INT64, b STRING>;\nEXECUTE IMMEDIATE \'SELECT AS STRUCT 1 AS a, "q" AS b\' INTO s;\nSELECT s.b AS b, s.a + 1 AS a',
    [['q', '2']],
  ),
  q(
    'script: a column takes precedence over a variable of the same name',
    'BigQuery docs: Work with multi-statement queries — Reference a user-created variable ("If a variable and column share the same name, the column takes precedence"; the example: 100)',
    'DECLARE x INT64 DEFAULT 0;\nSET x = 10;\nWITH Numbers AS (SELECT 50 AS x)\nSELECT (x + x) AS result FROM Numbers',
    [['100']],
  ),
  q(
    'script: a DELETE whose WHERE compares a column with a variable of its name compares the column with itself',
    'BigQuery docs: Work with multi-statement queries — Reference a user-created variable ("the column takes precedence"); DML — DELETE statement',
    "DECLARE sku STRING DEFAULT 'a';\nDELETE FROM conf.inv WHERE sku = sku;\nSELECT COUNT(*) AS left_rows FROM conf.inv",
    [['0']],
    { setup: INV },
  ),
  q(
    'script: a variable named like no column in the statement is the variable, also as its own alias',
    `${P} — DECLARE, SET`,
    "DECLARE sku STRING DEFAULT 'b';\nSELECT sku AS sku, (SELECT qty FROM conf.inv AS i WHERE i.sku = 'c') AS qty",
    [['b', '3']],
    { setup: INV },
  ),
  q(
    "script: a variable selected unaliased names its column as written, and a FOR row's field after the field",
    `${P} — FOR...IN (SELECT record.word, record.word_count: columns word, word_count); CALL (SELECT retCode)`,
    "DECLARE retCode INT64 DEFAULT 1;\nFOR record IN (SELECT 'w' AS word, 2 AS word_count) DO\n  SELECT retCode, record.word, record.word_count;\nEND FOR",
    [['1', 'w', '2']],
    { columns: ['retCode', 'word', 'word_count'] },
  ),
  q(
    'script: BREAK with a label leaves the labelled block or loop, CONTINUE with a loop label goes on with that loop',
    `${P} — Labels (BREAK label_1 in a labelled BEGIN block; nested loops broken by the outer label)`,
    `DECLARE n INT64 DEFAULT 0;
label_1: BEGIN
  SET n = 1;
  BREAK label_1;
  SET n = 100;
END label_1;
outer_loop: LOOP
  SET n = n + 1;
  inner_loop: LOOP
    IF n >= 3 THEN BREAK outer_loop; END IF;
    CONTINUE outer_loop;
  END LOOP;
END LOOP outer_loop;
SELECT n`,
    [['3']],
  ),
  err(
    'script: BREAK naming a label that does not enclose it is an error',
    `${P} — Labels ("A BREAK, LEAVE, or CONTINUE, or ITERATE statement that specifies a label that doesn't exist throws an error")`,
    'DECLARE x INT64 DEFAULT 0;\nWHILE x < 1 DO\n  BREAK label_1;\nEND WHILE',
    'Label label_1 is not defined',
  ),
  q(
    'script: @@error.statement_text is the text of the statement that failed',
    `${P} — BEGIN...EXCEPTION...END (@@error.statement_text: "the text of the statement which caused the error")`,
    'BEGIN\n  SELECT 1/0;\nEXCEPTION WHEN ERROR THEN\n  SELECT @@error.statement_text AS st;\nEND',
    [['SELECT 1/0']],
  ),
  q(
    "script: DROP TABLE of a temporary table drops it, not the default dataset's table of the same name",
    'BigQuery docs: Work with multi-statement queries — Qualify temporary tables with _SESSION ("Now that the temporary table is dropped, this statement selects from the table in the default dataset"); Delete temporary tables',
    'CREATE TEMP TABLE inv (sku STRING);\nDROP TABLE inv;\nSELECT COUNT(*) AS n FROM inv',
    [['3']],
    { setup: INV, defaultDataset: true },
  ),
  q(
    "script: @@time_zone begins as UTC, and @@dataset_id is the job's default dataset",
    `${SYS} — @@time_zone ("At the start of each script, @@time_zone begins as UTC"; SELECT @@time_zone AS default_time_zone), @@dataset_id`,
    'SELECT @@time_zone AS default_time_zone, @@dataset_id AS dataset_id',
    [['UTC', 'conf']],
    { defaultDataset: true },
  ),
  q(
    "script: a select-list alias of a variable's name does not hide the variable in that SELECT's WHERE or select list",
    "BigQuery docs: Work with multi-statement queries — Reference a user-created variable (a column takes precedence); Query syntax — WHERE clause (it filters the FROM clause's rows, before the select list names anything)",
    'DECLARE lim INT64 DEFAULT 100;\nSELECT qty AS lim, lim + 1 AS next FROM conf.inv WHERE qty < lim ORDER BY qty',
    [
      ['1', '101'],
      ['2', '101'],
      ['3', '101'],
    ],
    { setup: INV, ordered: true },
  ),
];
