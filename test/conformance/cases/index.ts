import type { ConformanceCase } from '../case.js';
import { cases as arrays } from './arrays.js';
import { cases as concurrency } from './concurrency.js';
import { cases as dataform } from './dataform.js';
import { cases as dataformMore } from './dataform-more.js';
import { cases as dml } from './dml.js';
import { cases as dmlMerge } from './dml-merge.js';
import { cases as ddl } from './ddl.js';
import { cases as functionsAggregate } from './functions-aggregate.js';
import { cases as functionsDatetime } from './functions-datetime.js';
import { cases as functionsInterval } from './functions-interval.js';
import { cases as dateSubtraction } from './date-subtraction.js';
import { cases as functionsMath } from './functions-math.js';
import { cases as functionsMisc } from './functions-misc.js';
import { cases as functionsJsonEdit } from './functions-json-edit.js';
import { cases as functionsString } from './functions-string.js';
import { cases as groupBy } from './group-by.js';
import { cases as params } from './params.js';
import { cases as pipeSyntax } from './pipe-syntax.js';
import { cases as pivot } from './pivot.js';
import { cases as aggregateHaving } from './aggregate-having.js';
import { cases as queries } from './queries.js';
import { cases as resultColumns } from './result-columns.js';
import { cases as scripting } from './scripting.js';
import { cases as setOperations } from './set-operations.js';
import { cases as types } from './types.js';
import { cases as windows } from './windows.js';

export const allCases: ConformanceCase[] = [
  ...dataform,
  ...dataformMore,
  ...functionsString,
  ...functionsMath,
  ...functionsDatetime,
  ...functionsInterval,
  ...dateSubtraction,
  ...functionsAggregate,
  ...functionsMisc,
  ...functionsJsonEdit,
  ...queries,
  ...resultColumns,
  ...setOperations,
  ...pivot,
  ...arrays,
  ...pipeSyntax,
  ...aggregateHaving,
  ...groupBy,
  ...windows,
  ...dml,
  ...dmlMerge,
  ...ddl,
  ...scripting,
  ...types,
  ...params,
  ...concurrency,
];

const seen = new Set<string>();
for (const c of allCases) {
  if (seen.has(c.name)) throw new Error(`Duplicate conformance case name: ${c.name}`);
  seen.add(c.name);
}
