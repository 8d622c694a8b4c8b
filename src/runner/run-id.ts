/** Run ids: unique per date and attempt, within the vars contract ([A-Za-z0-9_.:-], at most 128 characters). */
import { randomBytes } from 'node:crypto';

const RUN_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

export function newRunId(prefix: string, date: string, now: Date = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const id = `${prefix}-${date.replace(/-/g, '')}-${stamp}-${randomBytes(4).toString('hex')}`;
  if (!RUN_ID.test(id)) throw new Error(`generated run id ${JSON.stringify(id)} breaks the vars contract`);
  return id;
}

/**
 * The assertion dataset of a run whose first date is `date` under the `lockType` lock. Dataform replaces every assertion
 * of a run as a view in it (`create or replace view`, then a count) on every run, so two runs share one of those views
 * only when they hold the same lock of the same date, hence never at once: their assertions never swap each other's
 * views, and no view's metadata is updated by two runs at a time (BigQuery allows 5 updates per table in 10 s). The
 * lock type is part of the name because a consolidation and a grading of one date hold different locks and check some
 * of the same relations (grading_runs' checks are in every run).
 */
export function assertionDatasetFor(base: string, date: string, lockType: string): string {
  return `${base}${lockType === 'grading' ? '' : `_${lockType}`}_d${date.replace(/-/g, '')}`;
}
