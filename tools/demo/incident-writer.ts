/**
 * `npm start`'s incident writer, its own OS process: the seed's unprotected grading (a DELETE job, then an INSERT job,
 * no lock, no fence; tools/synthetic/unsafe-grading.ts) of some dates, as the scheduled run or the backfill, each job at
 * the turn tools/demo/turns.ts gives it. Local emulator only. Prints its jobs with their times as JSON.
 */
import { parseArgs } from 'node:util';
import { createLogger } from '../../src/log/logger.ts';
import { parseDate } from '../../src/runner/dates.ts';
import { gradeDateUnsafe, type UnsafeJob } from '../synthetic/unsafe-grading.ts';
import { bigQueryClient, localTarget, projectConfig } from '../../src/warehouse/target.ts';
import { takeTurn, type Writer } from './turns.ts';

const { values } = parseArgs({ options: { writer: { type: 'string' }, dates: { type: 'string' }, turns: { type: 'string' } }, strict: true });
const writer = values.writer as Writer;
if (!['scheduled', 'backfill'].includes(writer)) throw new Error(`--writer must be scheduled or backfill, not ${values.writer}`);
const dates = (values.dates ?? '').split(',').map((d) => parseDate(d, '--dates'));
const url = process.env.BIGQUERY_EMULATOR_HOST;
if (!url) throw new Error('BIGQUERY_EMULATOR_HOST must point at the local emulator: this path is for the local story only');
const target = localTarget({ projectId: process.env.GOOGLE_CLOUD_PROJECT ?? projectConfig().defaultDatabase, emulatorUrl: url });
const bigquery = bigQueryClient(target);
const log = createLogger('incident-writer');

const turns = values.turns;
if (!turns) throw new Error('--turns is required');
const results: Array<{ date: string; jobs: UnsafeJob[] }> = [];
for (const date of dates) {
  const { jobs } = await gradeDateUnsafe(bigquery, target, date, { runId: `${writer}-${date}`, turn: (job) => takeTurn(turns, { writer, job, date }) });
  results.push({ date, jobs });
  log.info('date_graded_unsafely', { event: 'incident', writer, game_date: date });
}
process.stdout.write(JSON.stringify({ unsafe: true, writer, dates: results }) + '\n');
