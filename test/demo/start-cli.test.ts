/** `npm start` input handling (the full story runs in the fresh-clone check and takes minutes: not repeated here). */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/warehouse/dataform-cli.ts';
import { nodeCommand } from '../helpers/processes.ts';

const start = (args: string[]) => spawnSync(...nodeCommand('scripts/start.ts', args), { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });

describe('npm start', () => {
  it('--help lists the sizes and the exit codes', () => {
    const r = start(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--size S');
    expect(r.stdout).toContain('--keep-running');
    expect(r.stdout).toContain('4  a lock was not acquired');
  });

  it.each([[['--size', 'huge']], [['--seed', 'abc']], [['--bogus']]])('refuses %j with exit 2 before starting anything', (args) => {
    const r = start(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Invalid|Unknown option/);
    expect(r.stdout).not.toContain('Local stack');
  });
});
