/**
 * The emulator on a developer's machine is not an open door: a web page (cross-origin or through DNS rebinding)
 * cannot call it, SQL cannot reach files through DuckDB, and load/extract jobs stay inside the local bucket folder.
 * Real HTTP to a real emulator; raw requests (node:http) so the Host and Origin headers are what a browser would send.
 */
import { request } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBigQueryEmulator, type BigQueryEmulator } from '@gradeguard/bigquery-emulator';

let emu: BigQueryEmulator;
let dir: string;
let gcs: string;

interface Answer {
  status: number;
  json: any;
}

/** One HTTP request with exactly these headers (a browser's Host/Origin included). */
function send(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: emu.port, method, path, headers: { host: `127.0.0.1:${emu.port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const json = { 'content-type': 'application/json' };
const query = (sql: string, headers: Record<string, string> = json) => send('POST', `/projects/${emu.projectId}/queries`, headers, JSON.stringify({ query: sql, useLegacySql: false }));
const tableExists = async (t: string) => (await send('GET', `/projects/${emu.projectId}/datasets/sec/tables/${t}`)).status === 200;

async function job(configuration: unknown): Promise<any> {
  const r = await send('POST', `/projects/${emu.projectId}/jobs`, json, JSON.stringify({ configuration }));
  if (r.status !== 200) return r.json;
  for (;;) {
    const j = await send('GET', `/projects/${emu.projectId}/jobs/${r.json.jobReference.jobId}`);
    if (j.json.status.state === 'DONE') return j.json;
    await new Promise((res) => setTimeout(res, 20));
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gg-security-'));
  gcs = join(dir, 'gcs');
  emu = await startBigQueryEmulator({ port: 0, gcsDir: gcs });
  expect((await send('POST', `/projects/${emu.projectId}/datasets`, json, JSON.stringify({ datasetReference: { datasetId: 'sec' } }))).status).toBe(200);
  expect((await query("CREATE TABLE sec.payload AS SELECT 'echo owned' AS line")).status).toBe(200);
}, 60_000);
afterAll(async () => {
  await emu?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('HTTP: only local, non-browser clients', () => {
  it('refuses a cross-origin request (a web page POSTing text/plain, which needs no CORS preflight) and runs nothing', async () => {
    const page = { origin: 'http://attacker.example', 'content-type': 'text/plain;charset=UTF-8' };
    const refused = await query('CREATE TABLE sec.pwned AS SELECT 1 AS x', page);
    expect(refused.status).toBe(403);
    expect(refused.json.error.message).toMatch(/Origin http:\/\/attacker\.example.*refused/);
    expect((await query('CREATE TABLE sec.pwned AS SELECT 1 AS x', { ...json, origin: 'null' })).status).toBe(403);
    expect((await query('CREATE TABLE sec.pwned AS SELECT 1 AS x', { ...json, origin: `http://127.0.0.1:${emu.port + 1}` })).status).toBe(403);
    // A browser's no-cors GET carries no Origin, but does say where it comes from.
    expect((await send('GET', `/projects/${emu.projectId}/datasets`, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect(await tableExists('pwned')).toBe(false);
  });

  it('refuses a request whose Host is not a loopback name (DNS rebinding) and serves the loopback ones', async () => {
    const rebound = await send('GET', `/projects/${emu.projectId}/datasets`, { host: `attacker.example:${emu.port}` });
    expect(rebound.status).toBe(403);
    expect(rebound.json.error.message).toMatch(/Host attacker\.example.*refused/);
    expect((await query('CREATE TABLE sec.pwned AS SELECT 1 AS x', { ...json, host: 'attacker.example' })).status).toBe(403);
    expect(await tableExists('pwned')).toBe(false);
    for (const host of [`127.0.0.1:${emu.port}`, `localhost:${emu.port}`, `[::1]:${emu.port}`, 'localhost']) {
      expect((await send('GET', `/projects/${emu.projectId}/datasets`, { host })).status, host).toBe(200);
    }
  });

  it('takes request bodies as JSON where BigQuery does (uploads stay multipart/media)', async () => {
    const plain = await query('CREATE TABLE sec.pwned AS SELECT 1 AS x', { 'content-type': 'text/plain' });
    expect(plain.status).toBe(400);
    expect(plain.json.error.message).toMatch(/application\/json/);
    const form = await query('CREATE TABLE sec.pwned AS SELECT 1 AS x', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(400);
    const none = await send('POST', `/projects/${emu.projectId}/queries`, {}, JSON.stringify({ query: 'CREATE TABLE sec.pwned AS SELECT 1 AS x' }));
    expect(none.status).toBe(400);
    expect(await tableExists('pwned')).toBe(false);
    expect((await query('SELECT 1 AS x', { 'content-type': 'application/json; charset=UTF-8' })).status).toBe(200);
    // A resumable upload: JSON to open the session, then the data with its own media type.
    const open = await send(
      'POST',
      `/upload/bigquery/v2/projects/${emu.projectId}/jobs?uploadType=resumable`,
      { 'content-type': 'application/json; charset=UTF-8' },
      JSON.stringify({ configuration: { load: { destinationTable: { datasetId: 'sec', tableId: 'uploaded' }, sourceFormat: 'CSV', autodetect: true } } }),
    );
    expect(open.status).toBe(200);
  });
});

describe('SQL cannot reach files', () => {
  it.each([
    ["SELECT * FROM read_text('/etc/hostname')"],
    ["SELECT * FROM read_blob('/etc/hostname')"],
    ["SELECT * FROM read_csv('/etc/passwd')"],
    ["SELECT * FROM read_parquet('/etc/passwd')"],
    ["SELECT * FROM glob('/etc/*')"],
    ["DECLARE x STRING DEFAULT (SELECT content FROM read_text('/etc/hostname')); SELECT x"],
  ])('%s is refused', async (sql) => {
    const r = await query(sql);
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(/reading or writing files is not supported by the local emulator/i);
    expect(JSON.stringify(r.json)).not.toContain(readFileSync('/etc/hostname', 'utf8').trim() || '\u0000');
  });

  it.each([[`COPY (SELECT 1 AS x) TO '${'OUT'}'`], ["ATTACH '/tmp/gg-attached.duckdb' AS a"], ['INSTALL httpfs'], ['LOAD httpfs']])('%s is refused through the API', async (sql) => {
    const r = await query(sql.replace('OUT', join(dir, 'copied.csv')));
    expect(r.status).toBe(400);
    expect(r.json.error.message).toMatch(/not supported by the local emulator/);
    expect(existsSync(join(dir, 'copied.csv'))).toBe(false);
  });

  it('DuckDB itself refuses COPY TO, ATTACH, INSTALL and re-enabling file access, whatever reaches it', async () => {
    const conn = await emu.engine.connect();
    try {
      const outside = join(dir, 'outside', 'copied.csv');
      mkdirSync(join(dir, 'outside'), { recursive: true });
      await expect(conn.run(`COPY (SELECT 1 AS x) TO '${outside}'`)).rejects.toThrow(/disabled by configuration/);
      await expect(conn.run(`COPY (SELECT 1 AS x) TO '${join(gcs, 'b', 'direct.csv')}'`)).rejects.toThrow(/disabled by configuration/);
      await expect(conn.run(`ATTACH '${join(dir, 'attached.duckdb')}' AS a`)).rejects.toThrow(/disabled by configuration/);
      await expect(conn.run('INSTALL httpfs')).rejects.toThrow(/disabled by configuration/);
      await expect(conn.run('LOAD httpfs')).rejects.toThrow(/disabled through configuration/);
      await expect(conn.run('SET enable_external_access = true')).rejects.toThrow(/Cannot enable external access while database is running/);
      await expect(conn.run("SET allowed_directories = ['/']")).rejects.toThrow(/Cannot change allowed_directories when enable_external_access is disabled/);
      await expect(conn.run("SET allowed_paths = ['/etc/hostname']")).rejects.toThrow(/Cannot change allowed_paths when enable_external_access is disabled/);
      await expect(conn.run(`SET temp_directory = '${join(dir, 'outside')}'`)).rejects.toThrow(/disabled by configuration/);
      expect(existsSync(outside)).toBe(false);
      expect(existsSync(join(dir, 'attached.duckdb'))).toBe(false);
    } finally {
      conn.closeSync();
    }
  });
});

describe('load and extract jobs stay inside the local bucket folder', () => {
  it('refuses an extract outside it (file:// anywhere else, gs:// climbing out, a symlink out) and creates nothing', async () => {
    const target = join(dir, 'home', '.config', 'run.sh');
    const r = await job({ extract: { sourceTable: { datasetId: 'sec', tableId: 'payload' }, destinationUris: [pathToFileURL(target).href], printHeader: false } });
    expect(r.status.errorResult.message).toMatch(/outside the local bucket folder/);
    expect(existsSync(join(dir, 'home'))).toBe(false);
    const climb = await job({ extract: { sourceTable: { datasetId: 'sec', tableId: 'payload' }, destinationUris: ['gs://exports/../../run.sh'] } });
    expect(climb.status.errorResult.message).toMatch(/Invalid Cloud Storage object name/);
    mkdirSync(join(gcs, 'linked'), { recursive: true });
    mkdirSync(join(dir, 'elsewhere'));
    symlinkSync(join(dir, 'elsewhere'), join(gcs, 'linked', 'out'));
    const viaLink = await job({ extract: { sourceTable: { datasetId: 'sec', tableId: 'payload' }, destinationUris: ['gs://linked/out/run.sh'], printHeader: false } });
    expect(viaLink.status.errorResult.message).toMatch(/outside the local bucket folder/);
    expect(existsSync(join(dir, 'elsewhere', 'run.sh'))).toBe(false);
  });

  it('refuses a load from a file outside it', async () => {
    writeFileSync(join(dir, 'secret.csv'), 'token\nhunter2\n');
    const r = await job({ load: { destinationTable: { datasetId: 'sec', tableId: 'stolen' }, sourceUris: [pathToFileURL(join(dir, 'secret.csv')).href], sourceFormat: 'CSV', autodetect: true } });
    expect(r.status.errorResult.message).toMatch(/outside the local bucket folder/);
    const etc = await job({ load: { destinationTable: { datasetId: 'sec', tableId: 'stolen' }, sourceUris: ['file:///etc/hostname'], sourceFormat: 'CSV', autodetect: true } });
    expect(etc.status.errorResult.message).toMatch(/outside the local bucket folder/);
    expect(await tableExists('stolen')).toBe(false);
  });

  it('still loads and extracts inside it (gs:// and file:// naming the same folder)', async () => {
    mkdirSync(join(gcs, 'in'), { recursive: true });
    writeFileSync(join(gcs, 'in', 'rows.csv'), 'k,v\n1,one\n2,two\n');
    const loaded = await job({ load: { destinationTable: { datasetId: 'sec', tableId: 'rows' }, sourceUris: ['gs://in/rows.csv'], sourceFormat: 'CSV', autodetect: true } });
    expect(loaded.status.errorResult).toBeUndefined();
    expect(loaded.statistics.load.outputRows).toBe('2');
    const out = await job({ extract: { sourceTable: { datasetId: 'sec', tableId: 'rows' }, destinationUris: ['gs://exports/deep/rows.csv'] } });
    expect(out.status.errorResult).toBeUndefined();
    expect(
      readFileSync(join(gcs, 'exports', 'deep', 'rows.csv'), 'utf8')
        .trim()
        .split('\n'),
    ).toEqual(['k,v', '1,one', '2,two']);
    const asFile = await job({
      extract: { sourceTable: { datasetId: 'sec', tableId: 'rows' }, destinationUris: [pathToFileURL(join(gcs, 'exports', 'rows.json')).href], destinationFormat: 'NEWLINE_DELIMITED_JSON' },
    });
    expect(asFile.status.errorResult).toBeUndefined();
    expect(
      readFileSync(join(gcs, 'exports', 'rows.json'), 'utf8')
        .trim()
        .split('\n'),
    ).toHaveLength(2);
  });
});
