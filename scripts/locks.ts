/**
 * `npm run locks -- list | stuck [--older-than 10m] | release <type> <scope> [--force]`: who holds what, since when,
 * with which token; circuit breakers; and releasing a lock by hand (audited in `<type>_lock_audit`, logged).
 */
import { resolveWebhookUrl } from '../src/alerts/index.ts';
import { duration, runCommand } from '../src/cli/command.ts';
import { InvalidLockNameError } from '../src/lock/index.ts';
import { lockNames } from '../src/lock/names.ts';
import { openFirestore } from '../src/monitor/firestore-target.ts';
import { releaseByHand } from '../src/monitor/release.ts';
import { listAllLocks, listCircuits, lockRow, stuckLocks, textTable } from '../src/monitor/lock-admin.ts';
import { ExitCode, UsageError } from '../src/runner/exit-codes.ts';
import { parseTargetKind } from '../src/warehouse/target.ts';

await runCommand({
  name: 'locks',
  usage: `Usage: npm run locks -- list [--type T] [--json]
       npm run locks -- stuck [--older-than 10m] [--type T] [--json]
       npm run locks -- release <type> <scope> [--force] [--reason TEXT]

  list      every lock (held and expired-but-not-yet-deleted) with holder, operation, token, since, renewals,
            and every circuit breaker (gradeguard_circuits)
  stuck     locks held longer than --older-than (default 10m; a duration with a unit: 30s, 10m, 1h) or expired without a release; exit 3 when any
  release   deletes a lock document, audited in <type>_lock_audit. Without --force only an expired lock is
            released; a live holder needs --force (its next renewal fails and it stops before committing;
            its fencing token stays refused by the storage side). A live lock without --force: exit 4.
  --type T        only this lock type (grading, consolidation, cleanup, ...)
  --target KIND   local (FIRESTORE_EMULATOR_HOST) or bigquery (real Firestore in GOOGLE_CLOUD_PROJECT)
  --json          machine-readable output`,
  allowPositionals: true,
  options: {
    'older-than': { type: 'string' },
    type: { type: 'string', multiple: true },
    force: { type: 'boolean' },
    reason: { type: 'string' },
    target: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values, positionals, log }) {
    const [sub, ...rest] = positionals;
    if (!sub || !['list', 'stuck', 'release'].includes(sub)) throw new UsageError(`Expected a subcommand: list, stuck or release (got ${JSON.stringify(sub ?? '')})`);
    const olderThanMs = duration('--older-than', values['older-than'], 10 * 60_000, { min: 1_000 });
    if (sub !== 'stuck' && values['older-than'] !== undefined) throw new UsageError('--older-than applies to stuck only');
    if (sub !== 'release' && (values.force || values.reason !== undefined)) throw new UsageError('--force and --reason apply to release only');
    if (sub === 'release' ? rest.length !== 2 : rest.length !== 0) throw new UsageError(sub === 'release' ? 'release needs <type> <scope>' : `${sub} takes no arguments`);
    try {
      for (const type of values.type ?? []) lockNames(type, 'x');
      if (sub === 'release') lockNames(rest[0], rest[1]);
    } catch (error) {
      if (error instanceof InvalidLockNameError) throw new UsageError(error.message);
      throw error;
    }
    const kind = parseTargetKind(values.target);
    // Every gradeguard command validates the alert configuration up front, so a typo shows before it matters.
    await resolveWebhookUrl({});
    const handle = await openFirestore(kind, log);
    const out = (text: string) => process.stdout.write(text);
    try {
      const db = handle.firestore;
      if (sub === 'list') {
        const [locks, circuits] = await Promise.all([listAllLocks(db, values.type), listCircuits(db)]);
        if (values.json) out(JSON.stringify({ locks: locks.map((l) => lockRow(l)), circuits }, null, 2) + '\n');
        else {
          out(
            textTable(
              locks.map((l) => lockRow(l)),
              'no locks',
            ),
          );
          out(
            '\n' +
              textTable(
                circuits.map((c) => ({
                  circuit: c.operation,
                  state: c.state,
                  failures: c.consecutiveFailures,
                  opened: c.openedAt ?? '',
                  reopens: c.reopensAt ?? '',
                  last_error: (c.lastError ?? '').slice(0, 80),
                })),
                'no circuit breakers',
              ),
          );
        }
        return ExitCode.ok;
      }
      if (sub === 'stuck') {
        const stuck = await stuckLocks(db, olderThanMs, values.type);
        if (values.json) out(JSON.stringify({ olderThanMs, stuck: stuck.map((l) => lockRow(l)) }, null, 2) + '\n');
        else
          out(
            textTable(
              stuck.map((l) => lockRow(l)),
              `no lock held longer than ${values['older-than'] ?? '10m'}`,
            ),
          );
        return stuck.length ? ExitCode.duplicatesOrAssertion : ExitCode.ok;
      }
      const [type, scope] = rest;
      const release = await releaseByHand(db, { lockType: type, scope, force: Boolean(values.force), reason: values.reason }, log);
      if (release.outcome === 'not_held') {
        out(values.json ? JSON.stringify({ released: false, reason: 'not_held', type, scope }) + '\n' : `${type} ${scope}: not held\n`);
        return ExitCode.ok;
      }
      if (release.outcome === 'live_holder') {
        const { lock } = release;
        out(
          values.json
            ? JSON.stringify({ released: false, reason: 'live_holder', lock: lockRow(lock) }) + '\n'
            : `${type} ${scope} is held by ${lock.holderId} (operation ${lock.operationId}, token ${lock.token}) until ${lock.expiresAt.toISOString()}; pass --force to release it anyway\n`,
        );
        return ExitCode.lockNotAcquired;
      }
      if (release.outcome === 'taken_over') {
        const { lock } = release;
        out(
          values.json
            ? JSON.stringify({ released: false, reason: 'taken_over', lock: lockRow(lock) }) + '\n'
            : `${type} ${scope} changed hands meanwhile (now ${lock.holderId}, token ${lock.token}); not released\n`,
        );
        return ExitCode.lockNotAcquired;
      }
      const { lock: released, reason } = release;
      out(
        values.json
          ? JSON.stringify({ released: Boolean(released), lock: released ? lockRow(released) : null, reason }) + '\n'
          : released
            ? `released ${type} ${scope} (holder ${released.holderId}, token ${released.token}); audited in ${type}_lock_audit\n`
            : `${type} ${scope}: already gone\n`,
      );
      return ExitCode.ok;
    } finally {
      await handle.close();
    }
  },
});
