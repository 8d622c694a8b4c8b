/** Runs DDL with BigQuery's semantics and keeps the catalog in step with DuckDB. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent, tableKey } from './engine.ts';
import { emptyNullArrays } from './null-arrays.ts';
import { LIKE_ROWS, likeTableQuery } from './create-table-like.ts';
import { isTempTable } from './temp-tables.ts';
import type { Session, StatementResult } from './session.ts';
import type { StatementType } from './sql/statement-kind.ts';
import { readPath } from './sql/statement-kind.ts';
import { parseCreateTable, parseCreateView, parseOptions, partitioningFrom, closing } from './sql/ddl.ts';
import { significant, tokenize } from './sql/tokenizer.ts';
import { BigQueryError, fromDuckDb, invalidQuery, notFound, notSupported } from './errors.ts';
import { bigQueryTypeToDuck } from './types.ts';
import { repeatedSelectName } from './sql/result-names.ts';
import type { TableMeta } from './catalog.ts';

const empty = (type: StatementType, datasetId?: string, tableId?: string, operation = 'CREATE'): StatementResult => ({
  statementType: type,
  names: [],
  types: [],
  rows: [],
  referenced: [],
  ...(datasetId && tableId ? { ddlTarget: { datasetId, tableId, operation } } : {}),
});

function splitTarget(session: Session, parts: string[]): { ds: string; t: string } {
  if (parts.length >= 2) return { ds: parts[parts.length - 2], t: parts[parts.length - 1] };
  if (session.opts.defaultDataset && parts.length === 1) return { ds: session.opts.defaultDataset, t: parts[0] };
  throw invalidQuery(`Table "${parts.join('.')}" must be qualified with a dataset (e.g. dataset.table).`);
}

export async function runDdl(session: Session, sql: string, type: StatementType): Promise<StatementResult> {
  try {
    switch (type) {
      case 'CREATE_SCHEMA':
        return await createSchema(session, sql);
      case 'DROP_SCHEMA':
        return await dropSchema(session, sql);
      case 'CREATE_TABLE':
      case 'CREATE_TABLE_AS_SELECT':
      case 'CREATE_SNAPSHOT_TABLE':
        return await createTable(session, sql, type);
      case 'CREATE_VIEW':
      case 'CREATE_MATERIALIZED_VIEW':
        return await createView(session, sql, type);
      case 'DROP_TABLE':
      case 'DROP_VIEW':
      case 'DROP_MATERIALIZED_VIEW':
      case 'DROP_SNAPSHOT_TABLE':
        return await dropObject(session, sql, type);
      case 'ALTER_TABLE':
        return await alterTable(session, sql);
      default:
        throw invalidQuery(`Unsupported statement: ${type} is not supported by the local emulator`);
    }
  } catch (e) {
    throw fromDuckDb(e);
  }
}

async function createSchema(session: Session, sql: string): Promise<StatementResult> {
  const toks = significant(tokenize(sql));
  let i = 2;
  const ifNotExists = toks[i]?.value === 'if';
  if (ifNotExists) i += 3;
  const { parts, next } = readPath(toks, i);
  const ds = parts[parts.length - 1];
  validateDatasetId(ds);
  const engine = session.engine;
  if (await engine.datasetExists(ds)) {
    if (ifNotExists) return empty('CREATE_SCHEMA');
    throw new BigQueryError(409, 'duplicate', `Already Exists: Dataset ${engine.projectId}:${ds}`);
  }
  let options: Record<string, string> = {};
  if (toks[next]?.value === 'options') options = parseOptions(toks.slice(next + 2, closing(toks, next + 1)));
  const conn = await session.connection();
  await conn.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(ds)}`);
  const now = Date.now();
  await engine.meta((c) =>
    c.putDataset({
      datasetId: ds,
      projectId: parts.length > 1 ? parts[0] : engine.projectId,
      location: options.location ?? 'US',
      description: options.description,
      creationTime: now,
      lastModifiedTime: now,
    }),
  );
  return empty('CREATE_SCHEMA');
}

async function dropSchema(session: Session, sql: string): Promise<StatementResult> {
  const toks = significant(tokenize(sql));
  let i = 2;
  const ifExists = toks[i]?.value === 'if';
  if (ifExists) i += 2;
  const { parts, next } = readPath(toks, i);
  const ds = parts[parts.length - 1];
  const cascade = toks[next]?.value === 'cascade';
  const engine = session.engine;
  if (!(await engine.datasetExists(ds))) {
    if (ifExists) return empty('DROP_SCHEMA');
    throw notFound(`Dataset ${engine.projectId}:${ds}`);
  }
  if (!cascade && (await engine.listTables(ds)).length) {
    throw invalidQuery(`Cannot drop non-empty schema ${ds} without CASCADE`);
  }
  await dropDataset(session, ds);
  return empty('DROP_SCHEMA');
}

export async function dropDataset(session: Session, ds: string): Promise<void> {
  const conn = await session.connection();
  const engine = session.engine;
  const tables = await engine.listTables(ds);
  const release = await engine.tableLocks.lockAll(tables.map((t) => tableKey(ds, t.tableId)));
  try {
    await conn.run(`DROP SCHEMA IF EXISTS ${quoteIdent(ds)} CASCADE`);
    engine.sessionConnections.datasetDropped();
    await engine.commitMutex.run(async () => engine.markChanged(tables.map((t) => tableKey(ds, t.tableId))));
    await engine.meta((c) => c.deleteDataset(ds));
  } finally {
    release();
  }
}

export function validateDatasetId(ds: string): void {
  if (!/^[A-Za-z0-9_]{1,1024}$/.test(ds)) {
    throw new BigQueryError(400, 'invalid', `Invalid dataset ID "${ds}". Dataset IDs must be alphanumeric (plus underscores) and must be at most 1024 characters long.`);
  }
}

async function requireDataset(session: Session, ds: string): Promise<void> {
  if (!(await session.engine.datasetExists(ds))) {
    throw notFound(`Dataset ${session.engine.projectId}:${ds} was not found in location US`);
  }
}

async function createTable(session: Session, sql: string, type: StatementType): Promise<StatementResult> {
  const def = parseCreateTable(sql);
  const repeated = def.asQuery && !def.columns ? repeatedSelectName(def.asQuery) : undefined;
  if (repeated) throw invalidQuery(`CREATE TABLE has columns with duplicate name ${repeated}`);
  const engine = session.engine;
  const conn = await session.connection();
  if (def.temp) {
    const name = quoteIdent(def.target[def.target.length - 1]);
    const verb = `CREATE ${def.orReplace ? 'OR REPLACE ' : ''}TEMP TABLE ${def.ifNotExists ? 'IF NOT EXISTS ' : ''}${name}`;
    if (def.asQuery) await conn.run(`${verb} AS ${session.translate(await session.resolveSetOperations(def.asQuery))}`);
    else await conn.run(`${verb} (${columnsSql(def.columns ?? [])})`);
    return empty(type);
  }
  const { ds, t } = splitTarget(session, def.target);
  await requireDataset(session, ds);
  const key = tableKey(ds, t);
  const release = await engine.tableLocks.lockAll([key]);
  try {
    const existing = await engine.objectType(ds, t);
    if (existing && def.ifNotExists) return empty(type, ds, t, 'SKIP');
    if (existing && !def.orReplace) throw new BigQueryError(409, 'duplicate', `Already Exists: Table ${engine.projectId}:${key}`);
    if (existing === 'VIEW') throw invalidQuery(`Cannot replace a view with a table: ${engine.projectId}:${key}`);
    engine.limits.recordUpdate(key, 'metadata', { created: !existing });
    const target = `${quoteIdent(ds)}.${quoteIdent(t)}`;
    const now = Date.now();
    if (existing) await engine.keepVersion(ds, t, now);
    const verb = `CREATE ${existing ? 'OR REPLACE ' : ''}TABLE ${target}`;
    let srcMeta: TableMeta | undefined;
    if (def.source) {
      const src = splitTarget(session, def.source.path);
      const at = def.source.forSystemTime ? await session.evalMillis(def.source.forSystemTime) : undefined;
      const found = at !== undefined ? await engine.tableAt(src.ds, src.t, at) : undefined;
      if (!found && (await engine.objectType(src.ds, src.t)) !== 'TABLE') throw notFound(`Table ${engine.projectId}:${tableKey(src.ds, src.t)}`);
      srcMeta = found ? found.meta : engine.catalog.table(src.ds, src.t);
      const from = found ? `${quoteIdent(found.schema)}.${quoteIdent(found.table)}` : `${quoteIdent(src.ds)}.${quoteIdent(src.t)}`;
      // LIKE ... AS query: the LIKE table's schema, the query's rows (data-definition-language#create_table_like).
      const likeQuery = def.asQuery && (await likeTableQuery(conn, session, from, def.asQuery));
      await conn.run(def.source.kind === 'like' ? `${verb} AS SELECT * FROM ${from} LIMIT 0` : `${verb} AS SELECT * FROM ${from}`);
      if (likeQuery) {
        await conn.run(`INSERT INTO ${target} ${likeQuery}`);
        await conn.run(`DROP TABLE temp.${LIKE_ROWS}`);
      }
    } else if (def.columns && def.asQuery) {
      const query = session.translate(await session.resolveSetOperations(await session.applySystemTime(def.asQuery)));
      await conn.run(`${verb} (${columnsSql(def.columns)})`);
      await conn.run(`INSERT INTO ${target} SELECT * FROM (${query})`);
    } else if (def.columns) {
      await conn.run(`${verb} (${columnsSql(def.columns)})`);
    } else {
      await conn.run(`${verb} AS ${session.translate(await session.resolveSetOperations(await session.applySystemTime(def.asQuery!)))}`);
    }
    await emptyNullArrays(conn, target);
    const expirationTime = def.options.expiration_timestamp !== undefined ? await optionMillis(session, def.options.expiration_timestamp) : undefined;
    const meta: TableMeta = {
      datasetId: ds,
      tableId: t,
      type: def.snapshot ? 'SNAPSHOT' : def.source?.kind === 'clone' ? 'CLONE' : 'TABLE',
      description: def.options.description ?? srcMeta?.description,
      friendlyName: def.options.friendly_name,
      ...(expirationTime !== undefined && expirationTime !== null ? { expirationTime } : {}),
      labels: parseLabels(def.options.labels),
      timePartitioning: partitionExpiration(def.partitionBy ? partitioningFrom(def.partitionBy) : srcMeta?.timePartitioning, def.options.partition_expiration_days),
      clustering: def.clusterBy ? { fields: def.clusterBy } : srcMeta?.clustering,
      fieldDescriptions: def.columns ? Object.fromEntries(def.columns.filter((c) => c.description).map((c) => [c.name, c.description!])) : srcMeta?.fieldDescriptions,
      primaryKey: def.primaryKey,
      creationTime: now,
      lastModifiedTime: now,
    };
    await engine.commitMutex.run(async () => engine.markChanged([key]));
    await engine.meta((c) => c.putTable(meta));
    return empty(type, ds, t, existing ? 'REPLACE' : 'CREATE');
  } finally {
    release();
  }
}

function columnsSql(cols: Array<{ name: string; duckType: string; notNull: boolean }>): string {
  return cols.map((c) => `${quoteIdent(c.name)} ${c.duckType}${c.notNull ? ' NOT NULL' : ''}`).join(', ');
}

function parseLabels(text: string | undefined): Record<string, string> | undefined {
  if (!text) return undefined;
  const out: Record<string, string> = {};
  const re = /\(\s*["']([^"']*)["']\s*,\s*["']([^"']*)["']\s*\)/g;
  for (let m; (m = re.exec(text));) out[m[1]] = m[2];
  return out;
}

async function createView(session: Session, sql: string, type: StatementType): Promise<StatementResult> {
  const def = parseCreateView(sql);
  const engine = session.engine;
  const { ds, t } = splitTarget(session, def.target);
  await requireDataset(session, ds);
  const key = tableKey(ds, t);
  const conn = await session.connection();
  const release = await engine.tableLocks.lockAll([key]);
  try {
    const existing = await engine.objectType(ds, t);
    if (existing && def.ifNotExists) return empty(type, ds, t, 'SKIP');
    if (existing && !def.orReplace) throw new BigQueryError(409, 'duplicate', `Already Exists: Table ${engine.projectId}:${key}`);
    if (existing === 'TABLE') throw invalidQuery(`Cannot replace a table with a view: ${engine.projectId}:${key}`);
    engine.limits.recordUpdate(key, 'metadata', { created: !existing });
    const query = session.translate(await session.resolveSetOperations(def.query));
    let columnList = '';
    if (def.columns) {
      // "The number of columns in the column name list must match the number of columns in the underlying SQL query"
      // (DuckDB renames as many as are listed).
      const count = (await conn.runAndReadAll(`SELECT * FROM (${query}) LIMIT 0`)).columnCount;
      if (count !== def.columns.length) throw invalidQuery(`The view column name list has ${def.columns.length} columns, but the query has ${count}`);
      columnList = ` (${def.columns.map(quoteIdent).join(', ')})`;
    }
    await conn.run(`CREATE ${existing ? 'OR REPLACE ' : ''}VIEW ${quoteIdent(ds)}.${quoteIdent(t)}${columnList} AS ${query}`);
    const now = Date.now();
    const prev = engine.catalog.table(ds, t);
    await engine.meta((c) =>
      c.putTable({
        datasetId: ds,
        tableId: t,
        type: def.materialized ? 'MATERIALIZED_VIEW' : 'VIEW',
        viewQuery: def.query,
        description: def.options.description,
        labels: parseLabels(def.options.labels),
        fieldDescriptions: prev?.fieldDescriptions,
        creationTime: prev?.creationTime ?? now,
        lastModifiedTime: now,
      }),
    );
    await engine.commitMutex.run(async () => engine.markChanged([key]));
    return empty(type, ds, t, existing ? 'REPLACE' : 'CREATE');
  } finally {
    release();
  }
}

async function dropObject(session: Session, sql: string, type: StatementType): Promise<StatementResult> {
  const toks = significant(tokenize(sql));
  let i = 1;
  while (['materialized', 'snapshot', 'table', 'view', 'external'].includes(toks[i]?.value)) i++;
  const ifExists = toks[i]?.value === 'if';
  if (ifExists) i += 2;
  const { parts } = readPath(toks, i);
  const conn = await session.connection();
  // An unqualified name (or _SESSION.name) is the session's temporary table where there is one: it hides a table of
  // the default dataset (multi-statement-queries#qualify_temporary_tables); that table was dropped instead.
  const sessionName = parts.length === 2 && parts[0].toLowerCase() === '_session' ? parts[1] : parts.length === 1 ? parts[0] : undefined;
  if (type === 'DROP_TABLE' && sessionName !== undefined && (parts.length === 2 || !session.opts.defaultDataset || (await isTempTable(conn, sessionName)))) {
    await conn.run(`DROP TABLE ${ifExists ? 'IF EXISTS ' : ''}temp.${quoteIdent(sessionName)}`);
    return empty(type);
  }
  const { ds, t } = splitTarget(session, parts);
  const engine = session.engine;
  const key = tableKey(ds, t);
  const release = await engine.tableLocks.lockAll([key]);
  try {
    const existing = await engine.objectType(ds, t);
    const wantView = type === 'DROP_VIEW' || type === 'DROP_MATERIALIZED_VIEW';
    if (!existing) {
      if (ifExists) return empty(type);
      throw notFound(`${wantView ? 'View' : 'Table'} ${engine.projectId}:${key}`);
    }
    if (wantView !== (existing === 'VIEW')) {
      throw invalidQuery(`${engine.projectId}:${key} is a ${existing === 'VIEW' ? 'view' : 'table'}; use DROP ${existing === 'VIEW' ? 'VIEW' : 'TABLE'}`);
    }
    if (existing === 'TABLE') await engine.keepVersion(ds, t, Date.now(), true);
    await conn.run(`DROP ${existing} ${quoteIdent(ds)}.${quoteIdent(t)}`);
    await engine.commitMutex.run(async () => engine.markChanged([key]));
    await engine.meta((c) => c.deleteTable(ds, t));
    return empty(type, ds, t, 'DROP');
  } finally {
    release();
  }
}

async function alterTable(session: Session, sql: string): Promise<StatementResult> {
  const toks = significant(tokenize(sql));
  let i = 2;
  const ifExists = toks[i]?.value === 'if';
  if (ifExists) i += 2;
  const { parts, next } = readPath(toks, i);
  const { ds, t } = splitTarget(session, parts);
  const engine = session.engine;
  const key = tableKey(ds, t);
  const conn = await session.connection();
  const release = await engine.tableLocks.lockAll([key]);
  try {
    const existing = await engine.objectType(ds, t);
    if (!existing) {
      if (ifExists) return empty('ALTER_TABLE');
      throw notFound(`Table ${engine.projectId}:${key}`);
    }
    engine.limits.recordUpdate(key, 'metadata');
    const meta = engine.catalog.table(ds, t) ?? { datasetId: ds, tableId: t, type: 'TABLE' as const, creationTime: Date.now(), lastModifiedTime: Date.now() };
    const w = toks[next]?.value;
    const target = `${quoteIdent(ds)}.${quoteIdent(t)}`;
    if (w === 'rename' && toks[next + 1]?.value === 'to') {
      const newName = readPath(toks, next + 2).parts;
      const nt = newName[newName.length - 1];
      if (await engine.objectType(ds, nt)) throw new BigQueryError(409, 'duplicate', `Already Exists: Table ${engine.projectId}:${ds}.${nt}`);
      if (meta.primaryKey?.length) throw invalidQuery('Tables with primary key constraints cannot be renamed');
      const now = Date.now();
      await engine.keepVersion(ds, t, now, true);
      await conn.run(`ALTER TABLE ${target} RENAME TO ${quoteIdent(nt)}`);
      await engine.commitMutex.run(async () => engine.markChanged([key, tableKey(ds, nt)]));
      await engine.meta(async (c) => {
        await c.deleteTable(ds, t);
        await c.putTable({ ...meta, tableId: nt, creationTime: now, lastModifiedTime: now });
      });
      return empty('ALTER_TABLE', ds, nt, 'ALTER');
    }
    if (w === 'set' && toks[next + 1]?.value === 'options') {
      const opts = parseOptions(toks.slice(next + 3, closing(toks, next + 2)));
      const expiration = opts.expiration_timestamp !== undefined ? await optionMillis(session, opts.expiration_timestamp) : undefined;
      const next_: TableMeta = {
        ...meta,
        ...(opts.description !== undefined ? { description: nullable(opts.description) } : {}),
        ...(opts.friendly_name !== undefined ? { friendlyName: nullable(opts.friendly_name) } : {}),
        ...(opts.labels !== undefined ? { labels: parseLabels(opts.labels) } : {}),
        ...(opts.partition_expiration_days !== undefined ? { timePartitioning: partitionExpiration(meta.timePartitioning, opts.partition_expiration_days) } : {}),
        lastModifiedTime: meta.lastModifiedTime,
      };
      if (expiration === null) delete next_.expirationTime;
      else if (expiration !== undefined) next_.expirationTime = expiration;
      // An expiration in the past drops the table before the next request (http.ts runs expireTables first).
      await engine.meta((c) => c.putTable(next_));
      return empty('ALTER_TABLE', ds, t, 'ALTER');
    }
    if ((w === 'add' || w === 'drop') && meta.type === 'SNAPSHOT') throw snapshotReadOnly(engine.projectId, key);
    if (w === 'add' || w === 'drop') {
      // ALTER TABLE t ADD COLUMN [IF NOT EXISTS] c TYPE, ADD COLUMN ... / DROP COLUMN [IF EXISTS] c
      const clauses = sql.slice(toks[next].start).split(/,(?![^<(]*[>)])/);
      const now = Date.now();
      await engine.keepVersion(ds, t, now);
      // One statement, all or nothing: a failing clause leaves the earlier ones undone (ADD COLUMN a, ADD COLUMN x when x
      // exists "fails"). New ARRAY columns are empty arrays in the existing rows (data-definition-language#details_21).
      await conn.run('BEGIN TRANSACTION');
      try {
        await alterColumns(conn, target, clauses);
        await emptyNullArrays(conn, target);
        await conn.run('COMMIT');
      } catch (e) {
        await conn.run('ROLLBACK').catch(() => undefined);
        throw e;
      }
      await engine.commitMutex.run(async () => engine.markChanged([key]));
      await engine.meta((c) => c.putTable({ ...meta, lastModifiedTime: now }));
      return empty('ALTER_TABLE', ds, t, 'ALTER');
    }
    throw invalidQuery(`Unsupported ALTER TABLE form: ${sql.trim().slice(0, 80)}`);
  } finally {
    release();
  }
}

/** ALTER TABLE's ADD COLUMN [IF NOT EXISTS] c TYPE and DROP COLUMN [IF EXISTS] c clauses, in order. */
async function alterColumns(conn: DuckDBConnection, target: string, clauses: string[]): Promise<void> {
  for (const clause of clauses) {
    const m = /^\s*(add|drop)\s+column\s+(if\s+(not\s+)?exists\s+)?`?([A-Za-z_][A-Za-z0-9_]*)`?\s*(.*)$/is.exec(clause);
    if (!m) throw invalidQuery(`Unsupported ALTER TABLE clause: ${clause.trim()}`);
    const col = quoteIdent(m[4]);
    if (m[1].toLowerCase() === 'add') {
      const typeText = m[5].replace(/\boptions\s*\(.*\)\s*$/is, '').trim();
      if (/\bdefault\b/i.test(typeText)) throw notSupported(`The DEFAULT value of column ${m[4]}`);
      await conn.run(`ALTER TABLE ${target} ADD COLUMN ${m[2] ? 'IF NOT EXISTS ' : ''}${col} ${bigQueryTypeToDuck(typeText)}`);
    } else {
      await conn.run(`ALTER TABLE ${target} DROP COLUMN ${m[2] ? 'IF EXISTS ' : ''}${col}`);
    }
  }
}

