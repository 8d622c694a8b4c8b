/**
 * Runs a command in a real terminal: a private tmux server (its own socket, killed afterwards) with a pane of a fixed
 * size, and returns what a user would see in it and its scrollback once the command exits, as tmux rendered it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TerminalRun {
  /** Scrollback and screen, one string per rendered line, trailing blank lines removed. */
  lines: string[];
  /** The visible screen at each poll while the command ran (distinct ones, in order). */
  frames: string[];
  exitCode: number;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export async function runInTerminal(argv: string[], options: { cwd: string; cols?: number; rows?: number; timeoutMs?: number; pollMs?: number }): Promise<TerminalRun> {
  const dir = mkdtempSync(join(tmpdir(), 'gg-tty-'));
  const socket = join(dir, 'tmux.sock');
  const tmux = (...args: string[]) => spawnSync('tmux', ['-S', socket, ...args], { encoding: 'utf8' });
  const shell = `cd ${quote(options.cwd)} && ${argv.map(quote).join(' ')}; echo "[exit $?]"; sleep 600`;
  try {
    const started = tmux('new-session', '-d', '-x', String(options.cols ?? 100), '-y', String(options.rows ?? 24), 'sh', '-c', shell);
    if (started.status !== 0) throw new Error(`tmux failed: ${started.stderr}`);
    tmux('set-option', '-g', 'history-limit', '50000');
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    const frames: string[] = [];
    for (;;) {
      const visible = tmux('capture-pane', '-p').stdout;
      if (visible !== frames.at(-1)) frames.push(visible);
      const screen = tmux('capture-pane', '-p', '-J', '-S', '-', '-E', '-').stdout;
      const exit = /^\[exit (\d+)\]$/m.exec(screen);
      if (exit) {
        const lines = screen
          .replace(/\s+$/, '')
          .split('\n')
          .map((l) => l.replace(/\s+$/, ''));
        return { lines: lines.slice(0, lines.lastIndexOf(exit[0])), frames, exitCode: Number(exit[1]) };
      }
      if (Date.now() > deadline) throw new Error(`the command did not finish in the terminal:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 200));
    }
  } finally {
    tmux('kill-server');
    rmSync(dir, { recursive: true, force: true });
  }
}
