/**
 * The Firestore SDK rejects an abandoned in-flight call on a promise nobody handles when the client is terminated,
 * which crashed `grade --on-lock-error proceed` after a successful run. terminateFirestore swallows exactly that.
 */
import { spawn } from 'node:child_process';
import { beforeAll, expect, it } from 'vitest';
import { repoRoot } from '../../src/warehouse/dataform-cli.ts';
import { nodeCommand } from '../helpers/processes.ts';

const fixture = 'test/lock/fixtures/terminate-after-outage.ts';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(...args: string[]): Promise<Run> {
  const [cmd, argv] = nodeCommand(fixture, args);
  const child = spawn(cmd, argv, { cwd: repoRoot, env: { ...process.env, FIRESTORE_EMULATOR_HOST: '' }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

// Both processes start at once: each spends its time starting up and waiting out the abandoned call, not computing.
let outage: Promise<Run>;
let otherRejection: Promise<Run>;
beforeAll(() => {
  outage = run();
  otherRejection = run('other-rejection');
});

it('terminating a client with an abandoned call leaves the process alive and exiting 0', async () => {
  const r = await outage;
  expect(r.stderr).not.toContain('The client has already been terminated');
  expect([r.status, r.stdout.trim()]).toEqual([0, 'finished']);
}, 60_000);

it('any other unhandled rejection still crashes the process', async () => {
  const r = await otherRejection;
  expect(r.status).not.toBe(0);
  expect(r.stderr).toContain('some other failure');
  expect(r.stdout).not.toContain('finished');
}, 60_000);
