/** `npm run grade`: grade dates under the per-date `grading` lock (see docs/running.md). Logic: src/runner/. */
import { runCommand } from '../src/cli/command.ts';
import { lockedCommandOptions, lockedCommandUsage, runLockedCommand } from '../src/runner/locked-command.ts';

await runCommand({
  name: 'grade',
  usage: lockedCommandUsage(
    'grade',
    "Grades each date under its own grading lock: one real `dataform run --tags grading reporting` per date with the\nlease's fencing token, then duplicate-key validation and audit inside the lock. Every run leaves a grading_runs row.",
  ),
  options: lockedCommandOptions,
  alerts: true,
  run: ({ values, log, webhookUrl }) => runLockedCommand('grading', values, log, { webhookUrl }),
});
