import { emptyNullArrays } from '../null-arrays.ts';
import { noContent, type Router } from '../http.ts';
import { quoteIdent, tableKey, type Engine } from '../engine.ts';
import { Session } from '../session.ts';
import { BigQueryError, invalid, notFound } from '../errors.ts';
import { tableResource } from './resources.ts';
import type { FieldSchema } from '../types.ts';
import { fieldToDuck, jsonLiteral } from '../rest-fields.ts';
import { resultRows } from '../jobs.ts';
import { snapshotReadOnly } from '../ddl-runner.ts';

function validateField(f: any) {
  if (!f || typeof f.name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]{0,299}$/.test(f.name)) {
    throw invalid(`Invalid field name "${f?.name}". Fields must contain only letters, numbers, and underscores, start with a letter or underscore, and be at most 300 characters long.`);
  }
  if (f.mode && !['NULLABLE', 'REQUIRED', 'REPEATED'].includes(f.mode)) throw invalid(`Invalid mode ${f.mode} for field ${f.name}`);
}

export function tableRoutes(router: Router, engine: Engine) {
  const requireDataset = async (p: string, d: string) => {
    if (!(await engine.datasetExists(d))) throw notFound(`Dataset ${p}:${d}`);
  };
  const requireTable = async (p: string, d: string, t: string) => {
    await requireDataset(p, d);
    const type = await engine.objectType(d, t);
    if (!type) throw notFound(`Table ${p}:${d}.${t}`);
    return type;
  };

  router
    .on('GET', '/projects/:p/datasets/:d/tables', async ({ params, query }) => {
      await requireDataset(params.p, params.d);
      const all = await engine.listTables(params.d);
      const max = Number(query.get('maxResults') ?? 1000);
      const start = Number(query.get('pageToken') ?? 0);
      const tables = all.slice(start, start + max).map((t) => {
        const meta = engine.catalog.table(params.d, t.tableId);
        return {
          kind: 'bigquery#table',
          id: `${params.p}:${params.d}.${t.tableId}`,
          tableReference: { projectId: params.p, datasetId: params.d, tableId: t.tableId },
          type: meta?.type === 'SNAPSHOT' || meta?.type === 'MATERIALIZED_VIEW' ? meta.type : t.type,
          creationTime: String(meta?.creationTime ?? Date.now()),
          ...(meta?.timePartitioning ? { timePartitioning: meta.timePartitioning } : {}),
          ...(meta?.clustering ? { clustering: meta.clustering } : {}),
        };
      });
      return { kind: 'bigquery#tableList', etag: '0', tables, totalItems: all.length, ...(start + max < all.length ? { nextPageToken: String(start + max) } : {}) };
    })
    .on('POST', '/projects/:p/datasets/:d/tables', async ({ params, body }) => {
      await requireDataset(params.p, params.d);
      const t = body?.tableReference?.tableId;
      if (typeof t !== 'string' || !/^[\p{L}\p{N}_-]{1,1024}$/u.test(t)) throw invalid(`Invalid table ID "${t}".`);
      if (await engine.objectType(params.d, t)) throw new BigQueryError(409, 'duplicate', `Already Exists: Table ${params.p}:${params.d}.${t}`);
      const session = new Session(engine);
      try {
        if (body.view?.query) {
          if (body.view.useLegacySql === true) throw invalid('Legacy SQL views are not supported by the local emulator');
          await session.execute(`CREATE VIEW \`${params.d}.${t}\` AS ${body.view.query}`);
        } else {
          const fields: FieldSchema[] = body.schema?.fields ?? [];
          fields.forEach(validateField);
          const cols = fields.map((f) => `${quoteIdent(f.name)} ${fieldToDuck(f)}${f.mode === 'REQUIRED' ? ' NOT NULL' : ''}`);
          const release = await engine.tableLocks.lockAll([tableKey(params.d, t)]);
          try {
            const conn = await session.connection();
            await conn.run(`CREATE TABLE ${quoteIdent(params.d)}.${quoteIdent(t)} (${cols.length ? cols.join(', ') : '"__gg_no_columns" BOOLEAN'})`);
            await engine.commitMutex.run(async () => engine.markChanged([tableKey(params.d, t)]));
          } finally {
            release();
          }
        }
        const now = Date.now();
        const prev = engine.catalog.table(params.d, t);
        await engine.meta((c) =>
          c.putTable({
            ...(prev ?? {}),
            datasetId: params.d,
            tableId: t,
            type: body.view ? 'VIEW' : 'TABLE',
            viewQuery: body.view?.query ?? prev?.viewQuery,
            description: body.description,
            friendlyName: body.friendlyName,
            labels: body.labels,
            timePartitioning: body.timePartitioning,
            clustering: body.clustering,
            fieldDescriptions: Object.fromEntries((body.schema?.fields ?? []).filter((f: any) => f.description).map((f: any) => [f.name, f.description])),
            expirationTime: body.expirationTime ? Number(body.expirationTime) : undefined,
            creationTime: now,
            lastModifiedTime: now,
          }),
        );
      } finally {
        await session.close();
      }
      return tableResource(engine, params.p, params.d, t, body.view ? 'VIEW' : 'TABLE');
    })
    .on('GET', '/projects/:p/datasets/:d/tables/:t', async ({ params, query }) => {
      const type = await requireTable(params.p, params.d, params.t);
      const resource: any = await tableResource(engine, params.p, params.d, params.t, type);
      // selectedFields narrows the schema returned (bq head --selected_fields reads the schema this way).
      const selected = query
        .get('selectedFields')
        ?.split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean);
      if (selected?.length) resource.schema = { fields: resource.schema.fields.filter((f: FieldSchema) => selected.includes(f.name.toLowerCase())) };
      return resource;
    })
    .on('PATCH', '/projects/:p/datasets/:d/tables/:t', async (req) => patchTable(req.params, req.body))
    .on('PUT', '/projects/:p/datasets/:d/tables/:t', async (req) => patchTable(req.params, req.body))
    .on('DELETE', '/projects/:p/datasets/:d/tables/:t', async ({ params }) => {
      const type = await requireTable(params.p, params.d, params.t);
      const session = new Session(engine);
      try {
        await session.execute(`DROP ${type} \`${params.d}.${params.t}\``);
      } finally {
        await session.close();
      }
      return noContent();
    })
    .on('GET', '/projects/:p/datasets/:d/tables/:t/data', async ({ params, query }) => {
      await requireTable(params.p, params.d, params.t);
      const selected = query
        .get('selectedFields')
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const start = Number(query.get('startIndex') ?? query.get('pageToken') ?? 0);
      const max = Math.min(Number(query.get('maxResults') ?? 100_000), 100_000);
      if (!Number.isInteger(start) || start < 0 || !Number.isInteger(max) || max < 0) throw invalid('startIndex and maxResults must be non-negative integers');
      const conn = await engine.connect();
      try {
        const cols = selected?.length ? selected.map(quoteIdent).join(', ') : '*';
        const from = `${quoteIdent(params.d)}.${quoteIdent(params.t)}`;
        const total = Number((await conn.runAndReadAll(`SELECT count(*) FROM ${from}`)).getRows()[0][0]);
        const r = await conn.runAndReadAll(`SELECT ${cols} FROM ${from} LIMIT ${max} OFFSET ${start}`);
        const result = { names: r.columnNames(), types: r.columnTypes(), rows: r.getRows(), statementType: 'SELECT', bytes: 0 };
        const rows = resultRows(result, 0, max, query.get('formatOptions.useInt64Timestamp') === 'true');
        return { kind: 'bigquery#tableDataList', etag: '0', totalRows: String(total), rows, ...(start + rows.length < total ? { pageToken: String(start + rows.length) } : {}) };
      } catch (e) {
        throw e instanceof BigQueryError ? e : invalid((e as Error).message.split('\n')[0]);
      } finally {
        conn.closeSync();
      }
    })
    .on('POST', '/projects/:p/datasets/:d/tables/:t/insertAll', async ({ params, body }) => {
      const type = await requireTable(params.p, params.d, params.t);
      if (type !== 'TABLE') throw invalid(`Cannot insert into view ${params.p}:${params.d}.${params.t}`);
      if (engine.catalog.table(params.d, params.t)?.type === 'SNAPSHOT') throw snapshotReadOnly(params.p, `${params.d}.${params.t}`);
      const rows: any[] = body?.rows;
      if (!Array.isArray(rows)) throw invalid('insertAll requires a rows list');
      const fields = await engine.tableSchema(params.d, params.t);
      const known = new Set(fields.map((f) => f.name));
      const insertErrors: any[] = [];
      const tuples: string[] = [];
      rows.forEach((row, index) => {
        try {
          const json = row?.json ?? {};
          const unknown = Object.keys(json).filter((k) => !known.has(k));
          if (unknown.length && !body.ignoreUnknownValues) throw invalid(`no such field: ${unknown[0]}.`);
          tuples.push(`(${fields.map((f) => jsonLiteral(f, json[f.name])).join(', ')})`);
        } catch (e) {
          insertErrors.push({ index, errors: [{ reason: 'invalid', location: '', message: (e as Error).message }] });
        }
      });
      if (insertErrors.length && !body.skipInvalidRows) {
        return { kind: 'bigquery#tableDataInsertAllResponse', insertErrors: rows.map((_, index) => insertErrors.find((e) => e.index === index) ?? { index, errors: [{ reason: 'stopped', message: '' }] }) };
      }
      if (tuples.length) {
        const session = new Session(engine);
        try {
          const release = await engine.tableLocks.lockAll([tableKey(params.d, params.t)]);
          try {
            const conn = await session.connection();
            const now = Date.now();
            await engine.keepVersion(params.d, params.t, now);
            await conn.run(`INSERT INTO ${quoteIdent(params.d)}.${quoteIdent(params.t)} VALUES ${tuples.join(', ')}`);
            await emptyNullArrays(conn, `${quoteIdent(params.d)}.${quoteIdent(params.t)}`);
            await engine.commitMutex.run(async () => engine.markChanged([tableKey(params.d, params.t)]));
            await engine.meta((c) => c.touchTable(params.d, params.t, now));
          } finally {
            release();
          }
        } catch (e) {
          throw e instanceof BigQueryError ? e : invalid((e as Error).message.split('\n')[0]);
        } finally {
          await session.close();
        }
      }
      return { kind: 'bigquery#tableDataInsertAllResponse', ...(insertErrors.length ? { insertErrors } : {}) };
    });

  async function patchTable(params: Record<string, string>, body: any) {
    const type = await requireTable(params.p, params.d, params.t);
    engine.limits.recordUpdate(tableKey(params.d, params.t), 'metadata');
    const meta = engine.catalog.table(params.d, params.t) ?? { datasetId: params.d, tableId: params.t, type, creationTime: Date.now(), lastModifiedTime: Date.now() };
    const fieldDescriptions = { ...(meta.fieldDescriptions ?? {}) };
    if (body?.schema?.fields) {
      const current = new Set((await engine.tableSchema(params.d, params.t)).map((f) => f.name));
      for (const f of body.schema.fields as FieldSchema[]) {
        validateField(f);
        if (f.description) fieldDescriptions[f.name] = f.description;
        if (!current.has(f.name)) {
          if (type === 'VIEW') continue;
          const conn = await engine.connect();
          try {
            await conn.run(`ALTER TABLE ${quoteIdent(params.d)}.${quoteIdent(params.t)} ADD COLUMN ${quoteIdent(f.name)} ${fieldToDuck(f)}`);
          } finally {
            conn.closeSync();
          }
        }
      }
    }
    await engine.meta((c) =>
      c.putTable({
        ...meta,
        ...(body?.description !== undefined ? { description: body.description } : {}),
        ...(body?.friendlyName !== undefined ? { friendlyName: body.friendlyName } : {}),
        ...(body?.labels !== undefined ? { labels: body.labels } : {}),
        ...(body?.expirationTime !== undefined ? { expirationTime: Number(body.expirationTime) } : {}),
        fieldDescriptions,
        lastModifiedTime: Date.now(),
      }),
    );
    return tableResource(engine, params.p, params.d, params.t, type);
  }
}
