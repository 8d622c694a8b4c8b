/**
 * `npm run emulator`: the local BigQuery in the foreground on 127.0.0.1, state in a DuckDB file.
 * Prints the environment that points clients (Node client, dataform, bq) at it.
 */
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { startBigQueryEmulator, DEFAULT_PROJECT } from '@gradeguard/bigquery-emulator';
import { repoRoot } from '../src/warehouse/dataform-cli.ts';

const usage = `Usage: npm run emulator -- [--port 9050] [--file .local/bigquery.duckdb | --memory] [--project ${DEFAULT_PROJECT}] [--time-travel-hours 168] [--gcs-dir .local/gcs] [--json]

Runs a BigQuery REST v2 emulator backed by DuckDB on 127.0.0.1 until interrupted.
  --port N        port to listen on (0 = any free port; default 9050)
  --file PATH     DuckDB file holding the state (default .local/bigquery.duckdb)
  --memory        keep state in memory only
  --project ID    project id reported by the API (default ${DEFAULT_PROJECT})
  --time-travel-hours N  how far back FOR SYSTEM_TIME AS OF / table@ms restores reach (default 168 = 7 days; 0 = off)
  --gcs-dir PATH   local folder standing in for Cloud Storage: gs://bucket/object is PATH/bucket/object (default .local/gcs)
  --json          print the connection details as one JSON line
`;

let args;
try {
  args = parseArgs({
    options: {
      port: { type: 'string', default: '9050' },
      file: { type: 'string' },
      memory: { type: 'boolean', default: false },
      project: { type: 'string', default: DEFAULT_PROJECT },
      json: { type: 'boolean', default: false },
      'time-travel-hours': { type: 'string', default: '168' },
      'gcs-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  }).values;
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n\n${usage}`);
  process.exit(2);
}
if (args.help) {
  process.stdout.write(usage);
  process.exit(0);
}
const port = Number(args.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`Invalid --port ${args.port}: expected an integer from 0 to 65535\n`);
  process.exit(2);
}
if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(args.project!)) {
  process.stderr.write(`Invalid --project ${args.project}: expected a Google Cloud project id (6-30 lower-case letters, digits, hyphens)\n`);
  process.exit(2);
}
const timeTravelHours = Number(args['time-travel-hours']);
if (!Number.isFinite(timeTravelHours) || timeTravelHours < 0 || timeTravelHours > 24 * 365) {
  process.stderr.write(`Invalid --time-travel-hours ${args['time-travel-hours']}: expected a number of hours from 0 to 8760\n`);
  process.exit(2);
}
const file = args.memory ? ':memory:' : (args.file ?? join(repoRoot, '.local', 'bigquery.duckdb'));

try {
  const emu = await startBigQueryEmulator({ port, file, projectId: args.project, timeTravel: { windowMs: timeTravelHours * 3_600_000 }, gcsDir: args['gcs-dir'] ?? join(repoRoot, '.local', 'gcs') });
  const env = {
    BIGQUERY_EMULATOR_HOST: emu.url,
    GOOGLE_CLOUD_PROJECT: emu.projectId,
    METADATA_SERVER_DETECTION: 'none',
  };
  const bqAlias = writeBqCredentials(emu.url, emu.projectId);
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

/**
 * `bq` insists on credentials even with --api: gcloud accepts an access token from a file
 * (CLOUDSDK_AUTH_ACCESS_TOKEN_FILE), and an empty CLOUDSDK_CONFIG keeps real accounts out. The emulator ignores
 * the token; nothing here can reach Google.
 */
function writeBqCredentials(url: string, projectId: string): string {
  const dir = join(repoRoot, '.local', 'bq');
  mkdirSync(join(dir, 'gcloud'), { recursive: true });
  writeFileSync(join(dir, 'token'), 'gradeguard-local-emulator-token\n');
  return `alias bq='CLOUDSDK_CONFIG=${join(dir, 'gcloud')} CLOUDSDK_AUTH_ACCESS_TOKEN_FILE=${join(dir, 'token')} CLOUDSDK_CORE_DISABLE_PROMPTS=1 bq --api=${url} --project_id=${projectId}'`;
}
