/**
 * A derived table's column whose name an earlier column of it holds gets the alias `__gg_dup_<k>_<name>`
 * (result-names.ts), since DuckDB would rename it `<name>_1`; results and STRUCT field types show `<name>`.
 * Its own module, free of the translator, so types.ts can read it without loading polyglot.
 */
export const DUPLICATE_PREFIX = '__gg_dup_';
const DUPLICATE_NAME = /^__gg_dup_\d+_(.*)$/s;

/** A column or field name as BigQuery gives it: a repeated name's placeholder alias is the name itself. */
export const repeatedColumnName = (name: string): string => DUPLICATE_NAME.exec(name)?.[1] ?? name;
