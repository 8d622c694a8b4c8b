/**
 * Extract jobs to the emulator's local bucket folder: `destinationUris` `gs://bucket/path` (`bq extract` accepts only
 * gs:// URIs) or a `file://` URI naming a file in that folder; CSV (header unless printHeader is false,
 * fieldDelimiter) or NEWLINE_DELIMITED_JSON. DuckDB writes the file into its staging folder (the only place it may
 * write), and it is then moved to the destination.
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { quoteIdent, type Engine } from './engine.ts';
import { localPath } from './local-uri.ts';
import { invalid, notFound, notSupported } from './errors.ts';
import { quoteLiteral } from './sql/quote.ts';
import type { FieldSchema } from './types.ts';

export async function runExtract(engine: Engine, extract: any): Promise<{ files: number }> {
  const src = extract.sourceTable;
  if (!src?.datasetId || !src?.tableId) throw invalid('Extract configuration requires sourceTable with datasetId and tableId');
  const uris: string[] = extract.destinationUris ?? (extract.destinationUri ? [extract.destinationUri] : []);
  if (uris.length !== 1) throw invalid('Extract configuration requires exactly one destination URI');
  const uri = uris[0];
  if (uri.includes('*')) throw invalid(`Wildcard destination URIs are not supported by the local emulator: ${uri}`);
  if ((await engine.objectType(src.datasetId, src.tableId)) !== 'TABLE') throw notFound(`Table ${engine.projectId}:${src.datasetId}.${src.tableId}`);
  await refuseRangeColumns(engine, src.datasetId, src.tableId);
  const format = String(extract.destinationFormat ?? 'CSV').toUpperCase();
  const path = localPath(engine, uri, true);
  const from = `${quoteIdent(src.datasetId)}.${quoteIdent(src.tableId)}`;
  let options: string;
  if (format === 'CSV') {
    const delim = extract.fieldDelimiter === '\\t' ? '\t' : (extract.fieldDelimiter ?? ',');
    options = `FORMAT csv, HEADER ${extract.printHeader === false ? 'false' : 'true'}, DELIMITER ${quoteLiteral(delim)}`;
  } else if (format === 'NEWLINE_DELIMITED_JSON') {
    options = 'FORMAT json';
  } else {
    throw invalid(`destinationFormat ${format} is not supported by the local emulator (CSV and NEWLINE_DELIMITED_JSON are)`);
  }
  if (extract.compression && String(extract.compression).toUpperCase() !== 'NONE') {
    options += `, COMPRESSION ${String(extract.compression).toLowerCase() === 'gzip' ? 'gzip' : 'none'}`;
  }
  const staging = join(engine.stagingDir, `extract-${randomUUID()}`);
  mkdirSync(staging);
  const staged = join(staging, 'out');
  const conn = await engine.connect();
  try {
    await conn.run(`COPY (SELECT * FROM ${from}) TO ${quoteLiteral(staged)} (${options})`);
    moveFile(staged, path);
  } catch (e) {
    throw invalid(`Extract to ${uri} failed: ${(e as Error).message.split('\n')[0]}`);
  } finally {
    conn.closeSync();
    rmSync(staging, { recursive: true, force: true });
  }
  return { files: 1 };
}

/** DuckDB would write a RANGE column (range-type.ts) as the STRUCT the emulator keeps it in. */
async function refuseRangeColumns(engine: Engine, datasetId: string, tableId: string): Promise<void> {
  const ranges = (fields: FieldSchema[], prefix = ''): string[] => fields.flatMap((f) => (f.type === 'RANGE' ? [prefix + f.name] : ranges(f.fields ?? [], `${prefix}${f.name}.`)));
  const names = ranges(await engine.tableSchema(datasetId, tableId));
  if (names.length) throw notSupported(`Extracting a table with RANGE columns (${names.join(', ')})`);
}

function moveFile(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    copyFileSync(from, to);
  }
}
