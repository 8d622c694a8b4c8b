/**
 * Where a command runs: the local stack (BigQuery emulator + Firestore emulator) or real BigQuery + Firestore.
 * The code path is the same; only the endpoints and the project differ.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BigQuery } from '@google-cloud/bigquery';
import { bigQueryLibrary } from '../cloud/libraries.ts';
import { repoRoot, type DataformTarget } from './dataform-cli.ts';
import { UsageError } from '../runner/exit-codes.ts';
import type { Logger } from '../log/logger.ts';

export type TargetKind = 'local' | 'bigquery';
const TARGET_KINDS: readonly TargetKind[] = ['local', 'bigquery'];

export interface WarehouseTarget extends DataformTarget {
  kind: TargetKind;
  /** The project's dataset (sources, outputs, audit) and its assertion dataset, from dataform.json. */
  dataset: string;
  assertionDataset: string;
  /** FIRESTORE_EMULATOR_HOST value on the local stack; undefined for real Firestore. */
  firestoreHost?: string;
}

interface ProjectConfig {
  defaultDatabase: string;
  defaultSchema: string;
  assertionSchema: string;
  defaultLocation: string;
}

let cachedConfig: ProjectConfig | undefined;

/** dataform.json: the single place that names the datasets. */
export function projectConfig(): ProjectConfig {
  cachedConfig ??= JSON.parse(readFileSync(join(repoRoot, 'dataform.json'), 'utf8')) as ProjectConfig;
  return cachedConfig;
}

/** A target on the local stack: the project's datasets from dataform.json, the emulators' endpoints. */
export function localTarget(input: { projectId: string; emulatorUrl: string; firestoreHost?: string }): WarehouseTarget {
  const config = projectConfig();
  return {
    kind: 'local',
    projectId: assertProjectId(input.projectId),
    location: config.defaultLocation,
    emulatorUrl: input.emulatorUrl,
    firestoreHost: input.firestoreHost,
    dataset: config.defaultSchema,
    assertionDataset: config.assertionSchema,
  };
}

/** The local stack's project: the one dataform.json names (the emulators serve it). */
export function localProjectId(): string {
  return projectConfig().defaultDatabase;
}

/** The variables that make Google's client libraries (and the dataform CLI) talk to an emulator instead of Google. */
const EMULATOR_VARIABLES = ['BIGQUERY_EMULATOR_HOST', 'FIRESTORE_EMULATOR_HOST', 'DATAFORM_EMULATOR_HOST'] as const;

/**
 * A production target with an emulator variable set is bad input: @google-cloud/bigquery and @google-cloud/firestore
 * follow those variables on their own, so the "production" run would grade (and lock on) the emulator.
 */
export function refuseEmulatorVariables(env: NodeJS.ProcessEnv): void {
  for (const name of EMULATOR_VARIABLES) {
    if (env[name]) {
      throw new UsageError(`--target bigquery refuses to run with ${name}=${env[name]} set: Google's client libraries would send this production run to that emulator. Unset ${name} (or use --target local).`);
    }
  }
}

/** The startup line of every command: which BigQuery, Firestore and Dataform it is about to use. */
export function announceTarget(logger: Logger, target: Pick<WarehouseTarget, 'kind' | 'projectId' | 'location' | 'emulatorUrl' | 'firestoreHost'>, uses: { bigquery?: boolean; dataform?: string } = {}): void {
  const bigquery =
    uses.bigquery === false ? 'not used' : target.emulatorUrl ? `project ${target.projectId} on the local emulator ${target.emulatorUrl}` : `project ${target.projectId} in ${target.location} (Google Cloud)`;
  const firestore = target.kind === 'bigquery' ? `project ${target.projectId} (Google Cloud)` : target.firestoreHost ? `emulator ${target.firestoreHost}` : 'not used';
  const dataform = uses.dataform ?? 'not used';
  logger.log('NOTICE', `target ${target.kind}: BigQuery ${bigquery}; Firestore ${firestore}; Dataform ${dataform}`, { event: 'target', target: target.kind, bigquery, firestore, dataform });
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,1023}$/;
const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

/** Dataset and table names go into SQL as identifiers, never as text from users: they must match this pattern. */
export function assertIdentifier(kind: string, name: string): string {
  if (!IDENTIFIER.test(name)) throw new UsageError(`Invalid ${kind} ${JSON.stringify(name)}: expected letters, digits and underscores, not starting with a digit`);
  return name;
}

export function assertProjectId(projectId: string): string {
  if (!PROJECT_ID.test(projectId)) throw new UsageError(`Invalid project id ${JSON.stringify(projectId)}: expected 6-30 lower-case letters, digits and hyphens`);
  return projectId;
}

export function parseTargetKind(value: string | undefined): TargetKind {
  const kind = value ?? process.env.GRADEGUARD_TARGET ?? 'local';
  if (!(TARGET_KINDS as readonly string[]).includes(kind)) throw new UsageError(`Invalid --target ${JSON.stringify(kind)}: expected local or bigquery`);
  return kind as TargetKind;
}

/** `project.dataset.table` in backticks, every part validated. */
export function tableRef(target: Pick<WarehouseTarget, 'projectId' | 'dataset'>, table: string, dataset = target.dataset): string {
  return `\`${assertProjectId(target.projectId)}.${assertIdentifier('dataset', dataset)}.${assertIdentifier('table', table)}\``;
}

/** A BigQuery client for the target: the emulator's endpoint locally, application default credentials otherwise. */
export function bigQueryClient(target: WarehouseTarget): BigQuery {
  if (target.emulatorUrl) {
    process.env.METADATA_SERVER_DETECTION ??= 'none';
    return new (bigQueryLibrary().BigQuery)({ projectId: target.projectId, apiEndpoint: target.emulatorUrl, location: target.location });
  }
  return new (bigQueryLibrary().BigQuery)({ projectId: target.projectId, location: target.location });
}

/** `dataform run` flags that point the project at the target (the project's dataform.json names the local project). */
export function dataformTargetArgs(target: WarehouseTarget): string[] {
  const config = projectConfig();
  const args: string[] = [];
  if (target.projectId !== config.defaultDatabase) args.push(`--default-database=${target.projectId}`);
  if (target.location !== config.defaultLocation) args.push(`--default-location=${target.location}`);
  return args;
}
