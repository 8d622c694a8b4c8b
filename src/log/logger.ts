/**
 * Structured logging: JSON lines with `severity` and `message` (Cloud Logging's convention) when
 * stderr is not a TTY, readable text when it is. Logs go to stderr so stdout stays free for
 * `--json` results and tables.
 */
export type Severity = 'DEBUG' | 'INFO' | 'NOTICE' | 'WARNING' | 'ERROR' | 'CRITICAL';

const rank: Record<Severity, number> = { DEBUG: 0, INFO: 1, NOTICE: 2, WARNING: 3, ERROR: 4, CRITICAL: 5 };

interface LogSink {
  write(line: string): unknown;
  isTTY?: boolean;
}

export interface Logger {
  log(severity: Severity, message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  critical(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  sink?: LogSink;
  /** Force JSON (true) or text (false); default: JSON unless the sink is a TTY. */
  json?: boolean;
  /** Lowest severity written; default from GRADEGUARD_LOG_LEVEL or INFO. */
  level?: Severity;
  fields?: Record<string, unknown>;
}

/** Where a live terminal view (src/cli/live-tasks.ts) takes the text log lines meant for its stream while it is up. */
export interface TerminalLogRoute {
  stream: LogSink;
  write(severity: Severity, line: string): void;
}

let terminalRoute: TerminalLogRoute | undefined;

/** Routes text log lines written to `route.stream` through the route until the returned function is called. */
export function routeTerminalLogs(route: TerminalLogRoute): () => void {
  const previous = terminalRoute;
  terminalRoute = route;
  return () => {
    if (terminalRoute === route) terminalRoute = previous;
  };
}

function envLevel(): Severity {
  const v = (process.env.GRADEGUARD_LOG_LEVEL ?? 'INFO').toUpperCase();
  return v in rank ? (v as Severity) : 'INFO';
}

export function createLogger(component: string, options: LoggerOptions = {}): Logger {
  const sink = options.sink ?? process.stderr;
  const json = options.json ?? !sink.isTTY;
  const level = options.level ?? envLevel();
  const base = { component, ...options.fields };

  const log = (severity: Severity, message: string, fields: Record<string, unknown> = {}) => {
    if (rank[severity] < rank[level]) return;
    const entry = { severity, message, time: new Date().toISOString(), ...base, ...fields };
    if (json) {
      sink.write(JSON.stringify(entry, jsonSafe) + '\n');
      return;
    }
    const extras = Object.entries({ ...base, ...fields })
      .filter(([k]) => k !== 'component')
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v, jsonSafe)}`)
      .join(' ');
    const line = `${entry.time.slice(11, 23)} ${severity.padEnd(8)} [${component}] ${message}${extras ? '  ' + extras : ''}\n`;
    if (terminalRoute?.stream === sink) terminalRoute.write(severity, line);
    else sink.write(line);
  };

  return {
    log,
    debug: (m, f) => log('DEBUG', m, f),
    info: (m, f) => log('INFO', m, f),
    warn: (m, f) => log('WARNING', m, f),
    error: (m, f) => log('ERROR', m, f),
    critical: (m, f) => log('CRITICAL', m, f),
    child: (fields) => createLogger(component, { ...options, sink, json, level, fields: { ...options.fields, ...fields } }),
  };
}

function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}
