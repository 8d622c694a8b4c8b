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

/** The per-date assertion dataset, so concurrent runs of different dates never replace each other's assertion views. */
export function assertionDatasetFor(base: string, date: string): string {
  return `${base}_d${date.replace(/-/g, '')}`;
}
