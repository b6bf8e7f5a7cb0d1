// Records which csrc/ sources each committed kernel file was built from (scripts/kernel-builds.json), so a
// test can tell when csrc/ changed without a rebuild, with no compiler at hand. Used by build-wasm.mjs and
// build-native.mjs.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const RECORD = 'scripts/kernel-builds.json';

/** sha256 of every file under csrc/, in path order (paths included). */
export function sourceDigest(dir = 'csrc') {
  const files = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory()) walk(join(d, e.name));
      else files.push(join(d, e.name));
    }
  };
  walk(dir);
  const h = createHash('sha256');
  for (const f of files) h.update(`${f}\n`).update(readFileSync(f));
  return h.digest('hex');
}

/** sha256 of one file. */
export function fileDigest(path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Notes that `artifact` (wasm or native) at `path` was just built from the current sources. */
export function recordBuild(artifact, path) {
  let record = {};
  try {
    record = JSON.parse(readFileSync(RECORD, 'utf8'));
  } catch {
    record = {};
  }
  record[artifact] = { file: path, sources: sourceDigest(), sha256: fileDigest(path) };
  const tmp = `${RECORD}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(tmp, RECORD);
}
