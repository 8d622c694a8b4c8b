/**
 * Dataform replaces every assertion of a run as a view in the run's assertion dataset (`create or replace view`, then a
 * count), on every run. The runner names that dataset after the run's first date and its lock type, so two runs share
 * an assertion view only when they hold the same lock of the same date, i.e. never at once: a consolidation and a
 * grading of one date (different locks, both checking grading_runs) get different datasets.
 */
import { describe, expect, it } from 'vitest';
import { OPERATIONS } from '../../src/runner/operations.ts';
import { assertionDatasetFor } from '../../src/runner/run-id.ts';

describe('assertion datasets', () => {
  it('one per (lock type, first date): grading keeps its name, a consolidation of the same date gets its own', () => {
    expect(assertionDatasetFor('nba_predictions_assertions', '2026-01-17', 'grading')).toBe('nba_predictions_assertions_d20260117');
    expect(assertionDatasetFor('nba_predictions_assertions', '2026-01-17', 'consolidation')).toBe('nba_predictions_assertions_consolidation_d20260117');
    const byLock = new Map<string, Set<string>>();
    for (const spec of Object.values(OPERATIONS)) {
      const dataset = assertionDatasetFor('a', '2026-01-17', spec.lockType);
      byLock.set(dataset, new Set([...(byLock.get(dataset) ?? []), spec.lockType]));
    }
    // Operations share a dataset only under the same lock type (grading and its summary refresh).
    for (const locks of byLock.values()) expect(locks.size).toBe(1);
    expect(byLock.size).toBe(2);
  });
});
