/**
 * The local file a load/extract URI names: `gs://bucket/object` is `<gcsDir>/bucket/object` (there is no Cloud
 * Storage here, and `bq extract` insists on gs:// URIs); `file:///absolute/path` is accepted when it names a file in
 * that same folder. Nothing outside the folder is read or written — not through `..`, not through a symbolic link —
 * so a job cannot reach the developer's other files.
 */
import { lstatSync, mkdirSync, realpathSync } from 'node:fs';
import { dirname, join, relative, resolve, sep, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Engine } from './engine.ts';
import { invalid } from './errors.ts';

export function localPath(engine: Engine, uri: string, forWriting = false): string {
  if (!engine.gcsDir) throw invalid(`${uri}: this emulator has no local bucket folder (start it with gcsDir / --gcs-dir), and there is no Cloud Storage here`);
  const root = resolve(engine.gcsDir);
  let path: string;
  if (uri.startsWith('file://')) {
    try {
      path = fileURLToPath(uri);
    } catch (e) {
      throw invalid(`Invalid file URI ${uri}: ${(e as Error).message}`);
    }
  } else if (uri.startsWith('gs://')) {
    const m = /^gs:\/\/([a-z0-9][a-z0-9._-]{1,221})\/(.+)$/.exec(uri);
    if (!m) throw invalid(`Invalid Cloud Storage URI ${uri}: expected gs://bucket/object`);
    path = resolve(root, m[1], m[2]);
    // An object name must not climb out of the bucket folder.
    if (!path.startsWith(join(root, m[1]) + sep)) throw invalid(`Invalid Cloud Storage object name in ${uri}`);
  } else {
    throw invalid(`URI ${uri} is not supported by the local emulator: use gs://bucket/object (a file under its local bucket folder)`);
  }
  const outside = () =>
    invalid(`${uri} is outside the local bucket folder ${root}: the local emulator's load and extract jobs read and write only there (gs://bucket/object is ${join(root, 'bucket', 'object')})`);
  if (!inside(root, path)) throw outside();
  if (forWriting) mkdirSync(root, { recursive: true });
  // Symbolic links are followed by whoever opens the file: the real location must be inside the real folder too.
  const realRoot = realOrUndefined(root);
  const existing = deepestExisting(path);
  const real = realOrUndefined(existing);
  if (realRoot !== undefined && (real === undefined || (real !== realRoot && !inside(realRoot, real)))) throw outside();
  if (forWriting) mkdirSync(dirname(path), { recursive: true });
  return path;
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** The path itself if it exists (a dangling link counts), else its nearest existing ancestor. */
function deepestExisting(path: string): string {
  for (let p = path; ; p = dirname(p)) {
    try {
      lstatSync(p);
      return p;
    } catch {
      if (dirname(p) === p) return p;
    }
  }
}

function realOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}
