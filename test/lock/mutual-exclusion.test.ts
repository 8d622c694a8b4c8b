import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { nodeCommand } from '../helpers/processes.ts';
import { testFirestore, type TestFirestore } from './helpers.ts';

// The compiled copy from the run's build (tsx would compile every module at each of these processes' starts).
const CONTENDER = nodeCommand('tools/harness/lock-contender.ts', []);
const PROCESSES = 20;
const ROUNDS = 3;

let firestore: TestFirestore;
let dir: string;
const children: ChildProcess[] = [];
beforeAll(async () => {
  firestore = await testFirestore();
  dir = mkdtempSync(join(tmpdir(), 'gradeguard-lock-'));
});
afterAll(async () => {
  // Only matters when the test failed or timed out half-way.
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await firestore?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test(`${PROCESSES} processes × ${ROUNDS} rounds on one key: never two holders, tokens strictly increase`, async () => {
  const journal = join(dir, 'journal');
  const go = join(dir, 'go');
  writeFileSync(journal, '');
  children.push(
    ...Array.from({ length: PROCESSES }, () =>
      spawn(CONTENDER[0], CONTENDER[1], {
        env: {
          ...process.env,
          FIRESTORE_EMULATOR_HOST: firestore.host,
          PROJECT_ID: firestore.projectId,
          LOCK_TYPE: 'grading',
          SCOPE: '2026-01-17',
          ROUNDS: String(ROUNDS),
          HOLD_MS: '3',
          JOURNAL: journal,
          MARKER: join(dir, 'holder'),
          CONTENDER_GO: go,
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      }),
    ),
  );
  const exits = children.map((child) => new Promise<number | null>((resolve) => child.on('exit', resolve)));
  await Promise.all(children.map((child) => new Promise((resolve) => child.stdout!.once('data', resolve))));
  writeFileSync(go, '');
  expect(await Promise.all(exits)).toEqual(Array(PROCESSES).fill(0));

  const lines = readFileSync(journal, 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(' '));
  expect(lines.filter(([kind]) => kind === 'overlap')).toEqual([]);
  // The journal is appended in real order: every enter must be followed by its own exit before the next enter.
  let inside: string | undefined;
  let lastToken = 0;
  for (const [kind, token] of lines) {
    if (kind === 'enter') {
      expect(inside, `token ${token} entered while ${inside} was inside`).toBeUndefined();
      expect(Number(token)).toBeGreaterThan(lastToken);
      lastToken = Number(token);
      inside = token;
    } else {
      expect(token).toBe(inside);
      inside = undefined;
    }
  }
  const enters = lines.filter(([kind]) => kind === 'enter');
  expect(enters).toHaveLength(PROCESSES * ROUNDS);
  // The processes really contended: holders interleave rather than each running its rounds alone.
  const switches = enters.filter(([, , pid], i) => i > 0 && pid !== enters[i - 1][2]).length;
  expect(switches).toBeGreaterThanOrEqual(PROCESSES);
}, 150_000); // Twenty Node processes starting on two shared cores: mostly start-up time.
