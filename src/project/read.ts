import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { TextDecoder } from 'node:util';

/*
 * The one way Async Lens reads a user's file (a source, an imported module,
 * an `__init__.py`, a pyproject.toml), in every host. A cloned repository can
 * hold a FIFO, a socket or a symlink to /dev/zero where a module should be:
 * only regular files are read (after following symlinks), never opened in a
 * way that can block, and never beyond a size cap.
 */

/** The maximum file size when nothing else is configured. */
export const DEFAULT_MAX_FILE_SIZE = 2_000_000;

/** Python source as text, and what is needed to write it back byte for byte. */
export interface SourceText {
  readonly text: string;
  /** `utf-8`, `latin-1`, or another encoding named by a PEP 263 `coding` line. */
  readonly encoding: string;
  /** Whether the file starts with a UTF-8 byte order mark. */
  readonly bom: boolean;
}

/** Which file was read, and its bytes' hash: a write checks the file is still this one. */
export interface FileIdentity {
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly sha256: string;
}

export type ReadProblemKind = 'missing' | 'not-regular' | 'too-large' | 'binary' | 'encoding' | 'io';

export interface ReadProblem {
  readonly ok: false;
  readonly kind: ReadProblemKind;
  /** Says why, for `file: <problem>` messages. */
  readonly problem: string;
}

export type BytesOutcome = { readonly ok: true; readonly bytes: Buffer; readonly identity: FileIdentity } | ReadProblem;
export type ReadOutcome = { readonly ok: true; readonly source: SourceText; readonly identity: FileIdentity } | ReadProblem;

const BINARY_SNIFF_BYTES = 8192;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** PEP 263: `# -*- coding: latin-1 -*-` on the first or second line. */
const CODING_COOKIE = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;
const UTF8_NAMES = new Set(['utf-8', 'utf8', 'utf-8-sig', 'ascii', 'us-ascii']);
const LATIN1_NAMES = new Set(['latin-1', 'latin1', 'iso-8859-1', 'iso8859-1', 'l1', 'iso-latin-1']);
/** Opening a FIFO without a writer returns at once instead of waiting (no such flag on Windows, which has no FIFOs in the file system). */
const NON_BLOCKING = (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0);

/** A short reason for a file-system error, for messages like `a.py: permission denied`. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    case 'ENOTDIR':
      return 'not a directory';
    case 'ELOOP':
      return 'too many levels of symbolic links';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EFBIG':
      return 'file too large for the file system or a limit on file size';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'EROFS':
      return 'read-only file system';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

function describeSize(bytes: number): string {
  if (bytes >= 1_000_000) return `${+(bytes / 1_000_000).toFixed(1)} MB`;
  if (bytes >= 1000) return `${+(bytes / 1000).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

function tooLarge(maxBytes: number): ReadProblem {
  return { ok: false, kind: 'too-large', problem: `skipped: larger than ${describeSize(maxBytes)} (\`max-file-size\`)` };
}

function notRegular(stats: fs.Stats): ReadProblem {
  if (stats.isDirectory()) return { ok: false, kind: 'not-regular', problem: 'is a directory' };
  const what = stats.isFIFO() ? 'a named pipe' : stats.isSocket() ? 'a socket' : stats.isCharacterDevice() || stats.isBlockDevice() ? 'a device' : 'a special file';
  return { ok: false, kind: 'not-regular', problem: `not a regular file (${what}), skipped` };
}

function failure(error: unknown): ReadProblem {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return { ok: false, kind: code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : 'io', problem: describeFsError(error) };
}

/**
 * The bytes of a regular file of at most `maxBytes`. Anything else (missing,
 * a directory, a FIFO, a device, a socket, too large, unreadable) is a
 * problem with a reason, never an exception and never a wait.
 */
export function readFileBytes(file: string, maxBytes: number = DEFAULT_MAX_FILE_SIZE): BytesOutcome {
  let stats: fs.Stats;
  try {
    // Checked before opening: opening some devices has effects of its own.
    stats = fs.statSync(file);
  } catch (error) {
    return failure(error);
  }
  if (!stats.isFile()) return notRegular(stats);
  if (stats.size > maxBytes) return tooLarge(maxBytes);
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | NON_BLOCKING);
  } catch (error) {
    return failure(error);
  }
  try {
    // The path may have been swapped for something else since `statSync`.
    const opened = fs.fstatSync(fd);
    if (!opened.isFile()) return notRegular(opened);
    const chunks: Buffer[] = [];
    let total = 0;
    // Reading up to one byte more than allowed tells a file that grew past the cap.
    const limit = maxBytes + 1;
    for (;;) {
      const expected = Math.max(opened.size - total + 1, 4096);
      const chunk = Buffer.allocUnsafe(Math.min(limit - total, expected, 1 << 20));
      const read = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      chunks.push(read === chunk.length ? chunk : chunk.subarray(0, read));
      total += read;
      if (total > maxBytes) return tooLarge(maxBytes);
    }
    const bytes = Buffer.concat(chunks, total);
    const identity = { dev: opened.dev, ino: opened.ino, size: opened.size, mtimeMs: opened.mtimeMs, sha256: createHash('sha256').update(bytes).digest('hex') };
    return { ok: true, bytes, identity };
  } catch (error) {
    return failure(error);
  } finally {
    fs.closeSync(fd);
  }
}

