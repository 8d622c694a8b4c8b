/**
 * deploy/gcloud-setup.sh cannot run here (no Google Cloud account, no network to Google): its syntax is checked with
 * `bash -n` and its DRY_RUN=1 mode prints every gcloud/bq/curl command it would send, which is checked against what
 * docs/operations.md promises: the cleanup's identity may delete table snapshots, the Dataform release configuration has
 * no schedule and no static vars, and the scheduled grade job runs through the Dataform API with settings our own
 * parser accepts.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseExecutor } from '../../src/runner/executors/open-executor.ts';
import { repoRoot } from '../../src/warehouse/dataform-cli.ts';

const SCRIPT = join(repoRoot, 'deploy', 'gcloud-setup.sh');
const PROJECT = 'nba-grading-prod';
const REPOSITORY = `projects/${PROJECT}/locations/us-central1/repositories/gradeguard`;

function dryRun(env: NodeJS.ProcessEnv) {
  const run = spawnSync('bash', [SCRIPT], { cwd: repoRoot, env: { PATH: process.env.PATH, HOME: process.env.HOME, DRY_RUN: '1', TAG: 'test', ...env }, encoding: 'utf8', timeout: 120_000 });
  return {
    code: run.status,
    stderr: run.stderr,
    commands: run.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as string[]),
  };
}

const flag = (command: string[], name: string) => command.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);

describe('deploy/gcloud-setup.sh', () => {
  it('is valid bash', () => {
    const run = spawnSync('bash', ['-n', SCRIPT], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
  });

  it('refuses to start without the project (nothing printed)', () => {
    const run = dryRun({});
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('set PROJECT');
    expect(run.commands).toEqual([]);
  });

  it('DRY_RUN=1: the roles, the Dataform repository and release configuration, the jobs and their schedules', () => {
    const run = dryRun({ PROJECT, GIT_REMOTE: 'https://git.example.invalid/gradeguard.git', GIT_TOKEN_SECRET: `projects/${PROJECT}/secrets/git/versions/1` });
    expect(run.code, run.stderr).toBe(0);
    const runner = `serviceAccount:gradeguard-runner@${PROJECT}.iam.gserviceaccount.com`;

    // bigquery.tables.deleteSnapshot (cleanup resume) is in Data Owner, not Data Editor: granted on the dataset only.
    const bq = run.commands.filter((c) => c[0] === 'bq');
    expect(bq).toEqual([['bq', 'add-iam-policy-binding', `--member=${runner}`, '--role=roles/bigquery.dataOwner', `${PROJECT}:nba_predictions`]]);
    const projectRoles = run.commands.filter((c) => c.slice(0, 3).join(' ') === 'gcloud projects add-iam-policy-binding' && flag(c, '--member') === runner).map((c) => flag(c, '--role'));
    expect(projectRoles.sort()).toEqual(['roles/bigquery.dataEditor', 'roles/bigquery.jobUser', 'roles/datastore.user']);

    // The release configuration: the exported branch, the production project; no cron schedule and no static vars
    // (a scheduled release would compile without a run's dates, which this project refuses).
    const body = (url: RegExp) => JSON.parse(run.commands.find((c) => c[0] === 'curl' && c.some((a) => url.test(a)))!.at(-1)!);
    const release = body(/releaseConfigs\?releaseConfigId=production$/);
    expect(release).toEqual({ gitCommitish: 'dataform-release', codeCompilationConfig: { defaultDatabase: PROJECT, defaultLocation: 'US' } });
    const repository = body(/repositories\?repositoryId=gradeguard$/);
    expect(repository.gitRemoteSettings.defaultBranch).toBe('dataform-release');

    // The scheduled grade job: the Dataform API executor at the release configuration, settings our parser accepts.
    const grade = run.commands.find((c) => c.slice(0, 5).join(' ') === 'gcloud run jobs create gradeguard-grade')!;
    const args = flag(grade, '--args')!.split(',');
    // The image's entry point is the gradeguard dispatcher (Dockerfile): the first argument is its command.
    expect(args[0]).toBe('grade');
    expect(args).toEqual(expect.arrayContaining(['--target', 'bigquery', '--executor', 'dataform-api']));
    const env = Object.fromEntries(
      flag(grade, '--set-env-vars')!
        .split(',')
        .map((kv) => kv.split('=') as [string, string]),
    );
    expect(env.GRADEGUARD_DATAFORM_REPOSITORY).toBe(REPOSITORY);
    const value = (name: string) => args[args.indexOf(name) + 1];
    expect(parseExecutor({ executor: value('--executor'), 'dataform-release-config': value('--dataform-release-config') }, 'bigquery', env)).toEqual({
      kind: 'dataform-api',
      api: { repository: REPOSITORY, releaseConfig: 'production' },
    });
    const schedules = run.commands.filter((c) => c.slice(0, 4).join(' ') === 'gcloud scheduler jobs create').map((c) => [c[5], flag(c, '--schedule')]);
    expect(schedules).toEqual([
      ['gradeguard-grade-trigger', '30 6 * * *'],
      ['gradeguard-check-trigger', '0 8 * * *'],
      ['gradeguard-monitor-trigger', '*/5 * * * *'],
    ]);
  }, 120_000);
});
