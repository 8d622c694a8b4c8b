/**
 * The frame of every gradeguard command: strict flag parsing (unknown flags and stray arguments are bad input),
 * `--help`, and errors mapped to the documented exit codes. Scripts stay thin: parse, then call the library.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ExitCode, exitCodeHelp, exitCodeOf, UsageError } from '../runner/exit-codes.ts';
import { createLogger, type Logger } from '../log/logger.ts';
import { DependencyUnavailableError } from '../warehouse/probe.ts';
import { LockUnavailableError } from '../lock/errors.ts';
import { resolveWebhookUrl } from '../alerts/webhook-url.ts';
import { SLACK_SECRET_OPTION, SLACK_SECRET_USAGE } from '../alerts/for-command.ts';
import { usageAsInvoked } from './invocation.ts';

export { duration, leaseDuration } from './duration.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface CommandSpec<O extends Options> {
  name: string;
  /** Usage text without the exit codes (appended). */
  usage: string;
  options: O;
  /** Positional arguments allowed (subcommands); default none. */
  allowPositionals?: boolean;
  /**
   * The command sends alerts: it gets `--slack-secret` (one definition for every such command) and the webhook URL,
   * resolved and validated before `run` (a malformed URL or secret name is bad input, exit 2).
   */
  alerts?: boolean;
  run(args: { values: ParsedValues<O>; positionals: string[]; log: Logger; webhookUrl: string | undefined }): Promise<number>;
}

export type ParsedValues<O extends Options> = {
  [K in keyof O]: O[K] extends { type: 'boolean' } ? boolean | undefined : O[K] extends { multiple: true } ? string[] | undefined : string | undefined;
};

/** Parses argv, runs the command, exits with its code. Never returns. */
export async function runCommand<O extends Options>(spec: CommandSpec<O>, argv = process.argv.slice(2)): Promise<never> {
  const usage = `${usageAsInvoked(spec.name, spec.usage).trimEnd()}${spec.alerts ? `\n${SLACK_SECRET_USAGE}` : ''}\n\n${exitCodeHelp}\n`;
  const options = { ...spec.options, ...(spec.alerts ? SLACK_SECRET_OPTION : {}) };
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: negativeValuesInline(argv, options),
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: spec.allowPositionals ?? false,
      strict: true,
    }) as { values: Record<string, unknown>; positionals: string[] };
  } catch (error) {
    process.stderr.write(`${spec.name}: ${(error as Error).message}\n\n${usage}`);
    process.exit(ExitCode.badInput);
  }
  if (parsed.values.help) {
    process.stdout.write(usage);
    process.exit(ExitCode.ok);
  }
  const log = createLogger(spec.name);
  let code: number;
  try {
    const webhookUrl = spec.alerts ? await resolveWebhookUrl({ slackSecret: parsed.values['slack-secret'] as string | undefined }) : undefined;
    code = await spec.run({ values: parsed.values as unknown as ParsedValues<O>, positionals: parsed.positionals, log, webhookUrl });
  } catch (error) {
    code = exitCodeOf(error);
    if (error instanceof UsageError) {
      process.stderr.write(`${spec.name}: ${error.message}\n\nRun with --help for usage.\n`);
    } else if (error instanceof DependencyUnavailableError || error instanceof LockUnavailableError) {
      // Expected: said plainly (what, where, what to run), no stack trace; the JSON line keeps it queryable.
      log.error(error.message, { event: 'dependency_unavailable' });
      if (!process.stderr.isTTY) process.stderr.write(`${spec.name}: ${error.message}\n`);
    } else if (code !== ExitCode.runFailed) {
      // A refusal with its own code (a busy lock: 4, a failed verification: 3): said plainly, no stack trace.
      process.stderr.write(`${spec.name}: ${(error as Error).message}\n`);
    } else {
      log.error(`${spec.name} failed`, { error: (error as Error).message, stack: (error as Error).stack?.split('\n').slice(1, 4).join(' | ') });
    }
  }
  // Let pending stdout drain before exiting (large --json outputs to a pipe).
  await new Promise<void>((resolve) => (process.stdout.write('') ? resolve() : process.stdout.once('drain', () => resolve())));
  process.exit(code);
}

/**
 * `--days -1` would be read by parseArgs as a flag missing its value ("argument is ambiguous"); a value that looks
 * like a negative number after a string option is that option's value, so its own validator can say what is wrong.
 */
function negativeValuesInline(argv: readonly string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--') return [...out, ...argv.slice(i)];
    const name = /^--([^=]+)$/.exec(argv[i])?.[1];
    if (name && options[name]?.type === 'string' && /^-[\d.]/.test(argv[i + 1] ?? '')) {
      out.push(`${argv[i]}=${argv[i + 1]}`);
      i++;
    } else out.push(argv[i]);
  }
  return out;
}

/** A positive integer flag value, or bad input. */
export function positiveInt(flag: string, value: string | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1 || Number(value) > max) throw new UsageError(`Invalid ${flag} ${JSON.stringify(value)}: expected an integer from 1 to ${max}`);
  return Number(value);
}

/** One of a fixed set of values, or bad input. */
export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`Invalid ${flag} ${JSON.stringify(value)}: expected one of ${allowed.join(', ')}`);
  return value as T;
}
