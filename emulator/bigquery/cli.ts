/**
 * The emulator as a command (the package's `bigquery-emulator` bin, bin.ts; the toolkit's `npm run emulator`,
 * scripts/emulator.ts): BigQuery on 127.0.0.1 in the foreground until interrupted, printing the environment that points
 * clients (the Node client, dataform, bq) at it. Bad flags: the usage and exit 2.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_PROJECT, startBigQueryEmulator } from './index.ts';
import { DEFAULT_FINISHED_JOBS_KEPT } from './job-history.ts';

export interface EmulatorCliOptions {
  /** How the usage names the command, e.g. `npm run emulator --`. */
  command: string;
  /** Folder of the default DuckDB file (bigquery.duckdb), the stand-in for Cloud Storage (gcs/) and bq's credentials (bq/). */
  stateDir: string;
}

const usageOf = ({
  command,
  stateDir,
}: EmulatorCliOptions) => `Usage: ${command} [--port 9050] [--file ${join(stateDir, 'bigquery.duckdb')} | --memory] [--project ${DEFAULT_PROJECT}] [--time-travel-hours 168] [--gcs-dir ${join(stateDir, 'gcs')}] [--finished-jobs-kept ${DEFAULT_FINISHED_JOBS_KEPT}] [--json]

Runs a BigQuery REST v2 emulator backed by DuckDB on 127.0.0.1 until interrupted.
  --port N        port to listen on (0 = any free port; default 9050)
  --file PATH     DuckDB file holding the state (default ${join(stateDir, 'bigquery.duckdb')})
  --memory        keep state in memory only
  --project ID    project id reported by the API (default ${DEFAULT_PROJECT})
  --time-travel-hours N  how far back FOR SYSTEM_TIME AS OF / table@ms restores reach (default 168 = 7 days; 0 = off)
  --gcs-dir PATH   local folder standing in for Cloud Storage: gs://bucket/object is PATH/bucket/object (default ${join(stateDir, 'gcs')})
  --finished-jobs-kept N  finished jobs that stay readable (jobs.get, jobs.list, results); older ones answer 404 (default ${DEFAULT_FINISHED_JOBS_KEPT})
  --json          print the connection details as one JSON line
`;

function refuse(message: string): never {
  process.stderr.write(message);
  process.exit(2);
}

export async function runEmulatorCli(argv: string[], options: EmulatorCliOptions): Promise<void> {
  const usage = usageOf(options);
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', default: '9050' },
        file: { type: 'string' },
        memory: { type: 'boolean', default: false },
        project: { type: 'string', default: DEFAULT_PROJECT },
        json: { type: 'boolean', default: false },
        'time-travel-hours': { type: 'string', default: '168' },
        'gcs-dir': { type: 'string' },
        'finished-jobs-kept': { type: 'string', default: String(DEFAULT_FINISHED_JOBS_KEPT) },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values;
  } catch (e) {
    refuse(`${(e as Error).message}\n\n${usage}`);
  }
  if (args.help) {
    process.stdout.write(usage);
    process.exit(0);
  }
  const port = Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) refuse(`Invalid --port ${args.port}: expected an integer from 0 to 65535\n`);
  if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(args.project!)) refuse(`Invalid --project ${args.project}: expected a Google Cloud project id (6-30 lower-case letters, digits, hyphens)\n`);
  const timeTravelHours = Number(args['time-travel-hours']);
  if (!Number.isFinite(timeTravelHours) || timeTravelHours < 0 || timeTravelHours > 24 * 365) {
    refuse(`Invalid --time-travel-hours ${args['time-travel-hours']}: expected a number of hours from 0 to 8760\n`);
  }
  const finishedJobsKept = Number(args['finished-jobs-kept']);
  if (!Number.isInteger(finishedJobsKept) || finishedJobsKept < 1) refuse(`Invalid --finished-jobs-kept ${args['finished-jobs-kept']}: expected a positive integer\n`);
  const file = args.memory ? ':memory:' : (args.file ?? join(options.stateDir, 'bigquery.duckdb'));

  try {
    const emu = await startBigQueryEmulator({
      port,
      file,
      projectId: args.project,
      timeTravel: { windowMs: timeTravelHours * 3_600_000 },
      gcsDir: args['gcs-dir'] ?? join(options.stateDir, 'gcs'),
      finishedJobsKept,
    });
    const env = {
      BIGQUERY_EMULATOR_HOST: emu.url,
      GOOGLE_CLOUD_PROJECT: emu.projectId,
      METADATA_SERVER_DETECTION: 'none',
    };
    const bqAlias = writeBqCredentials(join(options.stateDir, 'bq'), emu.url, emu.projectId);
    if (args.json) {
      process.stdout.write(JSON.stringify({ url: emu.url, port: emu.port, projectId: emu.projectId, file, pid: process.pid, env, bqAlias }) + '\n');
    } else {
      process.stdout.write(
        `BigQuery emulator listening on ${emu.url} (state: ${file})\n\nPoint clients at it:\n` +
          Object.entries(env)
            .map(([k, v]) => `  export ${k}=${v}\n`)
            .join('') +
          `\nGoogle's bq tool (offline: a throwaway access token, no gcloud login; see docs/local-stack.md):\n  ${bqAlias}\n` +
          `\nStop with Ctrl-C.\n`,
      );
    }
    const stop = async () => {
      await emu.stop();
      process.exit(0);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (e) {
    process.stderr.write(`Could not start the emulator: ${(e as Error).message}\n`);
    process.exit(1);
  }
}

/**
 * `bq` insists on credentials even with --api: gcloud accepts an access token from a file
 * (CLOUDSDK_AUTH_ACCESS_TOKEN_FILE), and an empty CLOUDSDK_CONFIG keeps real accounts out. The emulator ignores
 * the token; nothing here can reach Google.
 */
function writeBqCredentials(dir: string, url: string, projectId: string): string {
  mkdirSync(join(dir, 'gcloud'), { recursive: true });
  writeFileSync(join(dir, 'token'), 'gradeguard-local-emulator-token\n');
  return `alias bq='CLOUDSDK_CONFIG=${join(dir, 'gcloud')} CLOUDSDK_AUTH_ACCESS_TOKEN_FILE=${join(dir, 'token')} CLOUDSDK_CORE_DISABLE_PROMPTS=1 bq --api=${url} --project_id=${projectId}'`;
}
