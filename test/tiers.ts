/**
 * Which tier each test file belongs to (vitest.config.ts makes one vitest project of each):
 *  - unit: our code in the test process only: no emulator, no child process of ours (the offline `dataform compile`
 *    and an in-process HTTP receiver are fine). `npm run test:unit` stays well under 30 s.
 *  - integration: our code in the test process against the emulators (the shared Firestore emulator of the global
 *    setup, test/helpers/shared-emulators.ts, a project id per file; an in-process BigQuery emulator per file) and
 *    external tools (the dataform CLI, the bq CLI).
 *  - e2e: our code in real child processes: the CLI scripts, lock contenders, chaos, the demo story, a browser.
 * A new test file goes in exactly one list. One that is in none still runs (in the e2e project, which assumes
 * nothing), but test/tiers.test.ts fails until it is listed; one listed twice makes the config throw.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

export const TIER_NAMES = ['unit', 'integration', 'e2e'] as const;
export type TierName = (typeof TIER_NAMES)[number];

export const TIERS: Record<TierName, string[]> = {
  unit: [
    'test/alerts/delivery.test.ts',
    'test/alerts/webhook-config.test.ts',
    'test/dataform/graph.test.ts',
    'test/dataform/sql-semantics.test.ts',
    'test/dataform/vars.test.ts',
    'test/dataform/write-sql.test.ts',
    'test/emulator/farm-fingerprint.test.ts',
    'test/emulator/json-edit.test.ts',
    'test/emulator/package-boundary.test.ts',
    'test/layers.test.ts',
    'test/demo/protected-lanes.test.ts',
    'test/remediation/one-fence.test.ts',
    'test/report/html-report.test.ts',
    'test/runner/dataform-outcome.test.ts',
    'test/runner/assertion-datasets.test.ts',
    'test/runner/dates.test.ts',
    'test/tiers.test.ts',
    'test/warehouse/planned-target.test.ts',
  ],
  integration: [
    'test/conformance/conformance.test.ts',
    'test/deploy/export-dataform-project.test.ts',
    'test/dataform/execution-all-ungraded.test.ts',
    'test/dataform/execution-concurrency.test.ts',
    'test/dataform/execution-duplicates.test.ts',
    'test/dataform/execution-empty-warehouse.test.ts',
    'test/dataform/execution-fence.test.ts',
    'test/dataform/execution-grading.test.ts',
    'test/emulator/bq-cli.test.ts',
    'test/emulator/bytes.test.ts',
    'test/emulator/float-to-decimal.test.ts',
    'test/emulator/concurrency.test.ts',
    'test/emulator/dataform-api-cancel.test.ts',
    'test/emulator/dataform-e2e.test.ts',
    'test/emulator/deep-sql.test.ts',
    'test/emulator/job-history.test.ts',
    'test/emulator/load-extract.test.ts',
    'test/emulator/rest-api.test.ts',
    'test/emulator/security.test.ts',
    'test/emulator/seed.test.ts',
    'test/emulator/set-by-name.test.ts',
    'test/emulator/table-limits.test.ts',
    'test/emulator/time-travel.test.ts',
    'test/emulator/time-zone.test.ts',
    'test/emulator/transaction-events.test.ts',
    'test/emulator/session-connections.test.ts',
    'test/emulator/translation-cache.test.ts',
    'test/emulator/macro-expansion.test.ts',
    'test/emulator/range-type.test.ts',
    'test/emulator/safe-calls.test.ts',
    'test/emulator/member-access.test.ts',
    'test/lock/admin.test.ts',
    'test/lock/firestore-unavailable.test.ts',
    'test/lock/lease.test.ts',
    'test/monitor/abandoned-runs.test.ts',
    'test/monitor/release.test.ts',
    'test/runner/circuit-breaker.test.ts',
    'test/runner/locked-run.test.ts',
    'test/warehouse/audit.test.ts',
    'test/warehouse/dataform-tmp.test.ts',
    'test/warehouse/dataform-transform-cache.test.ts',
    'test/warehouse/pipeline-tables.test.ts',
    'test/warehouse/run-events.test.ts',
    'test/zetasql/zetasql.test.ts',
  ],
  e2e: [
    'test/warehouse/dataform-prestart.test.ts',
    'test/alerts/dedupe-firestore.test.ts',
    'test/bench/run-cli.test.ts',
    'test/chaos/chaos.test.ts',
    'test/checks/check-coverage.test.ts',
    'test/checks/check.test.ts',
    'test/cleanup/cleanup-dataform-api.test.ts',
    'test/cleanup/cleanup-crash.test.ts',
    'test/cleanup/cleanup-later-writes.test.ts',
    'test/cleanup/cleanup-refusals.test.ts',
    'test/cleanup/cleanup-run.test.ts',
    'test/cleanup/cleanup-swap-write.test.ts',
    'test/cli/alert-config.test.ts',
    'test/cli/dependency-down.test.ts',
    'test/cli/gradeguard.test.ts',
    'test/cli/flags.test.ts',
    'test/deploy/build.test.ts',
    'test/deploy/gcloud-setup.test.ts',
    'test/deploy/image.test.ts',
    'test/demo/incident-determinism.test.ts',
    'test/demo/start-cli.test.ts',
    'test/demo/state-dir.test.ts',
    'test/docs/examples.test.ts',
    'test/emulator/storage.test.ts',
    'test/lock/crash.test.ts',
    'test/lock/mutual-exclusion.test.ts',
    'test/lock/terminate.test.ts',
    'test/locks-cli/locks.test.ts',
    'test/monitor/abandoned-remediate.test.ts',
    'test/monitor/monitor.test.ts',
    'test/progress/tty-progress.test.ts',
    'test/remediation/concurrent-grade.test.ts',
    'test/remediation/remediate.test.ts',
    'test/remediation/stale-remediate.test.ts',
    'test/report/report-in-chromium.test.ts',
    'test/runner/assertion-failure.test.ts',
    'test/runner/backfill.test.ts',
    'test/runner/deploy-once.test.ts',
    'test/runner/run-bookkeeping.test.ts',
    'test/runner/bad-input.test.ts',
    'test/runner/concurrency.test.ts',
    'test/runner/consolidate.test.ts',
    'test/runner/dataform-api-executor.test.ts',
    'test/runner/dry-run.test.ts',
    'test/runner/lease-and-circuit.test.ts',
    'test/runner/options.test.ts',
    'test/runner/summary-refresh.test.ts',
    'test/runner/zero-rows.test.ts',
    'test/warehouse/module-graph.test.ts',
  ],
};

/** Every `*.test.ts` under test/, as repository-relative paths with forward slashes. */
export function testFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(path);
      } else if (entry.name.endsWith('.test.ts')) {
        found.push(relative(root, path).split('\\').join('/'));
      }
    }
  };
  walk(join(root, 'test'));
  return found.sort();
}

export interface TierCheck {
  /** Test files in no tier (they run in e2e until listed). */
  unlisted: string[];
  /** Test files listed in more than one tier. */
  twice: string[];
  /** Listed paths with no such test file. */
  missing: string[];
}

export function checkTiers(root: string): TierCheck {
  const files = testFiles(root);
  const listed = TIER_NAMES.flatMap((tier) => TIERS[tier]);
  const count = (file: string) => listed.filter((l) => l === file).length;
  return {
    unlisted: files.filter((f) => count(f) === 0),
    twice: [...new Set(listed.filter((f) => count(f) > 1))],
    missing: listed.filter((f) => !files.includes(f)),
  };
}
