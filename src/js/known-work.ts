/**
 * Calls whose awaited promise is one piece of independent work: a request,
 * a read of a file or of a name, a subprocess. AIT301 and AIT302 report a
 * loop only when what it awaits is on this list (or is a local async
 * function that only does such work). Documented in docs/rules/AIT301.md
 * ("JavaScript and TypeScript"); keep the two in step.
 *
 * An entry is `module#export(.member)*`, or a module alone for the module
 * itself called (`got(url)` after `import got from 'got'`), or
 * `#name` for a global (`fetch`). `node:` prefixes are ignored.
 * `promisified` entries count only through `util.promisify(...)`.
 */
export type WorkKind = 'request' | 'read' | 'lookup' | 'subprocess' | 'import' | 'local';

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'];

const REQUESTS = [
  '#fetch',
  '#globalThis.fetch',
  'node-fetch',
  'node-fetch#default',
  'undici#fetch',
  'undici#request',
  'got',
  'got#got',
  ...HTTP_METHODS.map((method) => `got#${method}`),
  'axios',
  ...HTTP_METHODS.map((method) => `axios#${method}`),
  'ky',
  ...HTTP_METHODS.map((method) => `ky#${method}`),
];

const FILE_READS = ['readFile', 'stat', 'lstat', 'readdir', 'access', 'realpath', 'readlink'];
const DNS_LOOKUPS = ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCname', 'resolveMx', 'resolveNs', 'resolveSrv', 'resolveTxt', 'reverse'];

export const JS_KNOWN_WORK: ReadonlyMap<string, WorkKind> = new Map<string, WorkKind>([
  ...REQUESTS.map((entry) => [entry, 'request'] as const),
  ...FILE_READS.flatMap((name) => [[`fs/promises#${name}`, 'read'], [`fs#promises.${name}`, 'read']] as const),
  ...DNS_LOOKUPS.flatMap((name) => [[`dns/promises#${name}`, 'lookup'], [`dns#promises.${name}`, 'lookup']] as const),
  ['execa', 'subprocess'],
  ['execa#execa', 'subprocess'],
  ['execa#execaCommand', 'subprocess'],
  ['execa#execaNode', 'subprocess'],
]);

/** Callback APIs whose `util.promisify(...)` is such work. */
export const JS_PROMISIFIED_WORK: ReadonlyMap<string, WorkKind> = new Map<string, WorkKind>([
  ['child_process#exec', 'subprocess'],
  ['child_process#execFile', 'subprocess'],
  ...FILE_READS.map((name) => [`fs#${name}`, 'read'] as const),
  ...['lookup', 'resolve', 'resolve4', 'resolve6', 'reverse'].map((name) => [`dns#${name}`, 'lookup'] as const),
]);

/** The key of a module reference in the tables above. */
export function workKey(module: string, path: readonly string[]): string {
  return path.length === 0 ? module : `${module}#${path.join('.')}`;
}
