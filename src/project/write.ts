import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeFsError, readFileBytes, type FileIdentity } from './read';

/*
 * The one way Async Lens writes to a user's file. Nothing is ever lost: the
 * new text goes to a temporary file beside the original (same mode), is
 * flushed to disk, and replaces the original by a rename, which is atomic.
 * Just before the rename, under a lock that other Async Lens runs respect,
 * the file is checked to be exactly what was read; if the user saved it (or
 * another run fixed it) meanwhile, nothing is written. On any error the
 * original is left byte for byte as it was.
 */

export type WriteOutcome =
  | { readonly ok: true }
  /** The file is no longer what was read: read it again and redo the work. */
  | { readonly ok: false; readonly kind: 'changed'; readonly problem: string }
  | { readonly ok: false; readonly kind: 'io'; readonly problem: string };

/** How long to wait for another run's lock on the same file before giving up. */
const LOCK_WAIT_MS = 10_000;
/** A lock older than this was left by a run that died; it is taken over. */
const STALE_LOCK_MS = 60_000;

const sleeper = new Int32Array(new SharedArrayBuffer(4));

function sleep(milliseconds: number): void {
  Atomics.wait(sleeper, 0, 0, milliseconds);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes `<dir>/.<name>.async-lens.lock`; undefined when another live run holds it for too long. */
function lock(file: string): string | undefined {
  const lockFile = path.join(path.dirname(file), `.${path.basename(file)}.async-lens.lock`);
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx', mode: 0o600 });
      return lockFile;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    try {
      const holder = Number(fs.readFileSync(lockFile, 'utf8'));
      const age = Date.now() - fs.statSync(lockFile).mtimeMs;
      // An empty lock is one another run has created and not yet written its pid to: taken, not stale.
      const named = Number.isInteger(holder) && holder > 0;
      if (age > STALE_LOCK_MS || (named && !isAlive(holder))) {
        fs.rmSync(lockFile, { force: true });
        continue;
      }
      if (holder === process.pid) throw new Error('the lock is already held by this process');
    } catch {
      // Released (or half-written) meanwhile: try again.
      continue;
    }
    if (Date.now() > deadline) return undefined;
    sleep(Math.min(5 * 2 ** Math.min(attempt, 5), 100));
  }
}

/**
 * Replaces the content of `file` (a symlink: of its target) with `bytes`,
 * provided it is still the file `expected` describes. Never throws.
 */
export function writeFileChecked(file: string, bytes: Buffer, expected: FileIdentity): WriteOutcome {
  let target: string;
  try {
    target = fs.realpathSync(file);
  } catch (error) {
    return { ok: false, kind: 'io', problem: describeFsError(error) };
  }
  let lockFile: string | undefined;
  try {
    lockFile = lock(target);
  } catch (error) {
    return { ok: false, kind: 'io', problem: `cannot take the lock beside it: ${describeFsError(error)}` };
  }
  if (!lockFile) return { ok: false, kind: 'io', problem: 'another Async Lens run holds its lock' };
  let temporary: string | undefined;
  try {
    const current = readFileBytes(target, Math.max(expected.size, 1) * 4 + 1_000_000);
    if (!current.ok || current.identity.sha256 !== expected.sha256 || current.identity.ino !== expected.ino || current.identity.dev !== expected.dev) {
      return { ok: false, kind: 'changed', problem: 'changed on disk since it was read' };
    }
    const stats = fs.statSync(target);
    if (stats.nlink > 1) return { ok: false, kind: 'io', problem: 'it has several hard links, which replacing it would split; fix it by hand or with an editor' };
    temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.async-lens.tmp`);
    const fd = fs.openSync(temporary, 'wx', stats.mode & 0o7777);
    try {
      for (let written = 0; written < bytes.length; ) written += fs.writeSync(fd, bytes, written, bytes.length - written);
      fs.fchmodSync(fd, stats.mode & 0o7777);
      if (process.getuid?.() === 0) fs.fchownSync(fd, stats.uid, stats.gid);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, target);
    temporary = undefined;
    syncDirectory(path.dirname(target));
    return { ok: true };
  } catch (error) {
    return { ok: false, kind: 'io', problem: describeFsError(error) };
  } finally {
    if (temporary) removeQuietly(temporary);
    removeQuietly(lockFile);
  }
}

function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // Left behind, harmless: a temporary file is never read, a stale lock is taken over.
  }
}

/** Makes the rename itself durable; file systems that cannot fsync a directory are fine without it. */
function syncDirectory(directory: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(directory, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Not supported here (Windows, some network file systems).
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
