import type { ConformanceCase } from '../case.js';

const QP = 'BigQuery docs: Running parameterized queries (named parameters, REST queryParameters)';

type Param = NonNullable<ConformanceCase['params']>[number];
const scalar = (name: string, type: string, value: string): Param => ({ name, parameterType: { type }, parameterValue: { value } });
const array = (name: string, type: string, values: string[]): Param => ({
  name,
  parameterType: { type: 'ARRAY', arrayType: { type } },
  parameterValue: { arrayValues: values.map((value) => ({ value })) },
});

const INV = ['create table conf.inv (sku STRING, qty INT64)', "insert into conf.inv (sku, qty) values ('a', 1), ('b', 2), ('c', 3)"];

export const cases: ConformanceCase[] = [
  {
    name: 'params: INT64 named parameter',
    source: QP,
    sql: 'SELECT @n * 2 AS doubled',
    params: [scalar('n', 'INT64', '21')],
    expect: { rows: [['42']], types: ['INT64'] },
  },
  {
    name: 'params: a JSON parameter is held as BigQuery holds JSON: members ordered by name, the first of a repeated key',
    source: `${QP}; BigQuery docs: JSON functions — JSON_OBJECT (example: {"bar":true,"foo":10}), PARSE_JSON (a repeated key keeps its first value)`,
    sql: 'SELECT @j AS j, TO_JSON_STRING(@j) AS s',
    params: [scalar('j', 'JSON', '{"b": 1, "a": 2, "b": 3}')],
    expect: { rows: [['{"a":2,"b":1}', '{"a":2,"b":1}']], types: ['JSON', 'STRING'] },
  },
  {
    name: 'params: STRING with quotes and backslashes comes back unchanged',
    source: `${QP} — parameters are values, never SQL text`,
    sql: 'SELECT @s AS s, LENGTH(@s) AS len',
    params: [scalar('s', 'STRING', `O'Brien \\ "quoted" \\'`)],
    expect: { rows: [[`O'Brien \\ "quoted" \\'`, '21']] },
  },
  {
    name: 'params: an injection attempt is compared as a plain string',
    source: `${QP} — parameters are values, never SQL text`,
    setup: INV,
    sql: 'SELECT COUNT(*) AS n FROM conf.inv WHERE sku = @sku',
    params: [scalar('sku', 'STRING', "x' OR '1'='1")],
    expect: { rows: [['0']] },
  },
  {
    name: 'params: a string literal that looks like a parameter is not substituted',
    source: QP,
    sql: "SELECT '@p' AS literal, @p AS param",
    params: [scalar('p', 'STRING', 'value')],
    expect: { rows: [['@p', 'value']] },
  },
  {
    name: 'params: DATE parameter in DATE_ADD',
    source: QP,
    sql: 'SELECT DATE_ADD(@d, INTERVAL 1 DAY) AS next_day',
    params: [scalar('d', 'DATE', '2024-01-31')],
    expect: { rows: [['2024-02-01']], types: ['DATE'] },
  },
  {
    name: 'params: TIMESTAMP parameter',
    source: QP,
    sql: 'SELECT @ts AS ts, TIMESTAMP_ADD(@ts, INTERVAL 90 MINUTE) AS later',
    params: [scalar('ts', 'TIMESTAMP', '2024-01-01 10:00:00+00:00')],
    expect: { rows: [['2024-01-01T10:00:00Z', '2024-01-01T11:30:00Z']], types: ['TIMESTAMP', 'TIMESTAMP'] },
  },
  {
    name: 'params: ARRAY<STRING> parameter with IN UNNEST',
    source: `${QP} — array parameters`,
    setup: INV,
    sql: 'SELECT sku FROM conf.inv WHERE sku IN UNNEST(@skus) ORDER BY sku',
    params: [array('skus', 'STRING', ['c', 'a', "it's"])],
    expect: { rows: [['a'], ['c']], ordered: true },
  },
  {
    name: 'params: ARRAY<INT64> parameter',
    source: `${QP} — array parameters`,
    sql: 'SELECT ARRAY_LENGTH(@arr) AS n, (SELECT SUM(x) FROM UNNEST(@arr) AS x) AS total',
    params: [array('arr', 'INT64', ['1', '2', '39'])],
    expect: { rows: [['3', '42']] },
  },
  {
    name: 'params: BOOL, FLOAT64 and NUMERIC parameters',
    source: QP,
    sql: 'SELECT IF(@flag, @f * 2, 0) AS f2, @num + 1 AS n1',
    params: [scalar('flag', 'BOOL', 'true'), scalar('f', 'FLOAT64', '1.25'), scalar('num', 'NUMERIC', '0.10')],
    expect: { rows: [[2.5, '1.1']], types: ['FLOAT64', 'NUMERIC'] },
  },
  {
    name: 'params: STRUCT parameter field access',
    source: `${QP} — struct parameters`,
    sql: 'SELECT @st.a AS a, @st.b AS b',
    params: [
      {
        name: 'st',
        parameterType: {
          type: 'STRUCT',
          structTypes: [
            { name: 'a', type: { type: 'INT64' } },
            { name: 'b', type: { type: 'STRING' } },
          ],
        },
        parameterValue: { structValues: { a: { value: '7' }, b: { value: 'seven' } } },
      },
    ],
    expect: { rows: [['7', 'seven']] },
  },
  {
    name: 'params: the same parameter used twice and in a DML statement',
    source: `${QP}; BigQuery docs: DML — UPDATE statement`,
    setup: INV,
    sql: 'UPDATE conf.inv SET qty = qty + @delta WHERE qty > @delta',
    params: [scalar('delta', 'INT64', '1')],
    expect: { rows: [], dmlAffectedRows: 2 },
  },
  {
    name: 'params: a parameter used in a script DECLARE DEFAULT',
    source: `${QP}; BigQuery docs: Procedural language — DECLARE`,
    sql: "DECLARE x STRING DEFAULT @greeting;\nSELECT CONCAT(x, ', world') AS s",
    params: [scalar('greeting', 'STRING', 'hello')],
    expect: { rows: [['hello, world']] },
  },
  {
    name: 'params: NUMERIC and BIGNUMERIC values keep every digit, an exponent included',
    source: `${QP}; Data types — NUMERIC (9 fractional digits), BIGNUMERIC`,
    sql: 'SELECT @n AS n, @b AS b',
    params: [scalar('n', 'NUMERIC', '12345678901234567890123456789.123456789'), scalar('b', 'BIGNUMERIC', '2.5e-3')],
    expect: { rows: [['12345678901234567890123456789.123456789', '0.0025']], types: ['NUMERIC', 'BIGNUMERIC'] },
  },
  {
    name: 'params: a NUMERIC with 10 fractional digits is not a NUMERIC (never rounded)',
    source: `${QP}; Data types — NUMERIC holds 9 fractional digits`,
    sql: 'SELECT @n AS n',
    params: [scalar('n', 'NUMERIC', '0.1234567891')],
    expect: { error: 'not a valid NUMERIC' },
  },
  {
    name: 'params: a BIGNUMERIC past 18 fractional digits is refused by the emulator (never rounded)',
    source: `${QP}; Data types — BIGNUMERIC holds 38 fractional digits, the emulator 18`,
    sql: 'SELECT @b AS b',
    params: [scalar('b', 'BIGNUMERIC', '1e-30')],
    expect: { error: 'not supported by the local emulator' },
  },
];
