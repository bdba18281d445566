import * as assert from 'node:assert/strict';
import { DEFAULT_LIMITS } from '../../src/playground/collect';
import { endReason, naturalEnd } from '../../src/playground/ends';
import { parseTraceEvent } from '../../src/playground/events';
import { parseHostMessage, parseWebviewMessage } from '../../src/playground/protocol';

/*
 * The playground's messages are validated on receipt on both sides (the
 * webview is a web page; the event pipe is one the snippet can write to too).
 */

describe('playground messages and events: validated on receipt', () => {
  it('accepts every well-formed webview message and keeps only its known fields', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'run', extra: '<script>' }), { type: 'run' });
    assert.deepEqual(parseWebviewMessage({ type: 'rerun' }), { type: 'rerun' });
    assert.deepEqual(parseWebviewMessage({ type: 'stop' }), { type: 'stop' });
    assert.deepEqual(parseWebviewMessage({ type: 'openExample', id: 'countdown', language: 'typescript', path: '/etc/passwd' }), { type: 'openExample', id: 'countdown', language: 'typescript' });
    assert.deepEqual(parseWebviewMessage({ type: 'reveal', runId: 'g1-1', line: 3 }), { type: 'reveal', runId: 'g1-1', line: 3 });
    assert.deepEqual(parseWebviewMessage({ type: 'highlight', runId: 'g1-1', line: null }), { type: 'highlight', runId: 'g1-1', line: null });
  });

  it('rejects malformed webview messages', () => {
    for (const bad of [
      null,
      'run',
      [],
      { type: 'exec', command: 'rm -rf /' },
      { type: 'openExample', id: 'countdown', language: 'ruby' },
      { type: 'openExample', id: 7, language: 'python' },
      { type: 'reveal', runId: 'g1-1', line: 0 },
      { type: 'reveal', runId: 'g1-1', line: 2.5 },
      { type: 'reveal', runId: 'g1-1', line: '3' },
      { type: 'highlight', runId: 1, line: 3 },
      { type: 'highlight', runId: 'g1-1' },
    ]) {
      assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad));
    }
  });

  it('host messages: a run group must be consistent, an events batch keeps only well-formed events', () => {
    const started = { type: 'runStarted', runId: 'g1-1', group: 'g1', position: 0, groupSize: 2, title: 'a', language: 'python', runtime: { kind: 'cpython', label: 'CPython' }, source: '' };
    assert.ok(parseHostMessage(started));
    assert.equal(parseHostMessage({ ...started, position: 2 }), undefined);
    assert.equal(parseHostMessage({ ...started, runtime: { kind: 'ruby', label: 'x' } }), undefined);
    assert.equal(parseHostMessage({ ...started, language: 'go' }), undefined);
    const batch = parseHostMessage({
      type: 'events',
      runId: 'g1-1',
      events: [{ t: 'item', loop: 1, n: 1, at: 5, wait: 5, task: null, value: "'x'" }, { t: 'item', loop: 1 }, { t: 'nonsense' }, { t: 'exit', at: 9 }],
    });
    assert.deepEqual(batch, { type: 'events', runId: 'g1-1', events: [{ t: 'item', loop: 1, n: 1, at: 5, wait: 5, task: null, value: "'x'" }, { t: 'exit', at: 9 }] });
    assert.equal(parseHostMessage({ type: 'runEnded', runId: 'g1-1', end: 'exploded', milliseconds: 1, exitCode: 0 }), undefined);
    assert.ok(parseHostMessage({ type: 'runEnded', runId: 'g1-1', end: 'timeout', milliseconds: 5000, exitCode: null, message: 'Stopped after 5 s' }));
    // Why, in words: new ends and the reason are optional additions (an older host sent neither).
    assert.ok(parseHostMessage({ type: 'runEnded', runId: 'g1-1', end: 'killed', reason: 'killed by signal SIGSEGV', milliseconds: 5, exitCode: null }));
    assert.ok(parseHostMessage({ type: 'runEnded', runId: 'g1-1', end: 'memory-limit', reason: 'out of memory (limit 1 GB)', milliseconds: 5, exitCode: 0 }));
    assert.equal(parseHostMessage({ type: 'runEnded', runId: 'g1-1', end: 'killed', reason: 11, milliseconds: 5, exitCode: null }), undefined);
    assert.equal(parseHostMessage({ type: 'init', gallery: [{ id: 'x' }], canRun: true, timeLimitMs: 5000 }), undefined);
  });

  it('trace events: kinds and fields checked, nothing trusted blindly', () => {
    assert.ok(parseTraceEvent({ t: 'loop', loop: 1, line: 4, col: 2, kind: 'for', task: 'main' }));
    assert.ok(parseTraceEvent({ t: 'error', at: 1, type: 'TypeError', message: 'm', frames: [{ line: 2, name: '<module>', text: '' }] }));
    assert.ok(parseTraceEvent({ t: 'exit', at: 1 }));
    assert.ok(parseTraceEvent({ t: 'exit', at: 1, end: 'output-cap', reason: 'output limit (4 MB)' }));
    for (const bad of [
      { t: 'loop', loop: 1, line: 4, col: 2, kind: 'while' },
      { t: 'item', loop: -1, n: 1, at: 1, wait: 1, task: null, value: 'v' },
      { t: 'item', loop: 1, n: 1, at: Number.NaN, wait: 1, task: null, value: 'v' },
      { t: 'end', loop: 1, at: 1, task: null, reason: 'crashed', items: 0 },
      { t: 'out', stream: 'stdin', at: 1, text: '' },
      { t: 'exit', at: 1, end: 'exploded' },
      { t: 'exit', at: 1, end: 'killed', reason: ['SIGSEGV'] },
      { t: 'error', at: 1, type: 'E', message: 'm', frames: [{ line: 'two' }] },
      { t: '__proto__' },
      42,
    ]) {
      assert.equal(parseTraceEvent(bad), undefined, JSON.stringify(bad));
    }
  });

  it('why a run ended, in the words the exit event and the panel use', () => {
    const limits = { ...DEFAULT_LIMITS, timeLimitMs: 2500 };
    assert.equal(endReason('memory-limit', limits), 'out of memory (limit 1 GB)');
    assert.equal(endReason('memory-limit', { ...limits, memoryLimitMb: 1536 }), 'out of memory (limit 1.5 GB)');
    assert.equal(endReason('memory-limit', { ...limits, memoryLimitMb: 64 }), 'out of memory (limit 64 MB)');
    assert.equal(endReason('killed', limits, { signal: 'SIGSEGV' }), 'killed by signal SIGSEGV');
    assert.equal(endReason('timeout', limits), 'time limit (2.5 s)');
    assert.equal(endReason('output-cap', limits), 'output limit (4 MB)');
    assert.equal(endReason('event-cap', limits), 'event limit (10,000 events)');
    assert.equal(endReason('exited', limits, { exitCode: 0 }), 'exited');
    assert.equal(endReason('exited', limits, { exitCode: 2 }), 'exited with code 2');
    assert.equal(naturalEnd({ signal: 'SIGABRT', outOfMemory: false, stderr: 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory' }), 'memory-limit');
    assert.equal(naturalEnd({ signal: 'SIGABRT', outOfMemory: false, stderr: '' }), 'killed');
    assert.equal(naturalEnd({ signal: null, outOfMemory: true, stderr: '' }), 'memory-limit');
  });
});
