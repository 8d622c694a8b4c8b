/**
 * Failed Dataform assertions: their names come from the CLI's stderr (`Assertion failed:  schema.name`), their rows
 * from the assertion view the CLI left behind (it holds the failing rows, so a responder sees what broke).
 */
import type { BigQuery } from '@google-cloud/bigquery';
import { assertIdentifier, assertProjectId, type WarehouseTarget } from '../warehouse/target.ts';

export interface FailedAssertion {
  name: string;
  /** Rows the assertion view returns now (capped by `sample`). */
  rowCount: number;
  sample: Array<Record<string, unknown>>;
  /** The game_date values of its failing rows, when the view has that column (a run over several dates blames these). */
  dates?: string[];
  /** Set when the view could not be read. */
  error?: string;
}

export async function readFailedAssertions(bigquery: BigQuery, target: WarehouseTarget, names: readonly string[], sample = 5): Promise<FailedAssertion[]> {
  return Promise.all(
    names.map(async (name): Promise<FailedAssertion> => {
      const parts = name.split('.');
      try {
        const [dataset, view] = parts.length >= 2 ? parts.slice(-2) : [target.assertionDataset, parts[0]];
        const ref = `\`${assertProjectId(target.projectId)}.${assertIdentifier('dataset', dataset)}.${assertIdentifier('view', view)}\``;
        const [[count]] = await bigquery.query({ query: `SELECT COUNT(*) AS n FROM ${ref}`, location: target.location });
        const [rows] = await bigquery.query({ query: `SELECT * FROM ${ref} LIMIT ${Math.max(0, Math.floor(sample))}`, location: target.location });
        const dates = await bigquery.query({ query: `SELECT DISTINCT CAST(game_date AS STRING) AS d FROM ${ref}`, location: target.location }).then(
          ([r]) => r.map((x: { d: string | null }) => x.d).filter((d): d is string => d !== null),
          () => undefined,
        );
        return { name, rowCount: Number(count.n), sample: rows.map(plainRow), ...(dates ? { dates } : {}) };
      } catch (error) {
        return { name, rowCount: -1, sample: [], error: (error as Error).message };
      }
    }),
  );
}

function plainRow(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v && typeof v === 'object' && 'value' in (v as object) ? (v as { value: unknown }).value : v]));
}
