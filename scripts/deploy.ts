/** `npm run deploy`: create the pipeline's tables (if missing) and views once, before any run (src/runner/deploy.ts). */
import { duration, runCommand } from '../src/cli/command.ts';
import { deployProject } from '../src/runner/deploy.ts';
import { ExitCode } from '../src/runner/exit-codes.ts';
import { describeExecutor, executorOptions, executorUsage, openExecutor, parseExecutor } from '../src/runner/executors/open-executor.ts';
import { openStack } from '../src/warehouse/stack.ts';
import { parseTargetKind } from '../src/warehouse/target.ts';

await runCommand({
  name: 'deploy',
  usage: `Usage: npm run deploy -- [--target local|bigquery] [--executor cli|dataform-api] [--dataform-timeout DUR] [--json]

Deploys what does not depend on a run's vars: \`dataform run --tags deploy\` creates the pipeline's tables if missing
(never replacing data) and (re)creates its views (the grading rules, the deduplicated views). Runs (grade,
consolidate) never recreate them and refuse to start on a dataset that was never deployed. Run it once per
environment and after every change to a definition tagged deploy; it is idempotent (no lock needed). Locally it also
creates the empty source tables the views read (production's are written upstream and must exist).
  --target local|bigquery  as for grade (default local: BIGQUERY_EMULATOR_HOST or a started emulator)
  --dataform-timeout DUR   bound on the dataform run (default 10m)
  --json                   print one JSON result on stdout
${executorUsage}`,
  options: { target: { type: 'string' }, json: { type: 'boolean' }, 'dataform-timeout': { type: 'string' }, ...executorOptions },
  async run({ values, log }) {
    const kind = parseTargetKind(values.target);
    const choice = parseExecutor(values, kind);
    const timeoutMs = duration('--dataform-timeout', values['dataform-timeout'], 10 * 60_000, { min: 1, max: 3_600_000 });
    const stack = await openStack({ kind, logger: log, needsFirestore: false, dataform: describeExecutor(choice) });
    try {
      const { executor, close } = await openExecutor(choice, stack.target, log);
      try {
        const result = await deployProject({ executor, bigquery: stack.bigquery, target: stack.target, log, timeoutMs });
        if (values.json) process.stdout.write(JSON.stringify(result) + '\n');
        else process.stdout.write(`${result.ok ? 'deployed' : 'deploy FAILED'}: ${result.message} (${(result.durationMs / 1000).toFixed(1)} s, ${result.attempts} attempt${result.attempts === 1 ? '' : 's'})\n`);
        if (!result.ok) log.error('deploy_failed', { event: 'deploy_failed', error: result.message });
        return result.ok ? ExitCode.ok : ExitCode.runFailed;
      } finally {
        await close();
      }
    } finally {
      await stack.close();
    }
  },
});
