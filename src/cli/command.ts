/**
 * The frame of every gradeguard command: strict flag parsing (unknown flags and stray arguments are bad input),
 * `--help`, and errors mapped to the documented exit codes. Scripts stay thin: parse, then call the library.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ExitCode, exitCodeHelp, UsageError } from '../runner/exit-codes.ts';
import { createLogger, type Logger } from '../log/logger.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface CommandSpec<O extends Options> {
  name: string;
  /** Usage text without the exit codes (appended). */
  usage: string;
  options: O;
  /** Positional arguments allowed (subcommands); default none. */
  allowPositionals?: boolean;
  run(args: { values: ParsedValues<O>; positionals: string[]; log: Logger }): Promise<number>;
}

export type ParsedValues<O extends Options> = {
  [K in keyof O]: O[K] extends { type: 'boolean' } ? boolean | undefined : O[K] extends { multiple: true } ? string[] | undefined : string | undefined;
};

/** Parses argv, runs the command, exits with its code. Never returns. */
export async function runCommand<O extends Options>(spec: CommandSpec<O>, argv = process.argv.slice(2)): Promise<never> {
  const usage = `${spec.usage.trimEnd()}\n\n${exitCodeHelp}\n`;
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...spec.options, help: { type: 'boolean', short: 'h' } },
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
    code = await spec.run({ values: parsed.values as unknown as ParsedValues<O>, positionals: parsed.positionals, log });
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${spec.name}: ${error.message}\n\nRun with --help for usage.\n`);
      code = ExitCode.badInput;
    } else {
      log.error(`${spec.name} failed`, { error: (error as Error).message, stack: (error as Error).stack?.split('\n').slice(1, 4).join(' | ') });
      code = ExitCode.runFailed;
    }
  }
  // Let pending stdout drain before exiting (large --json outputs to a pipe).
  await new Promise<void>((resolve) => (process.stdout.write('') ? resolve() : process.stdout.once('drain', () => resolve())));
  process.exit(code);
}

/** A positive integer flag value, or bad input. */
export function positiveInt(flag: string, value: string | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1 || Number(value) > max) throw new UsageError(`Invalid ${flag} ${JSON.stringify(value)}: expected an integer from 1 to ${max}`);
  return Number(value);
}

/** A duration like 90s, 10m, 2h or plain milliseconds, or bad input. */
export function duration(flag: string, value: string | undefined, fallbackMs: number): number {
  if (value === undefined) return fallbackMs;
  const match = /^(\d{1,9})(ms|s|m|h)?$/.exec(value);
  if (!match) throw new UsageError(`Invalid ${flag} ${JSON.stringify(value)}: expected a duration such as 30s, 10m or 1h`);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[(match[2] ?? 'ms') as 'ms' | 's' | 'm' | 'h'];
  return Number(match[1]) * unit;
}

/** One of a fixed set of values, or bad input. */
export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`Invalid ${flag} ${JSON.stringify(value)}: expected one of ${allowed.join(', ')}`);
  return value as T;
}
