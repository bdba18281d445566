/*
 * Pyodide's memory snapshot, cached between sessions: the interpreter's
 * memory right after loading (31 MB, 7 MB gzipped). Restoring it skips
 * Python's start-up, most of a cold start. A snapshot only fits the build it
 * came from, so its file name carries Pyodide's version and the size of its
 * wasm; gzip's checksum catches a truncated or damaged file. Anything wrong
 * with it means a normal load and a new snapshot.
 */

import * as fs from 'node:fs';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import * as zlib from 'node:zlib';

const PREFIX = 'pyodide-';
const SUFFIX = '.snapshot.gz';

/** Where the snapshot of the Pyodide in `pyodideFolder` lives in `cacheFolder`. */
export function snapshotFile(cacheFolder: string, pyodideFolder: string): string {
  const { version } = JSON.parse(fs.readFileSync(path.join(pyodideFolder, 'package.json'), 'utf8')) as { version: string };
  const wasm = fs.statSync(path.join(pyodideFolder, 'pyodide.asm.wasm')).size;
  return path.join(cacheFolder, `${PREFIX}${version}-${wasm}${SUFFIX}`);
}

/** The snapshot's memory, or undefined when there is none or it is damaged (then it is removed). */
export function readSnapshot(file: string): Uint8Array | undefined {
  let compressed: Buffer;
  try {
    compressed = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  try {
    return zlib.gunzipSync(compressed);
  } catch {
    fs.rmSync(file, { force: true });
    return undefined;
  }
}

/** Saves a snapshot (atomically: a reader never sees half a file) and removes those of other Pyodide builds. */
export function writeSnapshot(file: string, memory: Uint8Array): void {
  const folder = path.dirname(file);
  fs.mkdirSync(folder, { recursive: true });
  const partial = `${file}.${process.pid}-${threadId}.partial`;
  fs.writeFileSync(partial, zlib.gzipSync(memory, { level: 1 }));
  fs.renameSync(partial, file);
  for (const name of fs.readdirSync(folder)) {
    if (name.startsWith(PREFIX) && name.endsWith(SUFFIX) && name !== path.basename(file)) fs.rmSync(path.join(folder, name), { force: true });
  }
}
