/**
 * cleanup: the one-time removal of duplicate business keys from a table — backup, dedupe, verify, swap — resumable and
 * reversible. See docs/cleanup.md. Logic: src/cleanup/ (the command: src/cleanup/command.ts).
 */
import { runCommand } from '../src/cli/command.ts';
import { cleanupOptions, cleanupUsage, runCleanupCommand } from '../src/cleanup/command.ts';

await runCommand({ name: 'cleanup', usage: cleanupUsage, allowPositionals: true, alerts: true, options: cleanupOptions, run: runCleanupCommand });
