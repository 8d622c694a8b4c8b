/**
 * The Firestore SDK rejects an abandoned in-flight call on a promise nobody handles when the client is terminated,
 * which crashed `grade --on-lock-error proceed` after a successful run. terminateFirestore swallows exactly that.
 */
import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { repoRoot } from '../../src/warehouse/dataform-cli.ts';
import { nodeWithTsx } from '../helpers/processes.ts';

const fixture = 'test/lock/fixtures/terminate-after-outage.ts';
const run = (...args: string[]) => {
  const [cmd, argv] = nodeWithTsx(fixture, args);
  return spawnSync(cmd, argv, { cwd: repoRoot, encoding: 'utf8', timeout: 60_000, env: { ...process.env, FIRESTORE_EMULATOR_HOST: '' } });
};

it('terminating a client with an abandoned call leaves the process alive and exiting 0', () => {
  const r = run();
  expect(r.stderr).not.toContain('The client has already been terminated');
  expect([r.status, r.stdout.trim()]).toEqual([0, 'finished']);
}, 60_000);

it('any other unhandled rejection still crashes the process', () => {
  const r = run('other-rejection');
  expect(r.status).not.toBe(0);
  expect(r.stderr).toContain('some other failure');
  expect(r.stdout).not.toContain('finished');
}, 60_000);
