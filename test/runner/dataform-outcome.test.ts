import { describe, expect, it } from 'vitest';
import { classifyDataformRun } from '../../src/runner/dataform-outcome.ts';

const result = (code: number, stdout: string, stderr = '') => ({ code, stdout, stderr, durationMs: 1 });

describe('classifying a dataform run', () => {
  it('exit 0 with "No actions to run." is not a success', () => {
    expect(classifyDataformRun(result(0, 'Compiling...\nNo actions to run.\n')).kind).toBe('no_actions');
  });

  it('assertion failures are named', () => {
    const o = classifyDataformRun(result(1, 'Table created: nba.x\n', 'Assertion failed:  nba_assertions.assert_prediction_accuracy_unique_key\n  > select ...\n  bigquery error: Assertion failed: query returned 2 row(s).\n'));
    expect(o.kind).toBe('assertion_failed');
    expect(o.failedAssertions).toEqual(['nba_assertions.assert_prediction_accuracy_unique_key']);
  });

  it('fence rejections and transaction aborts are told apart from other failures', () => {
    expect(classifyDataformRun(result(1, '', 'Operation failed:  nba.prediction_accuracy\n  bigquery error: gradeguard_fence_rejected: token 3 < 5\n')).kind).toBe('fence_rejected');
    expect(classifyDataformRun(result(1, '', 'Operation failed:  nba.prediction_accuracy\n  bigquery error: Transaction is aborted due to concurrent update against table p:nba.prediction_accuracy.\n')).kind).toBe('concurrent_abort');
    const other = classifyDataformRun(result(1, '', 'Table failed:  nba.x\n  bigquery error: Not found: Table p:nba.y\n'));
    expect(other.kind).toBe('failed');
    expect(other.message).toBe('Not found: Table p:nba.y');
  });

  it('a clean run is a success', () => {
    expect(classifyDataformRun(result(0, 'Table created:  nba.x [table]\nAssertion passed:  a.b\n')).kind).toBe('success');
  });
});
