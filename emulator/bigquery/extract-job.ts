/**
 * Extract jobs to local files: `destinationUris` `file:///absolute/path` or `gs://bucket/path` (a file under the
 * emulator's local bucket folder: `bq extract` accepts only gs:// URIs), CSV (header unless printHeader is false, fieldDelimiter) or NEWLINE_DELIMITED_JSON, written by DuckDB.
 */
import { quoteIdent, type Engine } from './engine.ts';
import { localPath } from './local-uri.ts';
import { invalid, notFound } from './errors.ts';
import { quoteLiteral } from './sql/quote.ts';

export async function runExtract(engine: Engine, extract: any): Promise<{ files: number }> {
  const src = extract.sourceTable;
  if (!src?.datasetId || !src?.tableId) throw invalid('Extract configuration requires sourceTable with datasetId and tableId');
  const uris: string[] = extract.destinationUris ?? (extract.destinationUri ? [extract.destinationUri] : []);
  if (uris.length !== 1) throw invalid('Extract configuration requires exactly one destination URI');
  const uri = uris[0];
  if (uri.includes('*')) throw invalid(`Wildcard destination URIs are not supported by the local emulator: ${uri}`);
  if ((await engine.objectType(src.datasetId, src.tableId)) !== 'TABLE') throw notFound(`Table ${engine.projectId}:${src.datasetId}.${src.tableId}`);
  const format = String(extract.destinationFormat ?? 'CSV').toUpperCase();
  const path = localPath(engine, uri, true);
  const from = `${quoteIdent(src.datasetId)}.${quoteIdent(src.tableId)}`;
  let options: string;
  if (format === 'CSV') {
    const delim = extract.fieldDelimiter === '\\t' ? '\t' : extract.fieldDelimiter ?? ',';
    options = `FORMAT csv, HEADER ${extract.printHeader === false ? 'false' : 'true'}, DELIMITER ${quoteLiteral(delim)}`;
  } else if (format === 'NEWLINE_DELIMITED_JSON') {
    options = 'FORMAT json';
  } else {
    throw invalid(`destinationFormat ${format} is not supported by the local emulator (CSV and NEWLINE_DELIMITED_JSON are)`);
  }
  if (extract.compression && String(extract.compression).toUpperCase() !== 'NONE') {
    options += `, COMPRESSION ${String(extract.compression).toLowerCase() === 'gzip' ? 'gzip' : 'none'}`;
  }
  const conn = await engine.connect();
  try {
    await conn.run(`COPY (SELECT * FROM ${from}) TO ${quoteLiteral(path)} (${options})`);
  } catch (e) {
    throw invalid(`Extract to ${uri} failed: ${(e as Error).message.split('\n')[0]}`);
  } finally {
    conn.closeSync();
  }
  return { files: 1 };
}
