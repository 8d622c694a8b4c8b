/**
 * The production image without Docker: this assembles what the Dockerfile's final stage copies — the toolkit built
 * without anything local-only (`npm run build -- --production`: no emulator package, no tools/), `npm ci --omit=dev` of the production manifest
 * (deploy/production-manifest.mjs: the root's, without the emulator workspace), dataform.json, definitions/,
 * includes/ — in a folder outside the repository, and runs its entry point with plain node. A test of the Dockerfile's
 * text ties the two together: a COPY added to the image and not here fails it.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../src/warehouse/dataform-cli.ts';

const app = mkdtempSync(join(tmpdir(), 'gg-image-'));
afterAll(() => rmSync(app, { recursive: true, force: true }));

// What Cloud Run gives the job (gcloud-setup.sh), nothing of this machine's emulators.
const imageEnv = { PATH: process.env.PATH ?? '', HOME: app, NODE_ENV: 'production', GOOGLE_CLOUD_PROJECT: 'gradeguard-prod', SLACK_WEBHOOK_URL: '' };
const run = (cmd: string, args: string[], cwd = app, env: Record<string, string> = imageEnv) => spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 540_000 });
const gradeguard = (args: string[], env: Record<string, string> = {}) => run(process.execPath, [join(app, 'dist/scripts/gradeguard.js'), ...args], app, { ...imageEnv, ...env });

beforeAll(() => {
  const build = run(process.execPath, [join(repoRoot, 'deploy/build.mjs'), '--production', '--out-dir', join(app, 'dist')], repoRoot, { ...imageEnv, HOME: process.env.HOME ?? app });
  expect(build.status, build.stderr).toBe(0);
  const manifest = run(process.execPath, [join(repoRoot, 'deploy/production-manifest.mjs'), app], repoRoot);
  expect(manifest.status, manifest.stderr).toBe(0);
  // --prefer-offline: the packages are in npm's cache after the repository's own npm ci.
  const install = run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], app, { ...imageEnv, HOME: process.env.HOME ?? app });
  expect(install.status, install.stderr).toBe(0);
  for (const entry of ['dataform.json', 'definitions', 'includes']) cpSync(join(repoRoot, entry), join(app, entry), { recursive: true });
}, 600_000);

describe('the production image', () => {
  it("the Dockerfile's final stage copies what this test assembles and runs the built entry point", () => {
    const stages = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8').split(/^FROM /m);
    const [build, final] = [stages.at(-2)!, stages.at(-1)!];
    expect(build).toMatch(/^RUN npm run build -- --production && node deploy\/production-manifest\.mjs production$/m);
    const copies = [...final.matchAll(/^COPY (.+)$/gm)].map((m) => m[1]);
    expect(copies).toEqual([
      '--from=build /app/production/package.json /app/production/package-lock.json ./',
      '--from=build /app/dist ./dist',
      'dataform.json ./',
      'definitions ./definitions',
      'includes ./includes',
    ]);
    expect(final).toMatch(/^RUN npm ci --omit=dev --ignore-scripts /m);
    expect(final).toMatch(/^ENTRYPOINT \["node", "dist\/scripts\/gradeguard\.js"\]$/m);
  });

  it('copies nothing that .dockerignore leaves out of the build context (docker build would fail on it)', () => {
    const patterns = readFileSync(join(repoRoot, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    expect(
      patterns.some((p) => p.startsWith('!')),
      'exceptions (!) are not modelled here',
    ).toBe(false);
    // Docker matches each pattern against the path from the context root (Go's filepath.Match, plus **); a match on a
    // folder leaves out everything under it.
    const toRegExp = (p: string) =>
      new RegExp(
        `^${p
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*\*/g, '\0')
          .replace(/\*/g, '[^/]*')
          .replace(/\?/g, '[^/]')
          .replace(/\0/g, '.*')}$`,
      );
    const ignored = patterns.map(toRegExp);
    const sources = [...readFileSync(join(repoRoot, 'Dockerfile'), 'utf8').matchAll(/^COPY (?!--from)(.+)$/gm)].flatMap((m) => m[1].trim().split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(5);
    for (const source of sources) {
      const prefixes = source.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
      const hit = ignored.find((re) => prefixes.some((prefix) => re.test(prefix)));
      expect(hit, `COPY ${source} is left out of the build context by .dockerignore (${hit})`).toBeUndefined();
    }
  });

  it("installs the runtime dependencies and none of the local stack's engines, the emulator package or the build tools", () => {
    for (const pkg of ['@dataform/cli', '@dataform/core', '@google-cloud/bigquery', '@google-cloud/firestore', 'google-auth-library']) expect(existsSync(join(app, 'node_modules', pkg)), pkg).toBe(true);
    for (const pkg of ['@duckdb', '@polyglot-sql', '@gradeguard', 'tsx', 'esbuild', 'typescript', 'vitest']) expect(existsSync(join(app, 'node_modules', pkg)), pkg).toBe(false);
    expect(existsSync(join(app, 'dist/node_modules'))).toBe(false);
  });

  it('ships none of the local-only tools (tools/: demo, chaos, synthetic data) nor the commands built on them', () => {
    expect(existsSync(join(app, 'dist/src/runner/locked-run.js'))).toBe(true);
    expect(existsSync(join(app, 'dist/scripts/grade.js'))).toBe(true);
    for (const path of ['dist/tools', 'dist/scripts/start.js', 'dist/scripts/chaos.js']) expect(existsSync(join(app, path)), path).toBe(false);
    const start = gradeguard(['start', '--help']);
    expect(start.status).toBe(1);
    expect(start.stderr).toBe('gradeguard start: a local-only tool (tools/), left out of this installation; run it from a clone of the repository: npm run start\n');
  });

  it('gradeguard --help and grade --help answer; a dry run compiles the Dataform project with the CLI', () => {
    expect(gradeguard(['--help']).stdout).toMatch(/^Usage: gradeguard <command>/);
    const help = gradeguard(['grade', '--help']);
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^Usage: gradeguard grade /);
    const dry = gradeguard(['grade', '--target', 'bigquery', '--date', '2026-01-17', '--dry-run', '--executor', 'dataform-api'], {
      GRADEGUARD_DATAFORM_REPOSITORY: 'projects/gradeguard-prod/locations/us-central1/repositories/gradeguard',
    });
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('FROM `gradeguard-prod.nba_predictions.player_game_summary`');
  });

  it('--target local says the image has no local stack', () => {
    const local = gradeguard(['check', '--target', 'local']);
    expect(local.status).toBe(1);
    expect(local.stderr).toContain('No local stack here: --target local needs the BigQuery emulator package (@gradeguard/bigquery-emulator), which this installation leaves out');
  });
});
