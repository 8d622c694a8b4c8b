/**
 * Whether a process of this host still runs: signal 0 checks without sending anything. EPERM means it exists under
 * another user, so it is alive. Used to take over a lock left by a dead local holder, never one held by a live one.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
