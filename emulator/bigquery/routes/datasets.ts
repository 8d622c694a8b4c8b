import { noContent, type Router } from '../http.ts';
import type { Engine } from '../engine.ts';
import { Session } from '../session.ts';
import { dropDataset, validateDatasetId } from '../ddl-runner.ts';
import { BigQueryError, invalid, notFound } from '../errors.ts';
import { datasetResource } from './resources.ts';
import { quoteIdent } from '../engine.ts';

export function datasetRoutes(router: Router, engine: Engine) {
  const require = async (p: string, d: string) => {
    if (!(await engine.datasetExists(d))) throw notFound(`Dataset ${p}:${d}`);
  };
  router
    .on('GET', '/projects/:p/datasets', async ({ params, query }) => {
      const all = (await listSchemas(engine)).map((d) => ({ ...datasetResource(engine, params.p, d), kind: 'bigquery#dataset' }));
      const max = Number(query.get('maxResults') ?? 1000);
      const start = Number(query.get('pageToken') ?? 0);
      const page = all.slice(start, start + max);
      return { kind: 'bigquery#datasetList', etag: '0', datasets: page, ...(start + max < all.length ? { nextPageToken: String(start + max) } : {}) };
    })
    .on('POST', '/projects/:p/datasets', async ({ params, body }) => {
      const ref = body?.datasetReference;
      if (!ref?.datasetId) throw invalid('Required parameter is missing: datasetReference.datasetId');
      validateDatasetId(ref.datasetId);
      if (await engine.datasetExists(ref.datasetId)) throw new BigQueryError(409, 'duplicate', `Already Exists: Dataset ${params.p}:${ref.datasetId}`);
      const conn = await engine.connect();
      try {
        await conn.run(`CREATE SCHEMA ${quoteIdent(ref.datasetId)}`);
      } finally {
        conn.closeSync();
      }
      const now = Date.now();
      await engine.meta((c) =>
        c.putDataset({
          datasetId: ref.datasetId,
          projectId: params.p,
          location: body.location ?? 'US',
          description: body.description,
          labels: body.labels,
          creationTime: now,
          lastModifiedTime: now,
        }),
      );
      return datasetResource(engine, params.p, ref.datasetId);
    })
    .on('GET', '/projects/:p/datasets/:d', async ({ params }) => {
      await require(params.p, params.d);
      return datasetResource(engine, params.p, params.d);
    })
    .on('PATCH', '/projects/:p/datasets/:d', async ({ params, body }) => patch(params.p, params.d, body))
    .on('PUT', '/projects/:p/datasets/:d', async ({ params, body }) => patch(params.p, params.d, body))
    .on('DELETE', '/projects/:p/datasets/:d', async ({ params, query }) => {
      await require(params.p, params.d);
      if (query.get('deleteContents') !== 'true' && (await engine.listTables(params.d)).length) {
        throw new BigQueryError(400, 'invalid' as const, `Dataset ${params.p}:${params.d} is still in use`);
      }
      const session = new Session(engine);
      try {
        await dropDataset(session, params.d);
      } finally {
        await session.close();
      }
      return noContent();
    });

  async function patch(p: string, d: string, body: any) {
    await require(p, d);
    const meta = engine.catalog.dataset(d) ?? { datasetId: d, projectId: p, location: 'US', creationTime: Date.now(), lastModifiedTime: Date.now() };
    await engine.meta((c) =>
      c.putDataset({
        ...meta,
        ...(body?.description !== undefined ? { description: body.description } : {}),
        ...(body?.labels !== undefined ? { labels: body.labels } : {}),
        lastModifiedTime: Date.now(),
      }),
    );
    return datasetResource(engine, p, d);
  }
}

async function listSchemas(engine: Engine): Promise<string[]> {
  const conn = await engine.connect();
  try {
    const r = await conn.runAndReadAll(
      "SELECT schema_name FROM duckdb_schemas() WHERE database_name = current_database() AND NOT internal AND schema_name NOT IN ('main', '__gg_meta', '__gg_tt', 'information_schema', 'pg_catalog') ORDER BY 1",
    );
    return r.getRows().map((row) => String(row[0]));
  } finally {
    conn.closeSync();
  }
}
