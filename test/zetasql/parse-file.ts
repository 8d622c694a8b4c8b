/**
 * Reads one ZetaSQL compliance `*.test` file into cases: `==` separates cases, `[option=value]` lines come before
 * the statement, `--` separates the statement from its expected result. `[default X=...]` and `[default_time_zone=...]`
 * set X for the rest of the file (see the compliance README).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ComplianceCase {
  file: string;
  /** `file:name`, unique within the corpus (a repeated name gets `#2`, `#3`). */
  id: string;
  name: string;
  sql: string;
  /** The expected-result text (a typed value or `ERROR: ...`). */
  expected: string;
  prepare: boolean;
  requiredFeatures: string[];
  forbiddenFeatures: string[];
  labels: string[];
  /** Raw `[parameters=...]` text: `expr AS name, ...`. */
  parameters?: string;
  timeZone: string;
  primaryKeyMode?: string;
  /** Options BigQuery has no counterpart for (proto files, ...), as `name=value`. */
  otherOptions: string[];
}

const ZETASQL_DEFAULT_TIME_ZONE = 'America/Los_Angeles';

const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** Splits `[a=b]` option blocks (which may span lines) off the top of a chunk; returns them and the rest. */
function takeOptions(lines: string[]): { options: Array<[string, string]>; rest: string[] } {
  const options: Array<[string, string]> = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('#')) {
      i++;
      continue;
    }
    if (!line.startsWith('[')) break;
    let text = line;
    while (!text.endsWith(']') && i + 1 < lines.length) text += '\n' + lines[++i];
    i++;
    const body = text.slice(1, -1);
    const eq = body.indexOf('=');
    options.push(eq < 0 ? [body.trim(), ''] : [body.slice(0, eq).trim(), body.slice(eq + 1).trim()]);
  }
  return { options, rest: lines.slice(i) };
}

export function parseComplianceText(file: string, text: string): ComplianceCase[] {
  const chunks = text.split(/^==\s*$/m);
  const defaults = new Map<string, string>();
  let timeZone = ZETASQL_DEFAULT_TIME_ZONE;
  const seen = new Map<string, number>();
  const out: ComplianceCase[] = [];
  for (const chunk of chunks) {
    const { options, rest } = takeOptions(chunk.split('\n'));
    const own = new Map<string, string>();
    for (const [k, v] of options) {
      if (k.startsWith('default ')) defaults.set(k.slice(8).trim(), v);
      else if (k === 'default_time_zone') timeZone = v;
      else own.set(k, v);
    }
    const body = rest.join('\n');
    const blocks = body.split(/^--\s*$/m);
    if (blocks.length < 2 && !(own.has('prepare_database') && body.trim())) continue;
    if (blocks.length < 2) blocks.push('');
    // One file has a stray `--` before its statement: the statement is then the middle block.
    let sql = blocks[0].trim();
    let expected = blocks.slice(1).join('--').trim();
    if (!sql && blocks.length > 2) {
      sql = blocks[1].trim();
      expected = blocks.slice(2).join('--').trim();
    }
    // A statement line that starts with `--` (a SQL comment) is written `\--` so as not to end the statement.
    sql = sql.replace(/^\\--/gm, '--');
    const opt = (k: string) => own.get(k) ?? defaults.get(k);
    const prepare = own.has('prepare_database');
    const name = own.get('name') ?? (prepare ? `prepare_database_${out.length}` : `unnamed_${out.length}`);
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    const known = new Set([
      'name',
      'required_features',
      'forbidden_features',
      'labels',
      'parameters',
      'prepare_database',
      'primary_key_mode',
      'global_labels',
      'skip_required_feature_integrity_check',
      'prepare_database_additional_features',
      'extract_labels',
    ]);
    out.push({
      file,
      id: `${file.replace(/\.test$/, '')}:${name}${n > 1 ? `#${n}` : ''}`,
      name,
      sql,
      expected,
      prepare,
      requiredFeatures: [...list(opt('required_features')), ...(prepare ? list(own.get('prepare_database_additional_features')) : [])],
      forbiddenFeatures: list(opt('forbidden_features')),
      labels: [...list(opt('labels')), ...list(opt('global_labels'))],
      parameters: own.get('parameters'),
      timeZone,
      primaryKeyMode: own.get('primary_key_mode'),
      otherOptions: [...own, ...[...defaults].filter(([k]) => !own.has(k))].filter(([k]) => !known.has(k)).map(([k, v]) => `${k}=${v}`),
    });
  }
  return out;
}

export function parseComplianceFile(dir: string, file: string): ComplianceCase[] {
  return parseComplianceText(file, readFileSync(join(dir, file), 'utf8'));
}
