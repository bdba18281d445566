import * as path from 'node:path';
import type { OwnPackage } from '../js/facts';
import { readFileBytes } from './read';

/*
 * The package a JS/TS file belongs to: its nearest `package.json` with a
 * `name`. A package's own tests and examples import it by path
 * (`require('..')`), and the JS rules read that path as the package's name
 * (JsFacts.moduleOf). Read through the safe reads (a FIFO or a huge file
 * named package.json is skipped, never waited on); remembered per folder for
 * the life of the process, as a package's name and entry point rarely change.
 */

/** package.json files larger than this are not read (they are manifests, not data). */
const MAX_MANIFEST_SIZE = 1_000_000;

const byDirectory = new Map<string, OwnPackage | null>();

/** The nearest enclosing package with a name, or undefined (none, or one that cannot be read). */
export function ownPackageOf(fileName: string): OwnPackage | undefined {
  if (!path.isAbsolute(fileName)) return undefined;
  return lookup(path.dirname(fileName)) ?? undefined;
}

function lookup(directory: string): OwnPackage | null {
  const known = byDirectory.get(directory);
  if (known !== undefined) return known;
  let found: OwnPackage | null;
  const manifest = readManifest(path.join(directory, 'package.json'));
  if (manifest !== undefined) {
    // The nearest package.json decides, as Node's own lookup does, even one without a name.
    found = manifest;
  } else {
    const parent = path.dirname(directory);
    found = parent === directory ? null : lookup(parent);
  }
  byDirectory.set(directory, found);
  return found;
}

/** A package.json's identity: null when it exists but names no package, undefined when there is none to read. */
function readManifest(file: string): OwnPackage | null | undefined {
  const read = readFileBytes(file, MAX_MANIFEST_SIZE);
  if (!read.ok) return read.kind === 'missing' ? undefined : null;
  let json: unknown;
  try {
    json = JSON.parse(read.bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    return null;
  }
  if (typeof json !== 'object' || json === null) return null;
  const { name, main } = json as { name?: unknown; main?: unknown };
  if (typeof name !== 'string' || name === '') return null;
  const root = path.dirname(file).split(path.sep).join('/');
  return { name, root, main: typeof main === 'string' && main !== '' ? main : 'index.js' };
}
