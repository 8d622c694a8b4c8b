/**
 * One `npm start` per state directory: a second one while a stack is up there is refused with exit 4 and a clear
 * message before it touches anything — the live DuckDB file stays, the running emulator keeps answering. A lock left
 * by a process that died is taken over.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockStateDir, StateDirBusyError } from '../../tools/demo/state-dir-lock.ts';
import { repoRoot } from '../../src/warehouse/dataform-cli.ts';
import { exited, nodeCommand } from '../helpers/processes.ts';

const root = mkdtempSync(join(tmpdir(), 'gg-state-'));

describe('the npm start state directory', () => {
  let holder: ChildProcess | undefined;
  afterAll(async () => {
    if (holder?.exitCode === null) {
      holder.kill('SIGKILL');
      await exited(holder);
    }
    rmSync(root, { recursive: true, force: true });
  });

  it('a second npm start while a stack is up exits 4, says who holds it, and leaves the live DuckDB file and emulator alone', async () => {
    const dir = join(root, 'start');
    holder = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/demo/live-stack-holder.ts'), dir], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    const ready = await new Promise<{ url: string; projectId: string }>((resolve, reject) => {
      let out = '';
      holder!.stdout!.on('data', (chunk) => {
        out += chunk;
        if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]!));
      });
      holder!.on('exit', (code) => reject(new Error(`holder exited ${code}`)));
    });
    const database = join(dir, 'bigquery.duckdb');
    const before = statSync(database);

    const second = spawnSync(...nodeCommand('scripts/start.ts', ['--state-dir', dir]), { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
    expect(second.status).toBe(4);
    expect(second.stderr).toContain(`${dir} is in use by another npm start (pid ${holder.pid}`);
    expect(second.stderr).toContain('nothing was touched');
    expect(second.stdout).not.toContain('Local stack');

    expect(existsSync(database)).toBe(true);
    expect(statSync(database).ino).toBe(before.ino);
    const answer = await fetch(`${ready.url}/bigquery/v2/projects/${ready.projectId}/queries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'SELECT note FROM live.rows', useLegacySql: false }),
    });
    expect(JSON.stringify(await answer.json())).toContain('still here');
    expect(JSON.parse(readFileSync(`${dir}.lock`, 'utf8')).pid).toBe(holder.pid);
  }, 180_000);

  it('a lock left by a process that died is taken over; a live one is not', async () => {
    const dir = join(root, 'stale');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(`${dir}.lock`, JSON.stringify({ pid: Number(dead.stdout), host: (await import('node:os')).hostname(), startedAt: '2026-01-01T00:00:00Z', command: 'npm start' }));
    const lock = lockStateDir(dir);
    expect(JSON.parse(readFileSync(`${dir}.lock`, 'utf8')).pid).toBe(process.pid);
    expect(() => lockStateDir(dir)).toThrow(StateDirBusyError);
    lock.release();
    expect(existsSync(`${dir}.lock`)).toBe(false);
  });
});
