/**
 * Google's `bq` command-line tool (installed with the Google Cloud CLI) against the emulator, offline: the recipe
 * of docs/local-stack.md (an empty CLOUDSDK_CONFIG and a throwaway access token file) and `--api`. Skipped, with
 * the reason, when bq is not installed.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBigQueryEmulator, type BigQueryEmulator } from '@gradeguard/bigquery-emulator';

const run = promisify(execFile);

function findBq(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v bq'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}
const bqPath = findBq();
if (!bqPath) console.warn('test/emulator/bq-cli.test.ts skipped: the bq command (Google Cloud CLI) is not installed');

let emu: BigQueryEmulator;
let dir: string;

/** The one line of output that is a JSON array (a slow job adds "Waiting on bqjob…" status lines around it). */
function jsonLine(text: string): unknown {
  const line = text.split(/[\r\n]+/).find((l) => l.trim().startsWith('['));
  if (!line) throw new Error(`no JSON array in:\n${text}`);
  return JSON.parse(line.slice(line.indexOf('[')));
}

/** `out` is stdout and stderr together (for messages); `stdout` alone for parsing, since a slow job adds status lines to stderr. */
async function bq(...args: string[]): Promise<{ code: number; out: string; stdout: string }> {
  const env = {
    ...process.env,
    CLOUDSDK_CONFIG: join(dir, 'gcloud'),
    CLOUDSDK_AUTH_ACCESS_TOKEN_FILE: join(dir, 'token'),
    CLOUDSDK_CORE_DISABLE_PROMPTS: '1',
  };
  try {
    const r = await run(bqPath!, [`--api=${emu.url}`, `--project_id=${emu.projectId}`, ...args], { env, timeout: 90_000 });
    return { code: 0, out: r.stdout + r.stderr, stdout: r.stdout };
  } catch (e: any) {
    return { code: e.code ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}`, stdout: e.stdout ?? '' };
  }
}

describe.skipIf(!bqPath)('bq command-line tool against the emulator', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gg-bq-'));
    mkdirSync(join(dir, 'gcloud'));
    writeFileSync(join(dir, 'token'), 'local-emulator-token\n');
    emu = await startBigQueryEmulator({ port: 0, gcsDir: join(dir, 'gcs') });
  });
  afterAll(async () => {
    await emu?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('mk --dataset, mk --table from a schema, query with parameters in csv/json, ls, show, head', async () => {
    expect((await bq('mk', '--dataset', 'cli')).code).toBe(0);
    writeFileSync(
      join(dir, 'schema.json'),
      JSON.stringify([
        { name: 'player', type: 'STRING', mode: 'REQUIRED' },
        { name: 'points', type: 'INTEGER' },
      ]),
    );
    expect((await bq('mk', '--table', 'cli.scores', join(dir, 'schema.json'))).code).toBe(0);
    const insert = await bq('query', '--use_legacy_sql=false', "INSERT INTO cli.scores VALUES ('a', 10), ('b', 7), ('c', 12)");
    expect(insert.code, insert.out).toBe(0);
    const csv = await bq('query', '--use_legacy_sql=false', '--format=csv', '--parameter=min:INT64:8', 'SELECT player, points FROM cli.scores WHERE points >= @min ORDER BY player');
    expect(csv.out).toContain('player,points\na,10\nc,12');
    const json = await bq('query', '--use_legacy_sql=false', '--format=json', 'SELECT COUNT(*) AS n FROM cli.scores');
    expect(jsonLine(json.stdout)).toEqual([{ n: '3' }]);
    expect((await bq('ls', 'cli')).out).toMatch(/scores\s+TABLE/);
    const show = await bq('show', '--schema', '--format=json', 'cli.scores');
    expect(jsonLine(show.stdout)).toEqual([
      { name: 'player', type: 'STRING', mode: 'REQUIRED' },
      { name: 'points', type: 'INTEGER', mode: 'NULLABLE' },
    ]);
    const head = await bq('head', '--format=csv', '-s', '1', '-n', '1', '--selected_fields=points', 'cli.scores');
    expect(head.out.trim().split('\n').slice(-2)).toEqual(['points', '7']);
  }, 600_000); // a dozen `bq` (Python) starts: minutes on a busy machine

  it('cp (-f, --snapshot, --clone), rm -f -t, and cp table@<ms> restoring a deleted table', async () => {
    expect((await bq('cp', 'cli.scores', 'cli.copy')).code).toBe(0);
    expect((await bq('cp', '-f', 'cli.scores', 'cli.copy')).code).toBe(0);
    expect((await bq('cp', '--snapshot', 'cli.scores', 'cli.snap')).code).toBe(0);
    expect((await bq('cp', '--clone', 'cli.scores', 'cli.clone')).code).toBe(0);
    expect((await bq('ls', 'cli')).out).toMatch(/snap\s+SNAPSHOT/);
    const before = Date.now();
    await new Promise((r) => setTimeout(r, 20));
    expect((await bq('rm', '-f', '-t', 'cli.copy')).code).toBe(0);
    expect((await bq('ls', 'cli')).out).not.toMatch(/\bcopy\b/);
    const restore = await bq('cp', `cli.copy@${before}`, 'cli.copy');
    expect(restore.code, restore.out).toBe(0);
    const n = await bq('query', '--use_legacy_sql=false', '--format=csv', 'SELECT COUNT(*) AS n FROM cli.copy');
    expect(n.out).toContain('n\n3');
  }, 600_000);

  it('load (NDJSON autodetect, CSV with a schema, --replace) and extract to the local bucket folder', async () => {
    writeFileSync(join(dir, 'rows.json'), '{"player": "d", "points": 3}\n{"player": "e", "points": 4}\n');
    const ndjson = await bq('load', '--source_format=NEWLINE_DELIMITED_JSON', '--autodetect', 'cli.loaded', join(dir, 'rows.json'));
    expect(ndjson.code, ndjson.out).toBe(0);
    writeFileSync(join(dir, 'rows.csv'), 'player,points\nf,5\n"g,h",6\n');
    const csv = await bq('load', '--source_format=CSV', '--skip_leading_rows=1', '--replace', 'cli.loaded', join(dir, 'rows.csv'), 'player:STRING,points:INTEGER');
    expect(csv.code, csv.out).toBe(0);
    const bad = await bq('load', '--source_format=CSV', '--skip_leading_rows=1', 'cli.loaded', join(dir, 'rows.csv'), 'player:INTEGER,points:INTEGER');
    expect(bad.code).not.toBe(0);
    expect(bad.out.replace(/\s+/g, ' ')).toMatch(/Provided Schema does not match Table .*loaded/);
    const extract = await bq('extract', 'cli.loaded', 'gs://exports/loaded.csv');
    expect(extract.code, extract.out).toBe(0);
    const lines = readFileSync(join(dir, 'gcs', 'exports', 'loaded.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(lines[0]).toBe('player,points');
    expect(lines.slice(1).sort()).toEqual(['"g,h",6', 'f,5']);
  }, 600_000);
});
