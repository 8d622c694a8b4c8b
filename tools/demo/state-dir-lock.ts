/**
 * One `npm start` per state directory. The story wipes its directory (DuckDB file, logs) before it starts; a second
 * process doing that under a `--keep-running` stack would delete the live database under the running emulator. So the
 * directory is taken first, with a lock file beside it (`<dir>.lock`: pid, host, start time) created exclusively:
 * a lock held by a live process on this host refuses the second start, before anything is touched; one left by a
 * process that died (kill -9, a crash) is taken over.
 */
import { closeSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { processAlive } from '../../src/lock/process-alive.ts';

export interface StateDirHolder {
  pid: number;
  host: string;
  startedAt: string;
  command: string;
}

export class StateDirBusyError extends Error {
  constructor(
    readonly dir: string,
    readonly holder: StateDirHolder,
  ) {
    super(
      `${dir} is in use by another npm start (pid ${holder.pid} on ${holder.host}, since ${holder.startedAt}): ` +
        `nothing was touched. Stop that stack (Ctrl-C in its shell, or kill ${holder.pid}) or pass another --state-dir.`,
    );
  }
}

export interface StateDirLock {
  path: string;
  release(): void;
}

function readHolder(path: string): StateDirHolder | undefined {
  try {
    const holder = JSON.parse(readFileSync(path, 'utf8')) as StateDirHolder;
    return Number.isInteger(holder.pid) ? holder : undefined;
  } catch {
    // Missing, or written half-way by a process that died between create and write: nobody holds it.
    return undefined;
  }
}

/** Takes `<dir>.lock` or throws StateDirBusyError; never touches `dir` itself. */
export function lockStateDir(dir: string, command = 'npm start'): StateDirLock {
  const path = `${dir}.lock`;
  const me: StateDirHolder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), command };
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify(me) + '\n');
      closeSync(fd);
      let released = false;
      return {
        path,
        release() {
          if (released) return;
          released = true;
          // Only our own lock: a lock file that is not ours any more (taken over as stale) stays.
          if (readHolder(path)?.pid === process.pid) unlinkSync(path);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(path);
    // Another host (a shared folder) cannot be probed: its lock is respected.
    if (holder && (holder.host !== me.host || processAlive(holder.pid))) throw new StateDirBusyError(dir, holder);
    // Stale: move it aside under a name of our own (atomic; of two processes only one moves it), then retry the create.
    const aside = `${path}.stale-${process.pid}`;
    try {
      renameSync(path, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      continue;
    }
    // Between our read and the rename another process may have taken over and created a fresh lock: put it back.
    const moved = readHolder(aside);
    if (moved && moved.pid !== holder?.pid && processAlive(moved.pid)) {
      try {
        linkSync(aside, path);
      } catch {
        // A third process created one meanwhile; the retry sees it.
      }
    }
    unlinkSync(aside);
  }
  throw new Error(`Could not take ${path}: it keeps changing hands`);
}
