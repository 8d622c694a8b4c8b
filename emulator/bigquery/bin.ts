#!/usr/bin/env node
/**
 * `bigquery-emulator [flags]`, the package's bin: the emulator in the foreground, its state under ./.local of the
 * working directory. Plain node runs the built package (build.mjs); in the repository, `npm run emulator`.
 */
import { join } from 'node:path';
import { runEmulatorCli } from './cli.ts';

await runEmulatorCli(process.argv.slice(2), { command: 'bigquery-emulator', stateDir: join(process.cwd(), '.local') });
