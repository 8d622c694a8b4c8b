import { describe, expect, it } from 'vitest';
import { classifyDataformRun } from '../../src/runner/dataform-outcome.ts';

const result = (code: number, stdout: string, stderr = '') => ({ code, stdout, stderr, durationMs: 1 });

describe('classifying a dataform run', () => {
  it('exit 0 with "No actions to run." is not a success', () => {
    expect(classifyDataformRun(result(0, 'Compiling...\nNo actions to run.\n')).kind).toBe('no_actions');
  });

  it('assertion failures are named', () => {
    const o = classifyDataformRun(
      result(1, 'Table created: nba.x\n', 'Assertion failed:  nba_assertions.assert_prediction_accuracy_unique_key\n  > select ...\n  bigquery error: Assertion failed: query returned 2 row(s).\n'),
    );
    expect(o.kind).toBe('assertion_failed');
    expect(o.failedAssertions).toEqual(['nba_assertions.assert_prediction_accuracy_unique_key']);
  });

  it('fence rejections and transaction aborts are told apart from other failures', () => {
    expect(classifyDataformRun(result(1, '', 'Operation failed:  nba.prediction_accuracy\n  bigquery error: gradeguard_fence_rejected: token 3 < 5\n')).kind).toBe('fence_rejected');
    expect(
      classifyDataformRun(result(1, '', 'Operation failed:  nba.prediction_accuracy\n  bigquery error: Transaction is aborted due to concurrent update against table p:nba.prediction_accuracy.\n')),
    ).toMatchObject({ kind: 'retryable', retryReason: 'transaction_aborted' });
    expect(classifyDataformRun(result(1, '', 'Operation failed:  nba.grading_runs\n  bigquery error: Could not serialize access to table p:nba.grading_runs due to concurrent update\n'))).toMatchObject({
      kind: 'retryable',
      retryReason: 'serialize_conflict',
      message: 'Could not serialize access to table p:nba.grading_runs due to concurrent update',
    });
    expect(
      classifyDataformRun(
        result(1, '', 'Operation failed:  nba.grading_runs\n  bigquery error: Resources exceeded during query execution: Too many DML statements outstanding against table p:nba.grading_runs, limit is 20.\n'),
      ),
    ).toMatchObject({ kind: 'retryable', retryReason: 'dml_outstanding' });
    expect(classifyDataformRun(result(1, '', 'View failed:  nba.prediction_accuracy_deduped\n  bigquery error: Exceeded rate limits: too many table update operations for this table.\n'))).toMatchObject({
      kind: 'retryable',
      retryReason: 'rate_limited',
    });
    // A longer-term quota is not retried.
    expect(classifyDataformRun(result(1, '', 'Table failed:  nba.x\n  bigquery error: Quota exceeded: Your table exceeded quota for imports or query appends per table\n')).kind).toBe('failed');
    const other = classifyDataformRun(result(1, '', 'Table failed:  nba.x\n  bigquery error: Not found: Table p:nba.y\n'));
    expect(other.kind).toBe('failed');
    expect(other.message).toBe('Not found: Table p:nba.y');
  });

  it('a clean run is a success', () => {
    expect(classifyDataformRun(result(0, 'Table created:  nba.x [table]\nAssertion passed:  a.b\n')).kind).toBe('success');
  });
});
