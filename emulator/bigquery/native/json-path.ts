/**
 * The JSONPath of BigQuery's JSON mutator functions (JSON_SET, JSON_REMOVE, JSON_ARRAY_INSERT/APPEND,
 * JSON_STRIP_NULLS): `$` then member names (`.name`, `."quoted name"`) and array positions (`[0]`), nothing else
 * (json_functions#JSONPath_format). The grammar and messages are ZetaSQL's StrictJSONPathIterator::Create
 * (zetasql/public/functions/json_internal.cc), which these functions use: no lax modes, no negative or named subscripts.
 */
export type JsonPathToken = { member: string } | { index: number };

/** A path that is not valid: BigQuery's error (the message as ZetaSQL words it). */
export class JsonPathError extends Error {}

// RE2's \s is [\t\n\f\r ]; \p{N} takes any script's digits (the index check below then refuses them).
const SPACE = '[\\t\\n\\f\\r ]';
const MEMBER = /\.([\p{L}\p{N}_\-:\t\n\f\r ]+)/uy;
const INDEX = new RegExp(`\\[${SPACE}*(\\p{N}+)${SPACE}*\\]`, 'uy');
const QUOTED = /\."((?:[^\\"]|\\"|\\[^"])*)"/uy;
const INT64_MAX = 2n ** 63n - 1n;

/** The tokens of a JSONPath, or a JsonPathError; a form the emulator does not read as BigQuery does is refused. */
export function parseJsonPath(path: string): JsonPathToken[] {
  if (!path.startsWith('$')) throw new JsonPathError("JSONPath must start with '$'");
  const tokens: JsonPathToken[] = [];
  let pos = 1;
  const at = (re: RegExp): RegExpExecArray | null => {
    re.lastIndex = pos;
    const m = re.exec(path);
    if (m) pos = re.lastIndex;
    return m;
  };
  while (pos < path.length) {
    let m: RegExpExecArray | null;
    if ((m = at(MEMBER))) tokens.push({ member: m[1] });
    else if ((m = at(INDEX))) tokens.push({ index: arrayIndex(m[1]) });
    else if ((m = at(QUOTED))) {
      // ZetaSQL keeps a quoted name's backslashes as written; whether BigQuery unescapes them is not documented.
      if (m[1].includes('\\')) throw new Error(`A JSONPath member name with a backslash (${path}) is not supported by the local emulator`);
      tokens.push({ member: m[1] });
    } else throw new JsonPathError(`Invalid token in JSONPath at: ${path.slice(pos)}`);
  }
  return tokens;
}

/** An array position: ASCII digits within INT64 (absl::SimpleAtoi), else an error. */
function arrayIndex(digits: string): number {
  if (!/^[0-9]+$/.test(digits) || BigInt(digits) > INT64_MAX) throw new JsonPathError(`JSONPath contains invalid array index: ${digits}`);
  return Number(digits);
}
