/**
 * Our own battery's figures as docs/conformance.md and the README print them, generated from a run
 * (docs-table.ts writes them; conformance.test.ts checks the docs still say what a run says).
 */
import type { ConformanceCase } from './case.ts';
import type { CaseOutcome } from './harness.ts';
import { knownDifferences } from './known-differences.ts';

export const OWN_DOC = ['<!-- own-figures:begin -->', '<!-- own-figures:end -->'] as const;
export const OWN_README = ['<!-- own-readme:begin -->', '<!-- own-readme:end -->'] as const;

interface Row {
  total: number;
  supported: number;
  rejected: number;
  differs: number;
}

function tally(cases: ConformanceCase[], outcomes: Map<string, CaseOutcome>) {
  const byCategory = new Map<string, Row>();
  const totals: Row = { total: 0, supported: 0, rejected: 0, differs: 0 };
  const failing: string[] = [];
  for (const c of cases) {
    const category = c.name.split(':')[0].trim();
    const row = byCategory.get(category) ?? { total: 0, supported: 0, rejected: 0, differs: 0 };
    byCategory.set(category, row);
    const o = outcomes.get(c.name);
    // A failing case is "rejected" when the emulator refused it with an error, "differs" when it answered differently.
    const kind: keyof Row = o?.passed ? 'supported' : o?.detail?.startsWith('error') ? 'rejected' : 'differs';
    for (const r of [row, totals]) {
      r.total++;
      r[kind]++;
    }
    if (!o?.passed) failing.push(c.name);
  }
  return { byCategory, totals, failing };
}

export function ownDocSection(cases: ConformanceCase[], outcomes: Map<string, CaseOutcome>): string {
  const { byCategory, totals, failing } = tally(cases, outcomes);
  return [
    `The battery in \`test/conformance/cases/\` holds ${totals.total} BigQuery statements and scripts written here, whose expected results come from`,
    "BigQuery's documentation. `test/conformance/conformance.test.ts` runs it on every test run.",
    '',
    `**${totals.supported} of ${totals.total} pass.** Of the ${totals.total - totals.supported} that do not, ${totals.rejected} are rejected with an error`,
    `and ${totals.differs} give a different answer (or succeed where BigQuery fails).`,
    '',
    '| category | cases | supported | differs | rejected with an error |',
    '|---|---:|---:|---:|---:|',
    ...[...byCategory].map(([k, r]) => `| ${k} | ${r.total} | ${r.supported} | ${r.differs} | ${r.rejected} |`),
    `| **all** | **${totals.total}** | **${totals.supported}** | **${totals.differs}** | **${totals.rejected}** |`,
    '',
    '#### Known differences',
    '',
    ...failing.map((n) => `- **${n}** — ${knownDifferences[n] ?? 'not yet explained (add it to test/conformance/known-differences.ts)'}`),
  ].join('\n');
}

export function ownReadme(cases: ConformanceCase[], outcomes: Map<string, CaseOutcome>): string {
  const { totals } = tally(cases, outcomes);
  return (
    `**Our own battery: ${totals.supported} of ${totals.total}** BigQuery-documented statements and scripts written here give BigQuery's result ` +
    `(\`test/conformance/\`, run by \`npm test\`); the ${totals.total - totals.supported} others are listed with reasons in \`docs/conformance.md\`.`
  );
}
