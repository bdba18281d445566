/*
 * Messages between the playground panel (extension host, `panel.ts`) and its
 * webview (`webview/main.ts`), typed once here and validated on receipt on
 * both sides: a webview is a web page, and the extension never trusts what
 * comes back from it. Nothing here imports Node or VS Code.
 */

import { parseTraceEvent, RUN_ENDS, type RunEnd, type TraceEvent } from './events';

export type { RunEnd };

export type PlaygroundLanguage = 'python' | 'typescript' | 'javascript';
export type RuntimeKind = 'cpython' | 'node' | 'pyodide';

/** One entry of the example gallery, as the webview lists it. */
export interface GalleryEntry {
  readonly id: string;
  readonly title: string;
  /** One or two sentences in the seed articles' language. */
  readonly blurb: string;
  readonly languages: readonly ('python' | 'typescript')[];
  /** Two snippets run one after the other and shown stacked on one time axis. */
  readonly compare: boolean;
}

/** The editor document that Run runs (an untitled one for gallery examples). */
export interface RunTarget {
  readonly uri: string;
  /** What the user sees: the editor's title. */
  readonly label: string;
  readonly language: PlaygroundLanguage;
}

// ---- extension → webview -------------------------------------------------

export type HostMessage =
  /** The answer to `ready`: everything the webview needs to draw its first frame. */
  | {
      readonly type: 'init';
      readonly gallery: readonly GalleryEntry[];
      /** Running needs a trusted workspace; when false, `why` says so in words. */
      readonly canRun: boolean;
      readonly why?: string;
      readonly target?: RunTarget;
      readonly timeLimitMs: number;
    }
  /** Which document Run will run now (sent whenever it changes). */
  | { readonly type: 'target'; readonly target: RunTarget | null }
  /** The workspace became trusted, or an interpreter turned up / went away. */
  | { readonly type: 'canRun'; readonly canRun: boolean; readonly why?: string }
  /** Show the gallery (the "Open Playground" command). */
  | { readonly type: 'showGallery' }
  /**
   * A run begins. Runs with the same `group` are shown together: a single run
   * is a group of one; a comparison is a group of two, stacked on one time
   * axis in `position` order. A new group replaces the view.
   */
  | {
      readonly type: 'runStarted';
      readonly runId: string;
      readonly group: string;
      readonly position: number;
      readonly groupSize: number;
      readonly title: string;
      readonly language: PlaygroundLanguage;
      readonly runtime: { readonly kind: RuntimeKind; readonly label: string };
      /** The snippet's source, so lanes can show their loop's line. */
      readonly source: string;
    }
  /** Events of a run, in order, batched. */
  | { readonly type: 'events'; readonly runId: string; readonly events: readonly TraceEvent[] }
  | {
      readonly type: 'runEnded';
      readonly runId: string;
      readonly end: RunEnd;
      readonly milliseconds: number;
      readonly exitCode: number | null;
      /** Why it ended, in a few words ("out of memory (limit 1 GB)"); older hosts did not send it. */
      readonly reason?: string;
      /** In words, when the end needs explaining (a time limit, a cap, a missing interpreter, a crash before tracing). */
      readonly message?: string;
    }
  /** Something slow is happening (Pyodide's cold start); `done` clears it. */
  | { readonly type: 'progress'; readonly message: string; readonly done?: boolean };

// ---- webview → extension -------------------------------------------------

export type WebviewMessage =
  /** The webview has loaded and listens; the extension answers with `init`. */
  | { readonly type: 'ready' }
  /** Run the target document (again, for a comparison: both snippets). */
  | { readonly type: 'run' }
  /** Run again what ran last (both snippets of a comparison), with their editors' current text. */
  | { readonly type: 'rerun' }
  | { readonly type: 'stop' }
  /** Open a gallery example in an editor beside the panel, and run it. */
  | { readonly type: 'openExample'; readonly id: string; readonly language: 'python' | 'typescript' }
  /** Reveal a line of a run's snippet in its editor (a traceback frame, a lane's loop). */
  | { readonly type: 'reveal'; readonly runId: string; readonly line: number }
  /** Highlight a loop's line in the editor while a marble is hovered; `line: null` clears it. */
  | { readonly type: 'highlight'; readonly runId: string; readonly line: number | null };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const isLine = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 1;
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;
const LANGUAGES = new Set(['python', 'typescript', 'javascript']);
const RUNTIMES = new Set(['cpython', 'node', 'pyodide']);

