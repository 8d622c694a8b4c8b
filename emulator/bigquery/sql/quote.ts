/** DuckDB quoting for names and string literals built by the emulator itself (never user SQL text). */
export const quoteIdent = (s: string) => '"' + s.replace(/"/g, '""') + '"';
export const quoteLiteral = (s: string) => "'" + s.replace(/'/g, "''") + "'";
