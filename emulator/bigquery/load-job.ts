/**
 * Load jobs: CSV or newline-delimited JSON from the request (multipart or resumable upload) or from files of the
 * emulator's local bucket folder (`gs://bucket/path`, or a `file://` URI naming a file there), with a schema or
 * autodetect, WRITE_APPEND / WRITE_TRUNCATE / WRITE_EMPTY. The rows are read by DuckDB (CSV, staged in the engine's
 * staging folder, the one DuckDB may read) or parsed here (JSON, to reject unknown fields as BigQuery does) and
 * written in one transaction: a failed load changes nothing.
 */
import { emptyNullArrays } from './null-arrays.ts';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { quoteIdent, tableKey, type Engine } from './engine.ts';
import { localPath } from './local-uri.ts';
import { BigQueryError, invalid, notFound } from './errors.ts';
import { quoteLiteral } from './sql/quote.ts';
import type { FieldSchema } from './types.ts';
import { fieldToDuck, jsonLiteral } from './rest-fields.ts';
import { snapshotReadOnly } from './ddl-runner.ts';

export interface LoadResult {
  outputRows: number;
  inputFiles: number;
  inputFileBytes: number;
}

const legacy: Record<string, string> = { INT64: 'INTEGER', FLOAT64: 'FLOAT', BOOL: 'BOOLEAN', STRUCT: 'RECORD' };
const norm = (t: string) => legacy[t.toUpperCase()] ?? t.toUpperCase();

/** The data of a load: the uploaded bytes, or the files its sourceUris name. */
function sources(engine: Engine, load: any, upload?: Buffer): Buffer[] {
  if (upload) return [upload];
  const uris: string[] = load.sourceUris ?? [];
  if (!uris.length) throw invalid('Load configuration must specify sourceUris or carry the data as a media upload');
  return uris.map((uri) => {
    const path = localPath(engine, uri);
    try {
      return readFileSync(path);
    } catch (e) {
      throw notFound(`URI ${uri} (${(e as Error).message})`);
    }
  });
}

