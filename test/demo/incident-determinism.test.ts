/**
 * `npm start`'s incident is the seed's, not the machine's: two real writer processes, their DELETE and INSERT jobs
 * interleaved in the order the seed picks, give the same dates, rows and duplicates every time — and exactly the
 * dates where the seed put both DELETEs before either INSERT are duplicated. Small season, two runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../tools/demo/cli-process.ts';
import { runIncident } from '../../tools/demo/incident.ts';
import { duplicationPerDate } from '../../tools/demo/measures.ts';
import { incidentSchedule, overlaps } from '../../tools/demo/turns.ts';
import { gradeDateUnsafe } from '../../tools/synthetic/unsafe-grading.ts';
import { generateSeason, loadSeason } from '../../tools/synthetic/season.ts';
import { bigQueryClient, localTarget, tableRef } from '../../src/warehouse/target.ts';
import { startLocalBigQuery, type LocalBigQuery } from '../helpers/bigquery.ts';

const SEED = 7;
const handle = { detail() {}, done() {}, fail() {} };

describe('the incident of npm start', () => {
  let bq: LocalBigQuery;
  let logDir: string;
  beforeAll(async () => {
    bq = await startLocalBigQuery();
    logDir = mkdtempSync(join(tmpdir(), 'gg-incident-'));
  }, 120_000);
  afterAll(async () => {
    await bq?.stop();
    rmSync(logDir, { recursive: true, force: true });
  });

  it('the seed picks the interleaving: the same seed, the same order; at least one date overlaps', () => {
    const dates = ['2026-01-03', '2026-01-04', '2026-01-05', '2026-01-06'];
    expect(incidentSchedule(SEED, dates)).toEqual(incidentSchedule(SEED, dates));
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) expect(incidentSchedule(seed, dates).some(overlaps)).toBe(true);
    for (const order of incidentSchedule(SEED, dates)) {
      for (const writer of ['scheduled', 'backfill']) expect(order.filter((t) => t.writer === writer).map((t) => t.job)).toEqual(['delete', 'insert']);
    }
  });

  it('two runs with the same seed give identical figures, duplicated exactly on the overlapping dates', async () => {
    const target = localTarget({ projectId: bq.emulator.projectId, emulatorUrl: bq.emulator.url });
    const bigquery = bigQueryClient(target);
    const season = generateSeason({ seed: SEED, dates: 6, players: 40, systems: 2, startDate: '2026-01-01' });
    await loadSeason(bigquery, target.dataset, season);
    const env = { ...process.env, BIGQUERY_EMULATOR_HOST: bq.emulator.url, GOOGLE_CLOUD_PROJECT: bq.emulator.projectId, METADATA_SERVER_DETECTION: 'none' };
    const cli = (label: string, script: string, args: string[], onEvent?: (e: Record<string, any>) => void) => runCli(script, args, { env, logDir, label, onEvent });
    const dates = season.gameDates.slice(1, 5);
    const figures = [];
    for (let run = 0; run < 2; run++) {
      // Each run starts from the same graded season, as npm start does.
      await bigquery.query({ query: `DELETE FROM ${tableRef(target, 'prediction_accuracy')} WHERE TRUE` }).catch(() => undefined);
      await gradeDateUnsafe(bigquery, target, season.gameDates[0]!, { runId: 'legacy', through: season.gameDates.at(-1) });
      const incident = await runIncident(SEED, dates, cli, handle);
      const perDate = await duplicationPerDate(bigquery, target);
      figures.push({ overlapped: incident.overlappedDates, perDate });
      // The timeline has both writers' jobs and a marker per overlapping date.
      expect(incident.timeline.lanes.map((l) => l.bars.length)).toEqual([dates.length * 2, dates.length * 2]);
      expect(incident.timeline.markers).toHaveLength(incident.overlappedDates.length);
    }
    expect(figures[1]).toEqual(figures[0]);
    const expected = dates.filter((_, i) => overlaps(incidentSchedule(SEED, dates)[i]!));
    expect(figures[0]!.overlapped).toEqual(expected);
    for (const d of figures[0]!.perDate) {
      if (expected.includes(d.date)) expect(d.rows, d.date).toBe(2 * d.uniqueKeys);
      else expect(d.rows, d.date).toBe(d.uniqueKeys);
    }
    expect(figures[0]!.perDate.some((d) => d.rows > d.uniqueKeys)).toBe(true);
  }, 300_000);
});