export function snapshotReadOnly(projectId: string, key: string): BigQueryError {
  return invalidQuery(`Table ${projectId}:${key} is a table snapshot, which is read-only: restore it to a standard table (CREATE TABLE ... CLONE) to change its data or schema`);
}

const nullable = (v: string) => (/^null$/i.test(v.trim()) ? undefined : v);

/** An OPTIONS timestamp (expiration_timestamp) as epoch ms; null for NULL (no expiration). */
async function optionMillis(session: Session, value: string): Promise<number | null> {
  const v = value.trim();
  if (/^null$/i.test(v)) return null;
  // parseOptions unquotes a lone string literal: quote it back.
  const expr = /^\d{4}-\d{2}-\d{2}/.test(v) ? `TIMESTAMP '${v.replace(/'/g, "\\'")}'` : v;
  return session.evalMillis(expr);
}

/** timePartitioning with partition_expiration_days applied (NULL or absent: unchanged / removed). */
function partitionExpiration(tp: TableMeta['timePartitioning'], days: string | undefined): TableMeta['timePartitioning'] {
  if (!tp || days === undefined) return tp;
  if (/^null$/i.test(days.trim())) {
    const { expirationMs: _drop, ...rest } = tp;
    return rest;
  }
  const n = Number(days);
  if (!Number.isFinite(n) || n <= 0) throw invalidQuery(`partition_expiration_days must be a positive number, got ${days}`);
  return { ...tp, expirationMs: String(Math.round(n * 24 * 60 * 60 * 1000)) };
}
