#!/usr/bin/env node
/**
 * `gradeguard <command> [flags]`: one entry point for the commands in scripts/ (the package's `bin`). Only the chosen
 * command's module is loaded, by a dynamic import, so `gradeguard --help` loads nothing else and `gradeguard grade
 * --help` loads what `npm run grade -- --help` loads: no emulator, DuckDB or polyglot (test/warehouse/module-graph.test.ts).
 * Each script parses `process.argv.slice(2)` itself; the command name is taken out of argv before it is loaded.
 */
import { viaDispatcher } from '../src/cli/invocation.ts';

interface Subcommand {
  summary: string;
  load: () => Promise<unknown>;
  /** Built on tools/ (local only): the production build leaves it out (deploy/build.mjs --production). */
  localTool?: boolean;
}

// Literal specifiers: tsc rewrites them to .js in the build, and the type checker sees every script.
const SUBCOMMANDS: Record<string, Subcommand> = {
  deploy: { summary: 'the views and pipeline tables, once (idempotent, no lock): the runs read them and never replace them', load: () => import('./deploy.ts') },
  grade: { summary: 'grade dates under their locks: one fenced atomic dataform run per batch of dates', load: () => import('./grade.ts') },
  consolidate: { summary: "the predictions MERGE of each date under the date's consolidation lock", load: () => import('./consolidate.ts') },
  check: { summary: 'duplicate keys, duplication trend and ungraded predictions over the last days', load: () => import('./check.ts') },
  locks: { summary: 'list, stuck, release of locks; circuit breakers', load: () => import('./locks.ts') },
  monitor: { summary: 'one pass or --watch: stuck locks, open circuits, the daily check', load: () => import('./monitor.ts') },
  remediate: { summary: "remove a date's few duplicates atomically under the grading lock", load: () => import('./remediate.ts') },
  cleanup: { summary: 'the one-time plan / run / resume / restore / status: backup, dedupe, verify, swap', load: () => import('./cleanup.ts') },
  start: { summary: 'the incident, the cleanup and the fix end to end on the local stack, with a report', load: () => import('./start.ts'), localTool: true },
  chaos: { summary: 'randomised fault rounds on the local stack with invariant checks', load: () => import('./chaos.ts'), localTool: true },
  emulator: { summary: 'the local BigQuery emulator (DuckDB) in the foreground on 127.0.0.1', load: () => import('./emulator.ts') },
  'dataform-api': { summary: 'a local stand-in for the Dataform API, against a running BigQuery emulator', load: () => import('./dataform-api.ts') },
};

const width = Math.max(...Object.keys(SUBCOMMANDS).map((name) => name.length));
const help = `Usage: gradeguard <command> [flags]      gradeguard <command> --help for a command's flags

Commands:
${Object.entries(SUBCOMMANDS)
  .map(([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`)
  .join('\n')}

Exit codes, the same for every command: 0 success, 1 failed, 2 bad input, 3 duplicates or an assertion failed,
4 lock not acquired (check adds 5-8: see gradeguard check --help).
`;

const [name, ...rest] = process.argv.slice(2);
if (name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
  process.stdout.write(help);
  process.exit(0);
}
// `gradeguard help grade` is `gradeguard grade --help`.
const [chosen, args] = name === 'help' ? [rest[0], ['--help']] : [name, rest];
const command = chosen === undefined ? undefined : Object.hasOwn(SUBCOMMANDS, chosen) ? SUBCOMMANDS[chosen] : undefined;
if (!command) {
  process.stderr.write(`gradeguard: ${chosen === undefined ? 'no command given' : `unknown command ${JSON.stringify(chosen)}`}\n\n${help}`);
  process.exit(2);
}
process.argv.splice(2, process.argv.length - 2, ...args);
viaDispatcher();
try {
  await command.load();
} catch (error) {
  // Only the command's own module missing, not something it imports: that is a broken installation, not a left-out tool.
  const missing = (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(`/scripts/${chosen}.js'`);
  if (!command.localTool || !missing) throw error;
  process.stderr.write(`gradeguard ${chosen}: a local-only tool (tools/), left out of this installation; run it from a clone of the repository: npm run ${chosen}\n`);
  process.exit(1);
}