export async function runLoad(engine: Engine, load: any, upload?: Buffer): Promise<LoadResult> {
  const dest = load.destinationTable;
  if (!dest?.datasetId || !dest?.tableId) throw invalid('Load configuration requires destinationTable with datasetId and tableId');
  const format = String(load.sourceFormat ?? 'CSV').toUpperCase();
  if (format !== 'CSV' && format !== 'NEWLINE_DELIMITED_JSON') {
    throw invalid(`sourceFormat ${format} is not supported by the local emulator (CSV and NEWLINE_DELIMITED_JSON are)`);
  }
  const write = String(load.writeDisposition ?? 'WRITE_APPEND').toUpperCase();
  const create = String(load.createDisposition ?? 'CREATE_IF_NEEDED').toUpperCase();
  if (!['WRITE_APPEND', 'WRITE_TRUNCATE', 'WRITE_EMPTY'].includes(write)) throw invalid(`Invalid writeDisposition: ${write}`);
  if (!(await engine.datasetExists(dest.datasetId))) throw notFound(`Dataset ${engine.projectId}:${dest.datasetId}`);
  const data = sources(engine, load, upload);
  const key = tableKey(dest.datasetId, dest.tableId);
  const target = `${quoteIdent(dest.datasetId)}.${quoteIdent(dest.tableId)}`;
  const release = await engine.tableLocks.lockAll([key]);
  const conn = await engine.connect();
  const dir = mkdtempSync(join(engine.stagingDir, 'load-'));
  try {
    const type = await engine.objectType(dest.datasetId, dest.tableId);
    if (type === 'VIEW') throw invalid(`Cannot load into view ${engine.projectId}:${key}`);
    if (type && engine.catalog.table(dest.datasetId, dest.tableId)?.type === 'SNAPSHOT') throw snapshotReadOnly(engine.projectId, key);
    if (!type && create === 'CREATE_NEVER') throw notFound(`Table ${engine.projectId}:${key}`);
    const existing = type ? await engine.tableSchema(dest.datasetId, dest.tableId) : undefined;
    const given: FieldSchema[] | undefined = load.schema?.fields;
    if (given && existing) checkSchema(engine, key, given, existing);
    if (existing && write === 'WRITE_EMPTY' && (await engine.numRows(dest.datasetId, dest.tableId)) > 0) {
      throw new BigQueryError(409, 'duplicate', `Already Exists: Table ${engine.projectId}:${key}`);
    }
    const files = data.map((buf, k) => {
      const path = join(dir, `part${k}`);
      writeFileSync(path, buf);
      return path;
    });
    // Rows as a SELECT over the staged files (CSV: DuckDB's reader; JSON: VALUES after our own checks).
    let schema: FieldSchema[] | undefined = given ?? existing;
    let select: string;
    if (format === 'CSV') {
      const skip = Number(load.skipLeadingRows ?? 0);
      const opts = [
        `delim=${quoteLiteral(load.fieldDelimiter === '\\t' ? '\t' : (load.fieldDelimiter ?? ','))}`,
        `quote=${quoteLiteral(load.quote ?? '"')}`,
        `escape=${quoteLiteral(load.quote ?? '"')}`,
        ...(load.nullMarker !== undefined ? [`nullstr=${quoteLiteral(load.nullMarker)}`] : []),
        `null_padding=${load.allowJaggedRows ? 'true' : 'false'}`,
      ];
      const list = `[${files.map(quoteLiteral).join(', ')}]`;
      if (schema) {
        // NUMERIC and BIGNUMERIC read as text and checked (csvDecimal): DuckDB's reader would round their extra digits.
        const cols = `{${schema.map((f) => `${quoteLiteral(f.name)}: ${quoteLiteral(csvDecimal(f) ? 'VARCHAR' : fieldToDuck(f))}`).join(', ')}}`;
        const read = `read_csv(${list}, header=false, skip=${skip}, columns=${cols}, auto_detect=false, ${opts.join(', ')})`;
        select = `SELECT ${schema.map((f) => `${csvDecimal(f)?.(quoteIdent(f.name), quoteLiteral(f.name)) ?? quoteIdent(f.name)} AS ${quoteIdent(f.name)}`).join(', ')} FROM ${read}`;
      } else if (load.autodetect) {
        select = `SELECT * FROM read_csv(${list}, auto_detect=true, ${skip ? `skip=${skip}, header=false` : 'header=true'}, ${opts.join(', ')})`;
      } else {
        throw invalid('No schema specified on job or table: provide schema or set autodetect');
      }
    } else {
      const rows = data
        .flatMap((buf) => buf.toString('utf8').split('\n'))
        .map((l) => l.trim())
        .filter(Boolean)
        .map((line, k) => {
          try {
            return JSON.parse(line);
          } catch (e) {
            throw invalid(
              `Error while reading data, error message: JSON table encountered too many errors, giving up. Rows: ${k + 1}; errors: 1. JSON parsing error in row starting at position 0: ${(e as Error).message}`,
            );
          }
        });
      if (!schema) {
        if (!load.autodetect) throw invalid('No schema specified on job or table: provide schema or set autodetect');
        schema = detectJsonSchema(rows);
      }
      const known = new Set(schema.map((f) => f.name));
      const tuples = rows.map((row, k) => {
        const unknown = Object.keys(row).find((name) => !known.has(name));
        if (unknown && !load.ignoreUnknownValues) {
          throw invalid(
            `Error while reading data, error message: JSON table encountered too many errors, giving up. Rows: ${k + 1}; errors: 1. JSON parsing error in row starting at position 0: No such field: ${unknown}.`,
          );
        }
        try {
          return `(${schema!.map((f) => jsonLiteral(f, row[f.name])).join(', ')})`;
        } catch (e) {
          throw invalid(`Error while reading data, error message: ${(e as Error).message} (row ${k + 1})`);
        }
      });
      const cols = schema.map((f) => quoteIdent(f.name)).join(', ');
      select = tuples.length ? `SELECT * FROM (VALUES ${tuples.join(', ')}) AS v(${cols})` : `SELECT ${schema.map((f) => `CAST(NULL AS ${fieldToDuck(f)}) AS ${quoteIdent(f.name)}`).join(', ')} WHERE FALSE`;
    }
    const now = Date.now();
    if (type) await engine.keepVersion(dest.datasetId, dest.tableId, now);
    await conn.run('BEGIN TRANSACTION');
    try {
      if (!type) {
        const staged = await conn.runAndReadAll(`SELECT * FROM (${select}) LIMIT 0`);
        const fields = schema ?? staged.columnNames().map((name) => ({ name }) as FieldSchema);
        const cols = schema
          ? schema.map((f) => `${quoteIdent(f.name)} ${fieldToDuck(f)}${f.mode === 'REQUIRED' ? ' NOT NULL' : ''}`)
          : staged.columnNames().map((n, k) => `${quoteIdent(n)} ${staged.columnType(k).toString()}`);
        await conn.run(`CREATE TABLE ${target} (${cols.join(', ')})`);
        void fields;
      } else if (write === 'WRITE_TRUNCATE') {
        await conn.run(`DELETE FROM ${target}`);
      }
      const names = schema ? `(${schema.map((f) => quoteIdent(f.name)).join(', ')})` : '';
      const r = await conn.run(`INSERT INTO ${target} ${names} ${select}`);
      await emptyNullArrays(conn, target);
      await engine.commitMutex.run(async () => {
        await conn.run('COMMIT');
        engine.markChanged([key]);
      });
      const meta = engine.catalog.table(dest.datasetId, dest.tableId);
      await engine.meta((c) =>
        c.putTable({
          ...(meta ?? { type: 'TABLE' as const, creationTime: now }),
          datasetId: dest.datasetId,
          tableId: dest.tableId,
          lastModifiedTime: now,
          ...(!meta && load.timePartitioning ? { timePartitioning: load.timePartitioning } : {}),
          ...(!meta && load.clustering ? { clustering: load.clustering } : {}),
          ...(!meta && schema ? { fieldDescriptions: Object.fromEntries(schema.filter((f) => f.description).map((f) => [f.name, f.description!])) } : {}),
        }),
      );
      return { outputRows: Number(r.rowsChanged), inputFiles: data.length, inputFileBytes: data.reduce((n, b) => n + b.length, 0) };
    } catch (e) {
      await conn.run('ROLLBACK').catch(() => undefined);
      if (e instanceof BigQueryError) throw e;
      throw invalid(`Error while reading data, error message: ${(e as Error).message.split('\n').slice(0, 2).join(' ')}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    conn.closeSync();
    release();
  }
}

/** BigQuery refuses a load whose schema does not match the destination's (names and types, in order). */
function checkSchema(engine: Engine, key: string, given: FieldSchema[], existing: FieldSchema[]) {
  const have = new Map(existing.map((f) => [f.name.toLowerCase(), f]));
  for (const f of given) {
    const e = have.get(f.name.toLowerCase());
    if (!e) throw invalid(`Provided Schema does not match Table ${engine.projectId}:${key}. Cannot add fields (field: ${f.name})`);
    if (norm(e.type) !== norm(f.type)) throw invalid(`Provided Schema does not match Table ${engine.projectId}:${key}. Field ${f.name} has changed type from ${norm(e.type)} to ${norm(f.type)}`);
  }
  if (given.length !== existing.length) {
    const missing = existing.find((e) => !given.some((f) => f.name.toLowerCase() === e.name.toLowerCase()));
    throw invalid(`Provided Schema does not match Table ${engine.projectId}:${key}. Field ${missing?.name} is missing in new schema`);
  }
}

/** BigQuery-style autodetect over JSON values: INTEGER, FLOAT, BOOLEAN, DATE, TIMESTAMP, STRING, RECORD, REPEATED. */
function detectJsonSchema(rows: any[]): FieldSchema[] {
  const fields = new Map<string, FieldSchema>();
  const typeOf = (v: unknown): string => {
    if (typeof v === 'boolean') return 'BOOLEAN';
    if (typeof v === 'number') return Number.isInteger(v) ? 'INTEGER' : 'FLOAT';
    if (typeof v === 'string') {
      if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return 'DATE';
      if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}| UTC)?$/.test(v)) return 'TIMESTAMP';
      return 'STRING';
    }
    if (v && typeof v === 'object') return 'RECORD';
    return '';
  };
  const merge = (a: string, b: string) => (!a ? b : !b || a === b ? a : (a === 'INTEGER' && b === 'FLOAT') || (a === 'FLOAT' && b === 'INTEGER') ? 'FLOAT' : 'STRING');
  for (const row of rows) {
    for (const [name, v] of Object.entries(row)) {
      const repeated = Array.isArray(v);
      const values = repeated ? (v as unknown[]) : [v];
      let f = fields.get(name) ?? { name, type: '', mode: repeated ? 'REPEATED' : 'NULLABLE' };
      for (const x of values) {
        const t = typeOf(x);
        if (t === 'RECORD') f = { ...f, type: 'RECORD', fields: detectJsonSchema([x, ...(f.fields ? [] : [])]) };
        else f = { ...f, type: merge(f.type, t) };
      }
      fields.set(name, f);
    }
  }
  return [...fields.values()].map((f) => ({ ...f, type: f.type || 'STRING' }));
}

/** How a CSV column of NUMERIC or BIGNUMERIC, read as text, becomes its type through the checks of macros-casts.ts. */
function csvDecimal(f: FieldSchema): ((column: string, name: string) => string) | undefined {
  if (f.mode === 'REPEATED') return undefined;
  const t = (f.type ?? '').toUpperCase();
  if (t === 'NUMERIC') return (column, name) => `__gg_load_numeric(${column}, ${name})`;
  if (t === 'BIGNUMERIC') return (column) => `__gg_bignumeric(${column})`;
  return undefined;
}