/** The message if `value` is a well-formed webview message, else undefined. */
export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  if (!isObject(value)) return undefined;
  switch (value.type) {
    case 'ready':
    case 'run':
    case 'rerun':
    case 'stop':
      return { type: value.type };
    case 'openExample':
      return isString(value.id) && (value.language === 'python' || value.language === 'typescript') ? { type: 'openExample', id: value.id, language: value.language } : undefined;
    case 'reveal':
      return isString(value.runId) && isLine(value.line) ? { type: 'reveal', runId: value.runId, line: value.line } : undefined;
    case 'highlight':
      return isString(value.runId) && (value.line === null || isLine(value.line)) ? { type: 'highlight', runId: value.runId, line: value.line } : undefined;
    default:
      return undefined;
  }
}

const isTarget = (value: unknown): value is RunTarget => isObject(value) && isString(value.uri) && isString(value.label) && LANGUAGES.has(value.language as string);
const isGalleryEntry = (value: unknown): value is GalleryEntry =>
  isObject(value) &&
  isString(value.id) &&
  isString(value.title) &&
  isString(value.blurb) &&
  Array.isArray(value.languages) &&
  value.languages.every((language) => language === 'python' || language === 'typescript') &&
  typeof value.compare === 'boolean';

/**
 * The message if `value` is a well-formed host message, else undefined.
 * Malformed trace events inside an `events` batch are dropped, the rest kept.
 */
export function parseHostMessage(value: unknown): HostMessage | undefined {
  if (!isObject(value)) return undefined;
  const m = value;
  const why = m.why === undefined || isString(m.why);
  switch (m.type) {
    case 'init':
      return Array.isArray(m.gallery) && m.gallery.every(isGalleryEntry) && typeof m.canRun === 'boolean' && why && (m.target === undefined || isTarget(m.target)) && isCount(m.timeLimitMs)
        ? (m as unknown as HostMessage)
        : undefined;
    case 'target':
      return m.target === null || isTarget(m.target) ? (m as unknown as HostMessage) : undefined;
    case 'canRun':
      return typeof m.canRun === 'boolean' && why ? (m as unknown as HostMessage) : undefined;
    case 'showGallery':
      return { type: 'showGallery' };
    case 'runStarted':
      return isString(m.runId) &&
        isString(m.group) &&
        isCount(m.position) &&
        isCount(m.groupSize) &&
        m.position < m.groupSize &&
        isString(m.title) &&
        LANGUAGES.has(m.language as string) &&
        isObject(m.runtime) &&
        RUNTIMES.has(m.runtime.kind as string) &&
        isString(m.runtime.label) &&
        isString(m.source)
        ? (m as unknown as HostMessage)
        : undefined;
    case 'events': {
      if (!isString(m.runId) || !Array.isArray(m.events)) return undefined;
      const events = m.events.map(parseTraceEvent).filter((event): event is TraceEvent => event !== undefined);
      return { type: 'events', runId: m.runId, events };
    }
    case 'runEnded':
      return isString(m.runId) &&
        RUN_ENDS.has(m.end as string) &&
        isCount(m.milliseconds) &&
        (m.exitCode === null || typeof m.exitCode === 'number') &&
        (m.reason === undefined || isString(m.reason)) &&
        (m.message === undefined || isString(m.message))
        ? (m as unknown as HostMessage)
        : undefined;
    case 'progress':
      return isString(m.message) && (m.done === undefined || typeof m.done === 'boolean') ? (m as unknown as HostMessage) : undefined;
    default:
      return undefined;
  }
}
