/**
 * `npm run emulator` / `gradeguard emulator`: the local BigQuery (the @gradeguard/bigquery-emulator package's command)
 * in the foreground on 127.0.0.1, its state in the repository's .local/.
 */
import { join } from 'node:path';
import { runEmulatorCli } from '@gradeguard/bigquery-emulator/cli';
import { repoRoot } from '../src/warehouse/dataform-cli.ts';

await runEmulatorCli(process.argv.slice(2), { command: 'npm run emulator --', stateDir: join(repoRoot, '.local') });
