/**
 * The command examples of README.md and docs/*.md (fenced shell blocks), and what the docs-examples test does with
 * each: run it as written, run it with --dry-run added (it would write: the flags are still checked exactly as the
 * real run checks them), or skip it for a stated reason.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../src/warehouse/dataform-cli.ts';

export interface Example {
  file: string;
  line: string;
}

export type Plan = { kind: 'run'; script: string; args: string[]; expect: number[]; note?: string } | { kind: 'skip'; reason: string };

/** Exit codes that are answers, not failures: a check's or monitor's findings on whatever the stack holds. */
const FINDINGS = [0, 3, 5, 6, 7, 8];

export function docExamples(): Example[] {
  const files = [
    'README.md',
    ...readdirSync(join(repoRoot, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .sort()
      .map((f) => `docs/${f}`),
  ];
  const out: Example[] = [];
  for (const file of files) {
    const text = readFileSync(join(repoRoot, file), 'utf8');
    for (const [, block] of text.matchAll(/```(?:sh|bash|shell)?\n([\s\S]*?)```/g)) {
      for (const raw of block.split('\n')) {
        const line = raw.replace(/\s+#.*$/, '').trim();
        for (const part of line.split('&&').map((p) => p.trim())) if (/^npm (run|start|test|ci)\b/.test(part)) out.push({ file, line: part });
      }
    }
  }
  return out;
}

/** `--help` of every command the README's table lists. */
export function helpExamples(): Example[] {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  return [...readme.matchAll(/^\| `(npm (?:run [a-z]+|start))` \|/gm)].map(([, command]) => ({ file: 'README.md (commands table)', line: `${command} -- --help` }));
}

/**
 * Synopsis lines show options as [--flag value]: such a line is two examples, without any of them and with all of
 * them (the first of a|b alternatives, "..." dropped).
 */
export function expandSynopsis(example: Example): Example[] {
  if (!example.line.includes('[')) return [example];
  const minimal = example.line.replace(/\s*\[[^\]]*\]/g, '');
  const full = example.line
    .replace(/\[([^\]]*)\]/g, '$1')
    .replace(/\s\.\.\./g, '')
    .replace(/(\S+)\|\S+/g, '$1');
  return [
    { ...example, line: minimal },
    { ...example, line: full },
  ];
}

function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
}

export function plan(example: Example): Plan {
  const argv = words(example.line);
  if (argv[0] !== 'npm') return { kind: 'skip', reason: 'not an npm command' };
  if (argv[1] === 'ci') return { kind: 'skip', reason: 'installs dependencies' };
  if (argv[1] === 'test') return { kind: 'skip', reason: 'the whole suite (this test is part of it)' };
  const command = argv[1] === 'start' ? 'start' : argv[2];
  const args = argv.slice(argv[1] === 'start' ? 2 : 3);
  if (args[0] === '--') args.shift();
  const script = `scripts/${command}.ts`;
  if (args.includes('--help')) {
    if (command === 'bench') return { kind: 'skip', reason: 'bench is not a scripts/ command; its --help is tested in bench/' };
    if (['test', 'typecheck', 'build', 'lint', 'format'].includes(command)) return { kind: 'skip', reason: `npm run ${command} is a development tool (vitest, tsc, eslint, prettier), not a gradeguard command` };
    return { kind: 'run', script, args, expect: [0] };
  }
  if (args.some((a) => /^<.*>$/.test(a))) return { kind: 'skip', reason: 'has a placeholder' };
  if (args.includes('--target') && args[args.indexOf('--target') + 1] === 'bigquery') return { kind: 'skip', reason: 'needs Google Cloud (--target bigquery)' };
  switch (command) {
    case 'start':
      return { kind: 'skip', reason: 'the whole story (minutes); tested by test/demo' };
    case 'emulator':
      return { kind: 'skip', reason: 'a server in the foreground until Ctrl-C; tested by test/emulator' };
    case 'chaos':
      return { kind: 'skip', reason: 'minutes of fault rounds; tested by test/chaos' };
    case 'grade':
    case 'consolidate':
      return args.includes('--dry-run') ? { kind: 'run', script, args, expect: [0] } : { kind: 'run', script, args: [...args, '--dry-run'], expect: [0], note: 'with --dry-run added (writes otherwise)' };
    case 'deploy':
      return { kind: 'run', script, args, expect: [0] }; // idempotent: the same tables and views again
    case 'check':
      return { kind: 'run', script, args, expect: FINDINGS };
    case 'locks':
      if (args[0] === 'release') return { kind: 'skip', reason: 'removes a lock' };
      return { kind: 'run', script, args, expect: args[0] === 'stuck' ? [0, 3] : [0] };
    case 'monitor':
      if (args.includes('--watch')) return { kind: 'skip', reason: 'runs until interrupted (--watch); tested by test/monitor' };
      return { kind: 'run', script, args, expect: [0, 3] };
    case 'cleanup':
      if (['plan', 'status'].includes(args[0])) return { kind: 'run', script, args, expect: [0] };
      return { kind: 'skip', reason: `cleanup ${args[0]} replaces the table's content; tested by test/cleanup` };
    case 'remediate':
      return { kind: 'skip', reason: 'removes rows; tested by test/remediation' };
    default:
      return { kind: 'skip', reason: `unknown command ${command}` };
  }
}
