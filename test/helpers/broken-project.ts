/** A copy of this Dataform project with one definition that throws at compile time (a compilation error, on purpose). */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepareProject, repoRoot } from '../../src/warehouse/dataform-cli.ts';

export const BROKEN_MESSAGE = 'this definition is broken on purpose';

export function brokenProject(): string {
  const dir = mkdtempSync(join(repoRoot, '.local', 'broken-project-'));
  for (const part of ['dataform.json', 'package.json', 'definitions', 'includes']) cpSync(join(repoRoot, part), join(dir, part), { recursive: true });
  mkdirSync(join(dir, 'definitions', 'broken'), { recursive: true });
  writeFileSync(join(dir, 'definitions', 'broken', 'broken.js'), `publish("broken", { type: "table" }).query(ctx => \`SELECT \${ctx.ref("no_such_table")}\`);\nthrow new Error("${BROKEN_MESSAGE}");\n`);
  return prepareProject(dir);
}
