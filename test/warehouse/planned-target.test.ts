/** The target a dry run shows is the one the real run will use (same project resolution as openStack). */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/runner/exit-codes.ts';
import { plannedTarget } from '../../src/warehouse/stack.ts';

describe('plannedTarget', () => {
  it('bigquery: GOOGLE_CLOUD_PROJECT and BIGQUERY_LOCATION, and refuses to guess a project', () => {
    expect(plannedTarget('bigquery', { GOOGLE_CLOUD_PROJECT: 'prod-grading', BIGQUERY_LOCATION: 'EU' })).toMatchObject({
      kind: 'bigquery',
      projectId: 'prod-grading',
      location: 'EU',
      dataset: 'nba_predictions',
    });
    expect(() => plannedTarget('bigquery', {})).toThrow(/needs GOOGLE_CLOUD_PROJECT/);
    expect(() => plannedTarget('bigquery', { GOOGLE_CLOUD_PROJECT: "x'; DROP TABLE t" })).toThrow();
  });

  it('bigquery: an emulator variable is bad input naming the variable (the client libraries would follow it)', () => {
    const prod = { GOOGLE_CLOUD_PROJECT: 'prod-grading' };
    expect(() => plannedTarget('bigquery', { ...prod, BIGQUERY_EMULATOR_HOST: 'http://127.0.0.1:9050' })).toThrow(UsageError);
    expect(() => plannedTarget('bigquery', { ...prod, BIGQUERY_EMULATOR_HOST: 'http://127.0.0.1:9050' })).toThrow(/BIGQUERY_EMULATOR_HOST=http:\/\/127.0.0.1:9050/);
    expect(() => plannedTarget('bigquery', { ...prod, FIRESTORE_EMULATOR_HOST: '127.0.0.1:8080' })).toThrow(/FIRESTORE_EMULATOR_HOST=127.0.0.1:8080/);
  });

  it('local: the reused emulator honours GOOGLE_CLOUD_PROJECT; a stack the command starts uses the emulator project', () => {
    expect(plannedTarget('local', { BIGQUERY_EMULATOR_HOST: 'http://127.0.0.1:9050', GOOGLE_CLOUD_PROJECT: 'my-local-proj' })).toMatchObject({
      kind: 'local',
      projectId: 'my-local-proj',
      emulatorUrl: 'http://127.0.0.1:9050',
    });
    expect(plannedTarget('local', { GOOGLE_CLOUD_PROJECT: 'my-local-proj' })).toMatchObject({ kind: 'local', projectId: 'gradeguard-local' });
  });
});
