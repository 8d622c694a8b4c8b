/**
 * TEST-ONLY process for the chaos suite's sensitivity check: grades a date range with the seed's UNSAFE write path
 * (DELETE job, then INSERT job, no lock, no fence). Never wired into a command; the chaos suite runs it only with
 * `--unsafe`, to show that its invariant checks do catch the incident. With `--go-file`, it prepares (compiles the views),
 * logs `unsafe_ready` and waits for that file: the suite starts both writers' DELETEs together, whatever their start-up
 * took, so the overlap the incident needs happens every round.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ensureGradingViews, gradeDateUnsafe } from '../synthetic/unsafe-grading.ts';
import { addDays, parseDate } from '../../src/runner/dates.ts';
import { bigQueryClient, localTarget, projectConfig } from '../../src/warehouse/target.ts';

const { values } = parseArgs({ options: { from: { type: 'string' }, to: { type: 'string' }, 'run-id': { type: 'string' }, pause: { type: 'string' }, 'go-file': { type: 'string' } }, strict: true });
const from = parseDate(values.from ?? '', '--from');
const to = parseDate(values.to ?? '', '--to');
const url = process.env.BIGQUERY_EMULATOR_HOST;
if (!url) throw new Error('BIGQUERY_EMULATOR_HOST must point at the local emulator: this path is for tests only');
const target = localTarget({ projectId: process.env.GOOGLE_CLOUD_PROJECT ?? projectConfig().defaultDatabase, emulatorUrl: url });
const bigquery = bigQueryClient(target);
if (values['go-file']) {
  await ensureGradingViews(bigquery, target);
  process.stderr.write(JSON.stringify({ severity: 'INFO', message: 'unsafe_ready', event: 'unsafe_ready' }) + '\n');
  while (!existsSync(values['go-file'])) await new Promise((r) => setTimeout(r, 50));
}
const results: Array<{ date: string; deleted: number; inserted: number }> = [];
for (let date = from; date <= to; date = addDays(date, 1)) {
  results.push({ date, ...(await gradeDateUnsafe(bigquery, target, date, { runId: `${values['run-id'] ?? 'unsafe'}-${date}`, pauseBetweenMs: Number(values.pause ?? 300) })) });
}
process.stdout.write(JSON.stringify({ unsafe: true, dates: results }) + '\n');
