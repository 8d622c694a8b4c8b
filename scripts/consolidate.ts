/** `npm run consolidate`: consolidate staged predictions per date under the `consolidation` lock. Logic: src/runner/. */
import { runCommand } from '../src/cli/command.ts';
import { lockedCommandOptions, lockedCommandUsage, runLockedCommand } from '../src/runner/locked-command.ts';

await runCommand({
  name: 'consolidate',
  usage: lockedCommandUsage(
    'consolidate',
    'Consolidates player_prop_predictions_staging into player_prop_predictions for each date under its own\nconsolidation lock (`dataform run --tags consolidation`, one fenced MERGE per date). If duplicate keys remain the\nrun fails (exit 3); staging rows are never deleted, so they stay for investigation.',
  ),
  options: lockedCommandOptions,
  alerts: true,
  run: ({ values, log, webhookUrl }) => runLockedCommand('consolidation', values, log, { webhookUrl }),
});
