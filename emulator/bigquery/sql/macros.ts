/**
 * DuckDB macros that give BigQuery's semantics where DuckDB's built-ins differ; created once per
 * engine. ast-fixes.ts and its helpers rewrite calls to these `__gg_*` names.
 */
import { coreMacros } from './macros-core.ts';
import { raiseMacros } from './macros-raise.ts';
import { datetimeMacros } from './macros-datetime.ts';
import { textMacros } from './macros-text.ts';
import { jsonMacros } from './macros-json.ts';
import { castMacros } from './macros-casts.ts';
import { intervalMacros } from './macros-intervals.ts';
import { stringMacros } from './macros-strings.ts';
import { numericMacros } from './macros-numeric.ts';
import { bytesMacros } from './macros-bytes.ts';
import { encodingMacros } from './macros-encodings.ts';
import { castFormatMacros } from './macros-cast-format.ts';
import { mathMacros } from './macros-math.ts';
import { vectorMacros } from './macros-vectors.ts';
import { approxTopMacros } from './fix-approx-top.ts';
import { MacroCatalog } from './macro-expansion.ts';
import { rangeMacros } from '../range-type.ts';

// Order matters: a macro must be defined before another macro's body refers to it.
const definitions = [
  ...raiseMacros,
  ...numericMacros,
  ...coreMacros,
  ...mathMacros,
  ...vectorMacros,
  ...datetimeMacros,
  ...textMacros,
  ...jsonMacros,
  ...encodingMacros,
  ...castFormatMacros,
  ...castMacros,
  ...intervalMacros,
  ...stringMacros,
  ...bytesMacros,
  ...approxTopMacros,
  ...rangeMacros,
];
/** What each macro repeats and costs to bind (bind-operands-once.ts reads it). */
export const macroCatalog = new MacroCatalog(definitions);
// Every macro that repeats an operand gets a `_once` form, for the calls whose operands are too big to copy.
export const bigQueryMacros: string[] = [...definitions, ...macroCatalog.onceForms()];
