/**
 * The compliance figures as the docs print them (docs/conformance.md and the README's emulator section), generated
 * from a run: test/conformance/docs-table.ts writes them, zetasql.test.ts checks the docs still say what a run says.
 */
import { applicability } from './applicability.ts';
import type { CaseResult } from './run.ts';
import { DAILY_FAMILIES, percent, summarise, type Counts } from './summary.ts';

export const ZETASQL_DOC = ['<!-- zetasql-figures:begin -->', '<!-- zetasql-figures:end -->'] as const;
export const ZETASQL_README = ['<!-- zetasql-readme:begin -->', '<!-- zetasql-readme:end -->'] as const;

const row = (name: string, c: Counts) => `| ${name} | ${c.applicable} | ${c.pass} | ${percent(c)}% | ${c.refused} | ${c.error} | ${c.wrong} | ${c.excluded} |`;
const HEAD = ['| | applicable | pass | pass rate | refused (not supported) | other error | wrong answer | excluded |', '|---|---:|---:|---:|---:|---:|---:|---:|'];

function reasonText(key: string): string {
  const [kind, name] = key.split(' ');
  if (kind === 'feature') return applicability.features[name]?.reason ?? '';
  if (kind === 'file') return applicability.files[name]?.reason ?? '';
  if (kind === 'label') return applicability.labels[name]?.reason ?? '';
  if (kind === 'case') return applicability.cases[name.replace(/:$/, '')]?.reason ?? '';
  if (kind === 'rule') return applicability.rules[name] ?? (name === 'parameter_not_evaluable' ? 'The harness cannot build this query parameter as a REST parameter (a STRUCT array, or an expression).' : '');
  return '';
}

export function zetasqlDocSection(results: CaseResult[]): string {
  const s = summarise(results);
  const t = s.total;
  const families = [...DAILY_FAMILIES, 'other'].filter((f) => s.byFamily.has(f));
  return [
    `Google's ZetaSQL compliance tests (\`../shared/conformance/zetasql-compliance/\`, ${s.byFile.size} files, ${t.cases} cases) run through the`,
    "emulator's REST API on every `npm test` (`test/zetasql/`). Of them, **" + t.applicable + ' apply to BigQuery** (the other ' + t.excluded,
    "are excluded by the decisions in `test/zetasql/applicability.json`, each from BigQuery's documentation; counted below).",
    '',
    `**${t.pass} of ${t.applicable} pass (${percent(t)}%).** Of the ${t.applicable - t.pass} that do not, ${t.refused} are refused with a`,
    `"not supported by the local emulator" error, ${t.error} fail with another error, and **${t.wrong} give a different answer** (a wrong`,
    'value, type or column name, or success where BigQuery fails). Each is listed with its outcome in `test/zetasql/deviations.json`.',
    '',
    '### By family',
    '',
    ...HEAD.map((h) => h.replace('| |', '| family |')),
    ...families.map((f) => row(f, s.byFamily.get(f)!)),
    row('**all**', t),
    '',
    zeroWrongSentence(families.filter((f) => f !== 'other').map((f) => [f, s.byFamily.get(f)!.wrong])),
    '',
    '### Excluded cases by reason',
    '',
    '| reason | cases | why |',
    '|---|---:|---|',
    ...[...s.byReason].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k, n]) => `| ${k} | ${n} | ${reasonText(k).replace(/\|/g, '\\|')} |`),
    '',
    '### By file',
    '',
    ...HEAD.map((h) => h.replace('| |', '| file |')),
    ...[...s.byFile].sort(([a], [b]) => (a < b ? -1 : 1)).map(([f, c]) => row(f.replace(/\.test$/, ''), c)),
  ].join('\n');
}

/** Which everyday families give no wrong answer in this run (the bar), and which still do. */
function zeroWrongSentence(wrongByFamily: Array<[string, number]>): string {
  const clean = wrongByFamily.filter(([, n]) => n === 0).map(([f]) => f);
  const left = wrongByFamily.filter(([, n]) => n > 0).map(([f, n]) => `${f} ${n}`);
  return `Everyday families with no wrong answer: ${clean.length ? clean.join(', ') : 'none yet'}.` + (left.length ? ` Wrong answers left in the others: ${left.join(', ')}.` : '');
}

export function zetasqlReadme(results: CaseResult[]): string {
  const t = summarise(results).total;
  return (
    `**ZetaSQL compliance: ${t.pass} of ${t.applicable} (${percent(t)}%)** of the BigQuery-applicable cases of Google's ZetaSQL compliance tests pass ` +
    `(\`test/zetasql/\`, run by \`npm test\`); ${t.refused} are refused as not supported by the local emulator, ${t.error} fail with another error and ` +
    `${t.wrong} give a different answer. ${t.excluded} of the ${t.cases} cases do not apply to BigQuery. Per family, per file and the exclusions: \`docs/conformance.md\`.`
  );
}

/** The text between `begin` and `end` in `doc` (undefined when the markers are missing). */
export function between(doc: string, [begin, end]: readonly [string, string]): string | undefined {
  const i = doc.indexOf(begin);
  const j = doc.indexOf(end);
  return i < 0 || j < i ? undefined : doc.slice(i + begin.length, j).trim();
}

export function replaceBetween(doc: string, markers: readonly [string, string], content: string): string {
  const [begin, end] = markers;
  const i = doc.indexOf(begin);
  const j = doc.indexOf(end);
  if (i < 0 || j < i) throw new Error(`markers ${begin} ... ${end} not found`);
  return `${doc.slice(0, i + begin.length)}\n${content}\n${doc.slice(j)}`;
}
