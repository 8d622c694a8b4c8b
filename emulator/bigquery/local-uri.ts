/**
 * The local file a load/extract URI names: `file:///absolute/path`, or `gs://bucket/object` under the emulator's
 * bucket folder (engine.gcsDir) — there is no Cloud Storage here, and `bq extract` insists on gs:// URIs.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Engine } from './engine.ts';
import { invalid } from './errors.ts';

export function localPath(engine: Engine, uri: string, forWriting = false): string {
  let path: string;
  if (uri.startsWith('file://')) {
    path = fileURLToPath(uri);
  } else if (uri.startsWith('gs://')) {
    if (!engine.gcsDir) throw invalid(`${uri}: this emulator has no local bucket folder (start it with gcsDir / --gcs-dir), and there is no Cloud Storage here`);
    const m = /^gs:\/\/([a-z0-9][a-z0-9._-]{1,221})\/(.+)$/.exec(uri);
    if (!m) throw invalid(`Invalid Cloud Storage URI ${uri}: expected gs://bucket/object`);
    const root = resolve(engine.gcsDir);
    path = resolve(root, m[1], m[2]);
    // An object name must not climb out of the bucket folder.
    if (!path.startsWith(join(root, m[1]) + sep)) throw invalid(`Invalid Cloud Storage object name in ${uri}`);
  } else {
    throw invalid(`URI ${uri} is not supported by the local emulator: use file:///absolute/path or gs://bucket/object`);
  }
  if (forWriting) mkdirSync(dirname(path), { recursive: true });
  return path;
}
