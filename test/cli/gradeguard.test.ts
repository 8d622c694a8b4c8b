/**
 * `gradeguard <command>` (scripts/gradeguard.ts): one command per script in scripts/, each listed with one line; the
 * chosen script gets the rest of argv; no command or an unknown one is bad input (exit 2, the list on stderr).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScript } from '../locks-cli/cli.ts';
import { repoRoot } from '../../src/warehouse/dataform-cli.ts';

// Closed ports: a command that tried to connect would fail differently from bad input.
const nowhere = { BIGQUERY_EMULATOR_HOST: 'http://127.0.0.1:9', FIRESTORE_EMULATOR_HOST: '127.0.0.1:9', GOOGLE_CLOUD_PROJECT: 'local-project', SLACK_WEBHOOK_URL: '' };
const gradeguard = (args: string[]) => runScript('scripts/gradeguard.ts', args, nowhere);

const scripts = readdirSync(join(repoRoot, 'scripts'))
  .filter((f) => f.endsWith('.ts') && f !== 'gradeguard.ts')
  .map((f) => f.slice(0, -'.ts'.length));

/** The command names of the help's "Commands:" block. */
const listed = (help: string) =>
  [
    ...help
      .split('Commands:\n')[1]!
      .split('\n\n')[0]!
      .matchAll(/^ {2}(\S+) {2,}\S/gm),
  ].map((m) => m[1]);

describe('gradeguard', () => {
  it('--help lists every command in scripts/ with one line each, exit 0', async () => {
    const result = await gradeguard(['--help']);
    expect(result.code).toBe(0);
    expect(listed(result.stdout).sort()).toEqual([...scripts].sort());
    expect(result.stderr).toBe('');
  }, 120_000);

  it.each([[[]], [['nope']], [['help', 'nope']], [['--grade']]])(
    '%j: exit 2, the command list on stderr, nothing on stdout',
    async (args) => {
      const result = await gradeguard(args);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^gradeguard: (no command given|unknown command ".+")\n/);
      expect(listed(result.stderr).sort()).toEqual([...scripts].sort());
      expect(result.stdout).toBe('');
    },
    120_000,
  );

  it("<command> --help is the script's help, its usage spelled as invoked; `help <command>` is the same", async () => {
    const [viaDispatcher, viaHelp, viaScript] = await Promise.all([gradeguard(['locks', '--help']), gradeguard(['help', 'locks']), runScript('scripts/locks.ts', ['--help'], nowhere)]);
    expect([viaDispatcher.code, viaHelp.code, viaScript.code]).toEqual([0, 0, 0]);
    expect(viaDispatcher.stdout).toMatch(/^Usage: gradeguard locks list \[--type T\] \[--json\]\n {7}gradeguard locks stuck/);
    expect(viaHelp.stdout).toBe(viaDispatcher.stdout);
    expect(viaScript.stdout).toMatch(/^Usage: npm run locks -- list/);
    expect(viaScript.stdout.replaceAll('npm run locks -- ', 'gradeguard locks ')).toBe(viaDispatcher.stdout);
  }, 120_000);

  it('passes the rest of argv to the command: its own bad input is exit 2 with its message, nothing touched', async () => {
    const result = await gradeguard(['remediate', '--date', '2026-01-17', '--max-duplicates', '-3']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^remediate: Invalid --max-duplicates "-3": expected an integer from 1/);
    expect(result.stdout).toBe('');
  }, 120_000);
});
