/** SQL text primitives shared by the includes (and, through them, the TypeScript commands). */

/** A SQL string literal. Vars are validated to safe characters already; escaping keeps descriptions safe too. */
function sqlString(text) {
  return `'${String(text).replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** DATE('YYYY-MM-DD'): BigQuery parses the literal again and fails the job on garbage. */
function dateLiteral(isoDate) {
  return `DATE(${sqlString(isoDate)})`;
}

function indent(text, prefix) {
  return text
    .split("\n")
    .map((line) => (line.length > 0 ? prefix + line : line))
    .join("\n");
}

module.exports = { sqlString, dateLiteral, indent };
