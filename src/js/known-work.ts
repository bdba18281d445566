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

/**
 * Clients made by a call, whose own calls are such work: `const app =
 * Fastify()` then `await app.inject(…)` (light-my-request: one simulated
 * request on the app, independent of the others), `const api =
 * got.extend({ prefixUrl })` then `await api(path)` / `api.get(path)`, the
 * same for `axios.create(…)` and `ky.create/extend(…)`.
 */
export type ClientKind = 'fastify' | 'got' | 'axios' | 'ky';

/** The calls that make a client, keyed like the table above. */
export const JS_CLIENT_FACTORIES: ReadonlyMap<string, ClientKind> = new Map<string, ClientKind>([
  ['fastify', 'fastify'],
  ['fastify#fastify', 'fastify'],
  ['fastify#default', 'fastify'],
  ['got#extend', 'got'],
  ['got#got.extend', 'got'],
  ['axios#create', 'axios'],
  ['axios#default.create', 'axios'],
  ['ky#create', 'ky'],
  ['ky#extend', 'ky'],
]);

/** A client's members that make another client of its kind (`api.extend(…)`). */
export const JS_CLIENT_EXTENDERS: ReadonlyMap<ClientKind, string> = new Map<ClientKind, string>([['got', 'extend'], ['ky', 'extend']]);

/** What awaiting a client's call is: `''` for the client called itself (`api(path)`). */
export const JS_CLIENT_WORK: ReadonlyMap<ClientKind, ReadonlySet<string>> = new Map<ClientKind, ReadonlySet<string>>([
  ['fastify', new Set(['inject'])],
  ['got', new Set(['', ...HTTP_METHODS])],
  ['axios', new Set(['', ...HTTP_METHODS])],
  ['ky', new Set(['', ...HTTP_METHODS])],
]);

/**
 * Options that run code around every request or keep state between
 * requests (hooks, interceptors, a cache, a cookie jar, an agent, a custom
 * adapter or transport): a client made with one of them (or with options
 * the rule cannot read: a spread, a variable) is not known to make
 * independent requests. A Fastify app's options do not change that
 * `inject` is one request.
 */
export const JS_CLIENT_STATEFUL_OPTIONS: ReadonlyMap<ClientKind, ReadonlySet<string> | undefined> = new Map<ClientKind, ReadonlySet<string> | undefined>([
  ['fastify', undefined],
  ['got', new Set(['hooks', 'handlers', 'cache', 'cookieJar', 'agent', 'request', 'mutableDefaults', 'context', 'dnsCache'])],
  ['axios', new Set(['adapter', 'transformRequest', 'transformResponse', 'httpAgent', 'httpsAgent', 'jar', 'fetchOptions', 'env'])],
  ['ky', new Set(['hooks', 'fetch', 'parseJson', 'stringifyJson'])],
]);

/**
 * Members through which an HTTP client is changed after it is made
 * (`api.interceptors.request.use(…)`, `api.defaults.headers.x = …`): a client
 * the file touches through one of them is not known to be stateless. (A
 * Fastify app's routes, hooks and plugins are the server a request reaches,
 * as a listening server is to `fetch`.)
 */
export const JS_CLIENT_RECONFIGURERS: ReadonlySet<string> = new Set(['interceptors', 'defaults']);
