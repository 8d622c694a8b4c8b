import type { ConformanceCase } from '../case.js';
import { q } from './helpers.js';

const QS = 'BigQuery docs: Query syntax';

/** Result column names: repeated ones, at the top level and in a derived table. */
export const cases: ConformanceCase[] = [
  q(
    'query: duplicate top-level column names are renamed after the first (a, a_1)',
    `${QS} — Duplicate aliases ("all duplicate columns, except for the first one, are automatically renamed": SELECT 1 AS a, 2 AS a gives a, a_1)`,
    'SELECT 1 AS a, 2 AS a',
    [['1', '2']],
    { columns: ['a', 'a_1'] },
  ),
  q(
    'query: a derived table keeps a repeated column name, which the top-level result renames after the first (x, x_1)',
    `${QS} — Duplicate aliases (allowed in a subquery; at the top level "all duplicate columns, except for the first one, are automatically renamed")`,
    'SELECT r.* FROM (SELECT x, x FROM (SELECT 2 AS x)) AS r',
    [['2', '2']],
    { columns: ['x', 'x_1'] },
  ),
];
