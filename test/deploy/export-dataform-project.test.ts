/**
 * The branch a Google Cloud Dataform repository compiles: only the Dataform project, and a package.json whose one
 * dependency is the pinned @dataform/core (Dataform installs what that file lists). It compiles with the real CLI.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportDataformProject } from '../../deploy/export-dataform-project.ts';
import { localTarget, localProjectId } from '../../src/warehouse/target.ts';
import { prepareProject, repoRoot, runDataform } from '../../src/warehouse/dataform-cli.ts';
import { nodeCommand } from '../helpers/processes.ts';

const dir = join(mkdtempSync(join(repoRoot, '.local', 'export-')), 'dataform');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('deploy/export-dataform-project.ts', () => {
  it('writes only the Dataform project, with @dataform/core as the one dependency, and it compiles', async () => {
    exportDataformProject(dir);
    expect(readdirSync(dir).sort()).toEqual(['dataform.json', 'definitions', 'includes', 'package.json']);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const pinned = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).dependencies['@dataform/core'];
    expect(pkg.dependencies).toEqual({ '@dataform/core': pinned });
    expect(pkg.devDependencies).toBeUndefined();

    // prepareProject puts the installed @dataform/core next to a copy: what `npm install` of that package.json gives.
    const target = localTarget({ projectId: localProjectId(), emulatorUrl: '' });
    const compiled = await runDataform(['compile', '.', '--json', '--vars=game_date=2026-01-17'], { projectDir: prepareProject(dir), target, timeoutMs: 120_000 });
    expect(compiled.code, compiled.stderr).toBe(0);
    const graph = JSON.parse(compiled.stdout);
    expect(graph.graphErrors).toEqual({});
    expect(graph.operations.map((o: { target: { name: string } }) => o.target.name)).toContain('prediction_accuracy');
  }, 120_000);

  it('as a command: writes the folder it is given, exit 2 without one, and refuses a folder that is not empty', () => {
    const run = (args: string[]) => {
      const [cmd, argv] = nodeCommand('deploy/export-dataform-project.ts', args);
      return spawnSync(cmd, argv, { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
    };
    const usage = run([]);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('Usage: node --import tsx deploy/export-dataform-project.ts <out-dir>');
    const out = join(mkdtempSync(join(repoRoot, '.local', 'export-')), 'dataform');
    try {
      const written = run([out]);
      expect(written.status, written.stderr).toBe(0);
      expect(written.stdout).toContain(`Dataform project written to ${out}`);
      expect(readdirSync(out).sort()).toEqual(['dataform.json', 'definitions', 'includes', 'package.json']);
      const again = run([out]);
      // Bad input: exit 2, one line saying why, no stack trace.
      expect(again.status).toBe(2);
      expect(again.stderr.trim()).toBe(`export-dataform-project: ${out} is not empty`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
