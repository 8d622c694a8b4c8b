/**
 * Shared by the execution tests: an in-memory BigQuery emulator per test file, the real `dataform` CLI on the root
 * project against it, and small query helpers. Each file starts its own emulator (files run in parallel workers).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, runDataform, type DataformResult } from '../../src/warehouse/dataform-cli.ts';
import { startLocalBigQuery, type LocalBigQuery } from '../helpers/bigquery.ts';
import type { LimitName } from '@gradeguard/bigquery-emulator';
import { deployLocal } from '../helpers/deploy.ts';
import { deployedSeed } from '../helpers/deployed-seed.ts';

const config = JSON.parse(readFileSync(join(repoRoot, 'dataform.json'), 'utf8'));
/** The project's dataset (sources and outputs) and its assertion dataset, from dataform.json. */
export const DATASET: string = config.defaultSchema;
export const ASSERTION_DATASET: string = config.assertionSchema;

/** `--tags grading reporting`: what a grading runner selects for a date. */
export const GRADING_TAGS = ['--tags', 'grading', 'reporting'];

export interface RunVars {
  game_date?: string;
  /** DATE:TOKEN pairs joined by '+', instead of game_date / lookback_days / lock_token. */
  date_tokens?: string;
  lookback_days?: number;
  run_id: string;
  lock_token?: number;
  operation?: string;
}

/** `--vars=...` of a run (the CLI splits on commas, so every value is comma-free by the vars contract). */
export function varsArg(vars: RunVars): string {
  return `--vars=${Object.entries(vars)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${value}`)
    .join(',')}`;
}

export interface ExecutionStack {
  bq: LocalBigQuery;
  /** `dataform <args>` on the root project against this emulator. */
  dataform(args: string[]): Promise<DataformResult>;
  /** `dataform run . <selection> --vars=...`. */
  run(selection: string[], vars: RunVars): Promise<DataformResult>;
  /** Rows of a query, with DATE/TIMESTAMP values as plain strings (comparable with toEqual). */
  rows<T = Record<string, any>>(sql: string): Promise<T[]>;
  /** `project.dataset.table` name of a table of the project's dataset. */
  table(name: string): string;
}

/**
 * `deploy: false` leaves the emulator empty (no dataset): for the tests of the deploy itself. Otherwise the project is
 * deployed (tables and views; `npm run deploy`), as every real stack is before its first run: a copy of the run's one
 * deploy (test/helpers/deployed-seed.ts), or a deploy of its own outside a vitest run.
 */
export async function startExecutionStack(limitsOff?: LimitName[], options: { deploy?: boolean } = {}): Promise<ExecutionStack> {
  const seed = options.deploy === false ? undefined : deployedSeed();
  const bq = await startLocalBigQuery(':memory:', limitsOff, undefined, seed);
  if (options.deploy !== false && !seed) {
    await deployLocal(bq.client, bq.target).catch(async (error) => {
      await bq.stop();
      throw error;
    });
  }
  const dataform = (args: string[]) => runDataform(args, { projectDir: repoRoot, target: bq.target, timeoutMs: 240_000 });
  return {
    bq,
    dataform,
    run: (selection, vars) => dataform(['run', '.', ...selection, varsArg(vars)]),
    rows: async (sql) => plain(await bq.rows(sql)),
    table: (name) => `\`${DATASET}.${name}\``,
  };
}

/** BigQueryDate/BigQueryTimestamp objects -> their string values. */
function plain<T>(rows: unknown[]): T[] {
  return rows.map((row) =>
    Object.fromEntries(
      Object.entries(row as Record<string, unknown>).map(([key, value]) => [key, value && typeof value === 'object' && !Array.isArray(value) && 'value' in value ? (value as { value: unknown }).value : value]),
    ),
  ) as T[];
}

/** stdout + stderr of a CLI run, for failure messages and matching. */
export const output = (r: DataformResult) => `${r.stdout}\n${r.stderr}`;