/** Whether `file` is a regular file (after symlinks), without opening it. */
export function isRegularFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Reads a Python file the way CPython decodes it: UTF-8 (a byte order mark
 * allowed) unless a PEP 263 `coding` line names another encoding. Binary files
 * (a NUL byte in the first 8 KB) and text that does not decode are refused
 * with a reason, as is anything `readFileBytes` refuses.
 */
export function readSourceFile(file: string, maxBytes: number = DEFAULT_MAX_FILE_SIZE): ReadOutcome {
  const read = readFileBytes(file, maxBytes);
  if (!read.ok) return read;
  const decoded = decodeSource(read.bytes, true);
  return decoded.ok ? { ok: true, source: decoded.source, identity: read.identity } : decoded;
}

/**
 * Reads a JavaScript or TypeScript file: UTF-8, a byte order mark allowed
 * (JavaScript has no coding line); refused as `readSourceFile` refuses.
 */
export function readScriptFile(file: string, maxBytes: number = DEFAULT_MAX_FILE_SIZE): ReadOutcome {
  const read = readFileBytes(file, maxBytes);
  if (!read.ok) return read;
  const decoded = decodeSource(read.bytes, false);
  return decoded.ok ? { ok: true, source: decoded.source, identity: read.identity } : decoded;
}

/** Decodes source bytes (see `readSourceFile`); `codingLine`: whether a PEP 263 line may name the encoding (Python). */
function decodeSource(bytes: Buffer, codingLine: boolean): { readonly ok: true; readonly source: SourceText } | ReadProblem {
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { ok: false, kind: 'binary', problem: 'binary file (contains NUL bytes), skipped' };
  const bom = bytes.subarray(0, 3).equals(UTF8_BOM);
  const body = bom ? bytes.subarray(3) : bytes;
  const declared = bom || !codingLine ? undefined : declaredEncoding(body);
  const encoding = declared === undefined || UTF8_NAMES.has(declared) ? 'utf-8' : LATIN1_NAMES.has(declared) ? 'latin-1' : declared;

  if (encoding === 'latin-1') return { ok: true, source: { text: body.toString('latin1'), encoding, bom } };
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
  } catch {
    return { ok: false, kind: 'encoding', problem: `declares the unknown encoding "${declared}"` };
  }
  try {
    return { ok: true, source: { text: decoder.decode(body), encoding, bom } };
  } catch {
    if (encoding !== 'utf-8') return { ok: false, kind: 'encoding', problem: `is not valid ${declared} text, the encoding its coding line declares` };
    const advice = codingLine ? ' or declare its encoding with a "# -*- coding: ... -*-" line' : '';
    return { ok: false, kind: 'encoding', problem: `is not valid UTF-8 (line ${firstInvalidUtf8Line(body)}); save it as UTF-8${advice}` };
  }
}

/** Encodes text for writing back in the file's own encoding, or undefined when that encoding cannot be written. */
export function encodeSource(source: SourceText, text: string): Buffer | undefined {
  if (source.encoding === 'utf-8') {
    const encoded = Buffer.from(text, 'utf8');
    return source.bom ? Buffer.concat([UTF8_BOM, encoded]) : encoded;
  }
  if (source.encoding === 'latin-1' && !/[^\u0000-\u00ff]/.test(text)) return Buffer.from(text, 'latin1');
  return undefined;
}

function declaredEncoding(bytes: Buffer): string | undefined {
  const head = bytes.subarray(0, 1024).toString('latin1').split(/\r\n|\r|\n/, 2);
  for (const line of head) {
    const match = CODING_COOKIE.exec(line);
    if (match) return match[1]!.toLowerCase().replace(/_/g, '-');
    // The cookie may only be on line 2 when line 1 is a comment or blank (a shebang, say).
    if (!/^[ \t\f]*(#.*)?$/.test(line)) return undefined;
  }
  return undefined;
}

/** The 1-based line of the first byte sequence that is not UTF-8. A newline byte is never inside a UTF-8 sequence. */
function firstInvalidUtf8Line(bytes: Buffer): number {
  let line = 1;
  let start = 0;
  while (start <= bytes.length) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline === -1 ? bytes.length : newline;
    if (!isUtf8(bytes.subarray(start, end))) return line;
    if (newline === -1) break;
    start = newline + 1;
    line++;
  }
  return line;
}

/** Whether anything is at `file`, of whatever kind (a config named there is then read, or refused, by name). Never opens it. */
export function pathExists(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
}
