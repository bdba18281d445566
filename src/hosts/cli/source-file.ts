import { isUtf8 } from 'node:buffer';
import * as fs from 'node:fs';
import { TextDecoder } from 'node:util';

/** Python source as text, and what is needed to write it back byte for byte. */
export interface SourceText {
  readonly text: string;
  /** `utf-8`, `latin-1`, or another encoding named by a PEP 263 `coding` line. */
  readonly encoding: string;
  /** Whether the file starts with a UTF-8 byte order mark. */
  readonly bom: boolean;
}

export type ReadOutcome = { readonly ok: true; readonly source: SourceText } | { readonly ok: false; readonly problem: string };

const BINARY_SNIFF_BYTES = 8192;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** PEP 263: `# -*- coding: latin-1 -*-` on the first or second line. */
const CODING_COOKIE = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;
const UTF8_NAMES = new Set(['utf-8', 'utf8', 'utf-8-sig', 'ascii', 'us-ascii']);
const LATIN1_NAMES = new Set(['latin-1', 'latin1', 'iso-8859-1', 'iso8859-1', 'l1', 'iso-latin-1']);

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
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Reads a Python file the way CPython decodes it: UTF-8 (a byte order mark
 * allowed) unless a PEP 263 `coding` line names another encoding. Binary files
 * (a NUL byte in the first 8 KB) and text that does not decode are refused
 * with a reason, never an exception.
 */
export function readSourceFile(file: string): ReadOutcome {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    return { ok: false, problem: describeFsError(error) };
  }
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) return { ok: false, problem: 'binary file (contains NUL bytes), skipped' };
  const bom = bytes.subarray(0, 3).equals(UTF8_BOM);
  const body = bom ? bytes.subarray(3) : bytes;
  const declared = bom ? undefined : declaredEncoding(body);
  const encoding = declared === undefined || UTF8_NAMES.has(declared) ? 'utf-8' : LATIN1_NAMES.has(declared) ? 'latin-1' : declared;

  if (encoding === 'latin-1') return { ok: true, source: { text: body.toString('latin1'), encoding, bom } };
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
  } catch {
    return { ok: false, problem: `declares the unknown encoding "${declared}"` };
  }
  try {
    return { ok: true, source: { text: decoder.decode(body), encoding, bom } };
  } catch {
    if (encoding !== 'utf-8') return { ok: false, problem: `is not valid ${declared} text, the encoding its coding line declares` };
    return { ok: false, problem: `is not valid UTF-8 (line ${firstInvalidUtf8Line(body)}); save it as UTF-8 or declare its encoding with a "# -*- coding: ... -*-" line` };
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
