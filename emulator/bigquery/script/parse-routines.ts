/** Script statements with their own grammar: CASE, CREATE TEMP FUNCTION, CREATE PROCEDURE. */
import { readPath } from '../sql/statement-kind.ts';
import { invalidQuery } from '../errors.ts';
import type { ScriptNode, ScriptParser } from './parse.ts';

/** CASE [expr] WHEN x THEN stmts ... [ELSE stmts] END CASE, as an IF chain. */
export function parseCase(p: ScriptParser): ScriptNode {
  p.i++;
  const operand = p.w() === 'when' ? undefined : p.textUntil((t) => p.isWord(t, 'when'));
  const branches: Array<{ cond: string; body: ScriptNode[] }> = [];
  const stop = () => ['when', 'else', 'end'].includes(p.w());
  while (p.w() === 'when') {
    p.i++;
    const value = p.textUntil((t) => p.isWord(t, 'then'));
    p.expectWord('then');
    branches.push({ cond: operand === undefined ? value : `(${operand}) = (${value})`, body: p.parseBody(stop) });
  }
  if (!branches.length) p.fail('Expected WHEN in CASE statement');
  let otherwise: ScriptNode[] | undefined;
  if (p.w() === 'else') {
    p.i++;
    otherwise = p.parseBody(() => p.w() === 'end');
  }
  p.expectWord('end', 'case');
  return { kind: 'if', branches, otherwise };
}

/** `CREATE [OR REPLACE] [TEMP] <FUNCTION|PROCEDURE> [IF NOT EXISTS]`, leaving the parser at the routine's name. */
function readRoutineHead(p: ScriptParser, objectWord: 'function' | 'procedure'): { orReplace: boolean; ifNotExists: boolean } {
  let orReplace = false;
  while (p.w() !== objectWord) {
    if (p.w() === 'replace') orReplace = true;
    p.i++;
  }
  p.i++;
  const ifNotExists = p.w() === 'if';
  if (ifNotExists) p.expectWord('if', 'not', 'exists');
  return { orReplace, ifNotExists };
}

/** CREATE [OR REPLACE] TEMP FUNCTION f(x T, ...) [RETURNS T] AS (expr): a SQL UDF. */
export function parseTempFunction(p: ScriptParser): ScriptNode {
  const { orReplace, ifNotExists } = readRoutineHead(p, 'function');
  const name = p.toks[p.i].type === 'qident' ? p.toks[p.i].value : p.toks[p.i].text;
  p.i++;
  if (p.toks[p.i]?.text !== '(') p.fail('Expected ( after function name');
  p.i++;
  const params: Array<{ name: string; typeText: string }> = [];
  while (p.toks[p.i] && p.toks[p.i].text !== ')') {
    const pname = p.toks[p.i++].value;
    const typeText = p.textUntil((t) => t.text === ',' || t.text === ')');
    params.push({ name: pname, typeText });
    if (p.toks[p.i]?.text === ',') p.i++;
  }
  p.i++;
  let returns: string | undefined;
  if (p.w() === 'returns') {
    p.i++;
    returns = p.textUntil((t) => p.isWord(t, 'as', 'language', 'options'));
  }
  if (p.w() === 'language' || p.w() !== 'as') {
    throw invalidQuery('Only SQL UDFs (CREATE TEMP FUNCTION ... AS (expression)) are supported by the local emulator; JavaScript and remote functions are not');
  }
  p.i++;
  const body = p.textUntil((t) => t.text === ';' || p.isWord(t, 'options'));
  if (p.w() === 'options') p.untilSemicolon();
  return { kind: 'function', name, orReplace, ifNotExists, params, returns, body };
}

export function parseProcedure(p: ScriptParser): ScriptNode {
  const { orReplace, ifNotExists } = readRoutineHead(p, 'procedure');
  const { parts, next } = readPath(p.toks, p.i);
  p.i = next;
  if (p.toks[p.i]?.text !== '(') p.fail('Expected ( after procedure name');
  p.i++;
  const params: Array<{ mode: 'IN' | 'OUT' | 'INOUT'; name: string; typeText: string }> = [];
  while (p.toks[p.i] && p.toks[p.i].text !== ')') {
    let mode: 'IN' | 'OUT' | 'INOUT' = 'IN';
    if (['in', 'out', 'inout'].includes(p.w())) {
      mode = p.w().toUpperCase() as 'IN' | 'OUT' | 'INOUT';
      p.i++;
    }
    const name = p.toks[p.i++].value.toLowerCase();
    const typeText = p.textUntil((t) => t.text === ',' || t.text === ')');
    params.push({ mode, name, typeText });
    if (p.toks[p.i]?.text === ',') p.i++;
  }
  p.i++;
  while (p.w() === 'options') {
    p.i++;
    p.textUntil((t) => p.isWord(t, 'begin'));
  }
  if (p.w() !== 'begin') p.fail('Expected BEGIN in CREATE PROCEDURE');
  const block = p.parseStatement();
  return { kind: 'procedure', path: parts, orReplace, ifNotExists, params, body: block.kind === 'block' ? [block] : [] };
}
