/**
 * A call's `name => value` arguments (https://cloud.google.com/bigquery/docs/reference/standard-sql/functions-reference
 * named arguments), which polyglot parses as `named_argument` nodes among the positional ones. ZetaSQL's rules and
 * words: named arguments come last, each once, and only those the signature has.
 */
import { invalidQuery } from '../errors.ts';
import type { Node } from './ast-build.ts';

export function splitArguments(name: string, args: Node[], allowed: readonly string[]): { positional: Node[]; named: Map<string, Node> } {
  const positional: Node[] = [];
  const named = new Map<string, Node>();
  for (const arg of args) {
    const n = arg?.named_argument;
    if (!n) {
      if (named.size) throw invalidQuery(`Call to function ${name} must not specify positional arguments after named arguments; named arguments must be specified last in the argument list`);
      positional.push(arg);
      continue;
    }
    const key = String(n.name?.name ?? '').toLowerCase();
    if (!allowed.includes(key)) throw invalidQuery(`Named argument ${key} not found in signature for call to function ${name}`);
    if (named.has(key)) throw invalidQuery(`Named argument ${key} is specified more than once in the call to function ${name}`);
    named.set(key, n.value);
  }
  return { positional, named };
}
