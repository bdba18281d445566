import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CATALOG } from '../../src/catalog';
import type { EndEvent, ErrorEvent, ItemEvent } from '../../src/playground/events';
import { GALLERY, exampleForRule, galleryEntries, readSnippet, type GalleryExample, type GallerySnippet } from '../../src/playground/gallery';
import { runPython, type RunResult } from '../../src/playground/run';
import { runNode } from '../../src/playground/run-node';
import { JS_RULES } from '../../src/js/rules';
import { PYTHON_RULES } from '../../src/python/rules';
import { lintJs } from '../support/js';
import { lint, pythonExecutable, ready } from '../support/python';
import { ms, of, peakWaiting, RUNTIME, TRACER } from '../support/playground';

/*
 * The playground's example gallery and per-rule examples: the manifest is
 * consistent, and every snippet runs for real (CPython under the tracer and
 * untraced, Node under the runtime) and shows what it claims: its items, how
 * its loops end, its error, its timing. Our own Python rules stay silent on
 * every snippet except a rule example's mistake, which they flag.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const FOLDER = path.join(ROOT, 'src', 'playground', 'gallery');
/** Snippets run at once: they mostly sleep, and their times are measured inside each child. */
const PARALLEL = 6;

/** A value as the tracer shows it, without Python's or JSON's string quotes. */
const plain = (value: string) => value.replace(/^(['"])(.*)\1$/, '$2');

class Run {
  constructor(
    readonly file: string,
    readonly result: RunResult,
  ) {}
  get events() {
    return this.result.events;
  }
  items(loop?: number): ItemEvent[] {
    return of(this.events, 'item').filter((item) => loop === undefined || item.loop === loop);
  }
  values(loop?: number): string[] {
    return this.items(loop).map((item) => plain(item.value));
  }
  ends(): [number, string, number][] {
    return of(this.events, 'end').map((end: EndEvent) => [end.loop, end.reason, end.items]);
  }
  /** Each printed line, in order. */
  lines(): string[] {
    return of(this.events, 'out')
      .filter((out) => out.stream === 'stdout')
      .flatMap((out) => out.text.split('\n'))
      .filter(Boolean);
  }
  error(): ErrorEvent | undefined {
    return of(this.events, 'error')[0];
  }
  /** From the first item's request to the last item's arrival, in ms. */
  span(): number {
    const items = this.items();
    return ms(items.at(-1)!.at) - ms(items[0]!.at - items[0]!.wait);
  }
  /** The "… in 1.2 s" the snippet prints at its end. */
  printedSeconds(): number {
    const line = this.lines().find((text) => / in \d+(\.\d+)? s$/.test(text));
    assert.ok(line, `${this.file} prints its time: ${this.lines().join(' | ')}`);
    return Number(/ in (\d+(?:\.\d+)?) s$/.exec(line)![1]);
  }
  describe(): string {
    return `${this.file}: ${this.result.end}, ${JSON.stringify(this.error()?.message ?? null)}, ${this.result.stderr}\n${this.lines().join('\n')}`;
  }
}

const snippets = (example: GalleryExample) => [...(example.python ?? []), ...(example.typescript ?? [])];
const ALL: readonly GallerySnippet[] = GALLERY.flatMap(snippets);
/** The first snippet of a rule example's pair is the mistake. */
const MISTAKES = new Set(GALLERY.filter((example) => example.rules?.length).flatMap((example) => [example.python?.[0]?.file, example.typescript?.[0]?.file].filter((file): file is string => !!file)));
const PYTHON_CODES = new Set(PYTHON_RULES.map((rule) => rule.meta.code));
const JS_CODES = new Set(JS_RULES.map((rule) => rule.meta.code));

/**
 * The exception each snippet ends with, as CPython or Node raises it (none:
 * the snippet succeeds). Every mistake shows its real consequence; the fixes
 * and the gallery's other examples run cleanly.
 */
const ERRORS: Record<string, string> = {
  'broken-aiter.py': 'TypeError',
  'broken-aiter.ts': 'TypeError',
  'ait101-bug.py': 'TypeError',
  'ait101-bug.ts': 'TypeError',
  'ait102-bug.py': 'TypeError',
  'ait103-bug.ts': 'Error',
  'ait104-bug.py': 'AttributeError',
  'ait104-bug.ts': 'TypeError',
  'ait202-bug.py': 'TypeError',
  'ait203-bug.py': 'TypeError',
  'ait204-bug.py': 'RuntimeError',
  'ait205-bug.py': 'TypeError',
};

const COUNTDOWN = (run: Run) => {
  assert.deepEqual(run.values(), ['5', '4', '3', '2', '1']);
  assert.deepEqual(run.ends(), [[1, 'exhausted', 5]]);
  for (const item of run.items()) assert.ok(ms(item.wait) >= 180, `each number takes 0.2 s: ${ms(item.wait)} ms`);
  assert.deepEqual(run.lines(), ['5', '4', '3', '2', '1', 'Liftoff!']);
};
const CONVEYOR_BELT = (run: Run) => {
  assert.deepEqual(run.values(), ['salmon nigiri', 'tuna roll', 'miso soup', 'tamago', 'eel']);
  assert.deepEqual(run.ends(), [[1, 'exhausted', 5]]);
  // Plates come when they are ready: each waits at least as long as the chef takes for it.
  const waits = run.items().map((item) => ms(item.wait));
  [300, 100, 200, 50, 250].forEach((expected, index) => assert.ok(waits[index]! >= expected - 10, `waits ${waits.join(', ')}`));
  assert.equal(run.lines().at(-1), 'the belt is empty');
};
const FETCH_PAGES = (run: Run) => {
  assert.equal(run.items().length, 3);
  assert.deepEqual(run.ends(), [[1, 'exhausted', 3]]);
  for (const item of run.items()) assert.ok(ms(item.wait) >= 180, `each page comes after the latency: ${ms(item.wait)} ms`);
  assert.deepEqual(run.lines(), ['page: ant, bee, cat', 'page: dog, eel, fox', 'page: gnu, hen']);
};
const QUERY_LARGE_TABLE = (run: Run) => {
  // The generator's loop over the cursor, then the caller's loop over the generator: 300 rows each.
  assert.deepEqual(run.ends(), [[1, 'exhausted', 300], [2, 'exhausted', 300]]);
  const rows = run.items(2);
  assert.equal(rows[0]!.value.includes('cents'), true, rows[0]!.value);
  // The first row of each batch of 50 waits for a round trip (the others come from memory).
  const waited = rows.filter((row) => ms(row.wait) >= 30).map((row) => row.n);
  for (const first of [1, 51, 101, 151, 201, 251]) assert.ok(waited.includes(first), `row ${first} waits for its batch: ${waited.join(', ')}`);
  assert.deepEqual(run.lines(), ['300 rows, 1485000 cents in all']);
};
const EVENT_LISTENER = (run: Run) => {
  assert.equal(run.items().length, 4);
  assert.deepEqual(run.ends(), [[1, 'exhausted', 4]]);
  assert.deepEqual(
    run.values().map((value) => Number(/[\d.]+/.exec(value)![0])),
    [21.5, 21.7, 22.4, 23],
  );
  for (const item of run.items()) assert.ok(ms(item.wait) >= 100, `each event waits for the sensor: ${ms(item.wait)} ms`);
};
const MERGE = (run: Run) => {
  // The merged stream is the last loop; in Python, one forwarding task per belt runs the first.
  const last = Math.max(...run.items().map((item) => item.loop));
  const plates = run.values(last);
  assert.equal(plates.length, 9);
  for (const [name, count] of [['salmon', 4], ['tuna', 3], ['eel', 2]] as const) {
    assert.deepEqual(plates.filter((plate) => plate.startsWith(name)), Array.from({ length: count }, (_, index) => `${name} ${index + 1}`));
  }
  assert.equal(plates[0], 'salmon 1');
  // The belts run at once, so their plates interleave (one after the other, they could not).
  const switches = plates.filter((plate, index) => index > 0 && plate.split(' ')[0] !== plates[index - 1]!.split(' ')[0]).length;
  assert.ok(switches >= 5, `the belts interleave: ${plates.join(', ')}`);
};
const FIXED_COUNTDOWN = (run: Run) => {
  assert.deepEqual(run.values(), ['3', '2', '1']);
  assert.deepEqual(run.ends(), [[1, 'exhausted', 3]]);
};
const NOTHING_ARRIVES = (run: Run) => assert.deepEqual(run.items(), []);
const TICKS = (run: Run) => {
  assert.deepEqual(run.values(), ['tick', 'tick', 'tick']);
  assert.deepEqual(run.ends(), [[1, 'exhausted', 3]]);
};
const THREE_PAGES = (run: Run) => {
  assert.equal(run.items().length, 3);
  assert.deepEqual(run.ends(), [[1, 'exhausted', 3]]);
  assert.deepEqual(run.lines(), ['18 characters', '20 characters', '21 characters']);
};
const HEADLINE_THEN_REST = (run: Run) => {
  assert.deepEqual(run.lines(), ['ASYNC ITERATORS EXPLAINED', 'then: one item at a time']);
  assert.deepEqual(run.ends(), [[1, 'exhausted', 1]]);
};
const TABLES = (run: Run) => assert.deepEqual(run.lines(), ['Ann: table for 2', 'Bob: table for 4', 'Cy: table for 3']);

const AIT302_ONE_BY_ONE = (run: Run) => {
  assert.deepEqual(run.values(), ['/news', '/sports', '/weather', '/comics'].map((url) => `<html>${url}</html>`));
  assert.ok(run.span() >= 700, `one download after another: ${run.span()} ms`);
  assert.ok(run.printedSeconds() >= 0.7);
};
const AIT401_BLOCKED = (run: Run) => {
  // No beat at all until the belt is done: the blocked loop cannot run the heartbeat.
  const plates = run.items().filter((item) => item.value.includes('plate'));
  const ticks = run.items().filter((item) => item.value.includes('tick'));
  assert.deepEqual(plates.map((item) => plain(item.value)), ['plate 1', 'plate 2', 'plate 3']);
  assert.ok(ticks.length >= 1, 'the heartbeat ticks once the belt is done');
  assert.ok(ticks.every((tick) => tick.at > plates.at(-1)!.at), 'no tick while the belt blocks the loop');
  assert.deepEqual(run.lines().slice(0, 4), ['ate plate 1', 'ate plate 2', 'ate plate 3', 'tick 1']);
};
const AIT401_TICKING = (run: Run) => {
  const plates = run.items().filter((item) => item.value.includes('plate'));
  const ticks = run.items().filter((item) => item.value.includes('tick'));
  assert.deepEqual(plates.map((item) => plain(item.value)), ['plate 1', 'plate 2', 'plate 3']);
  const between = ticks.filter((tick) => tick.at < plates.at(-1)!.at);
  assert.ok(between.length >= 3, `the heartbeat ticks between plates: ${between.length} ticks`);
  assert.equal(run.lines()[0], 'tick 1');
};

/** What each snippet's traced run must show (its error is checked against ERRORS separately). */
const CHECKS: Record<string, (run: Run) => void> = {
  'countdown.py': COUNTDOWN,
  'countdown.ts': COUNTDOWN,
  'conveyor-belt.py': CONVEYOR_BELT,
  'conveyor-belt.ts': CONVEYOR_BELT,
  'fetch-pages.py': FETCH_PAGES,
  'fetch-pages.ts': FETCH_PAGES,
  'query-large-table.py': QUERY_LARGE_TABLE,
  'query-large-table.ts': QUERY_LARGE_TABLE,
  'event-listener.py': (run) => {
    EVENT_LISTENER(run);
    assert.deepEqual([...new Set(run.items().map((item) => item.task))], ['Task-1']);
  },
  'event-listener.ts': EVENT_LISTENER,
  // The misconception and aclosing pairs are checked together below.
  'misconception-sequential.py': () => {},
  'misconception-concurrent.py': () => {},
  'misconception-sequential.ts': () => {},
  'misconception-concurrent.ts': () => {},
  'aclosing-without.py': () => {},
  'aclosing-with.py': () => {},
  'return-manual-next.ts': () => {},
  'return-for-await.ts': () => {},
  'merge.py': MERGE,
  'merge.ts': MERGE,
  'broken-aiter.py': NOTHING_ARRIVES,
  'broken-aiter.ts': NOTHING_ARRIVES,
  'fixed-aiter.py': FIXED_COUNTDOWN,
  'fixed-aiter.ts': FIXED_COUNTDOWN,
  'ait101-bug.py': NOTHING_ARRIVES,
  'ait101-bug.ts': NOTHING_ARRIVES,
  'ait101-fix.py': THREE_PAGES,
  'ait101-fix.ts': THREE_PAGES,
  'ait102-bug.py': (run) => assert.deepEqual(run.lines(), []),
  'ait102-fix.py': TABLES,
  'ait103-bug.ts': (run) => {
    // /weather fails at 50 ms, unhandled, while the loop still waits for /news: the process stops there.
    assert.deepEqual(run.items(), []);
    assert.deepEqual(run.lines(), []);
    assert.match(run.error()!.message, /\/weather: 503/);
    assert.equal(run.result.exitCode, 1);
  },
  'ait103-fix.ts': (run) => assert.deepEqual(run.lines(), ['<html>/news</html>', '<html>/sports</html>', 'failed: /weather: 503 Service Unavailable', 'done']),
  'ait104-bug.py': (run) => {
    assert.deepEqual(run.lines(), []);
    assert.match(run.error()!.message, /async_generator_asend/);
  },
  'ait104-bug.ts': (run) => assert.deepEqual(run.lines(), []),
  'ait104-fix.py': HEADLINE_THEN_REST,
  'ait104-fix.ts': HEADLINE_THEN_REST,
  'ait202-bug.py': NOTHING_ARRIVES,
  'ait202-fix.py': TICKS,
  'ait203-bug.py': NOTHING_ARRIVES,
  'ait203-fix.py': TICKS,
  'ait204-bug.py': (run) => {
    // Every number arrives; the wrong stop signal crashes the loop at the end.
    assert.deepEqual(run.values(), ['3', '2', '1']);
    assert.deepEqual(run.ends(), [[1, 'error', 3]]);
    assert.match(run.error()!.message, /coroutine raised StopIteration/);
    assert.deepEqual(run.lines(), ['3', '2', '1']);
  },
  'ait204-fix.py': (run) => {
    FIXED_COUNTDOWN(run);
    assert.deepEqual(run.lines(), ['3', '2', '1', 'Liftoff!']);
  },
  'ait205-bug.py': NOTHING_ARRIVES,
  'ait205-fix.py': FIXED_COUNTDOWN,
  'ait302-bug.py': AIT302_ONE_BY_ONE,
  'ait302-fix.py': (run) => {
    // In the order they finish, not the order asked: they all ran at once.
    assert.deepEqual(run.values(), ['/sports', '/comics', '/weather', '/news'].map((url) => `<html>${url}</html>`));
  },
  'ait303-bug.py': (run) => {
    assert.deepEqual(run.lines().slice(0, 3), ['report north', 'report south', 'report east']);
    assert.ok(run.printedSeconds() >= 0.55, run.lines().join(' | '));
  },
  'ait303-fix.py': (run) => {
    // Results in the order asked, whenever each finished (how much sooner than the mistake: bench, not a test).
    assert.deepEqual(run.lines().slice(0, 3), ['report north', 'report south', 'report east']);
  },
  'ait302-bug.ts': AIT302_ONE_BY_ONE,
  'ait302-fix.ts': (run) => {
    // Promise.all keeps the order asked, whenever each finished.
    assert.deepEqual(run.values(), ['/news', '/sports', '/weather', '/comics'].map((url) => `<html>${url}</html>`));
  },
  'ait401-bug.py': AIT401_BLOCKED,
  'ait401-bug.ts': AIT401_BLOCKED,
  'ait401-fix.py': AIT401_TICKING,
  'ait401-fix.ts': AIT401_TICKING,
};

/** Runs `tasks` with at most `limit` at a time. */
async function pool<T>(tasks: readonly (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

function traced(snippet: GallerySnippet): Promise<Run> {
  const code = readSnippet(FOLDER, snippet);
  // A generous time limit: on a loaded machine the snippets take longer, and none may end at the limit.
  const run = snippet.file.endsWith('.py') ? runPython({ code, tracer: TRACER, timeLimitMs: 60_000 }) : runNode({ code, runtime: RUNTIME, fileName: snippet.file, timeLimitMs: 60_000 });
  return run.done.then((result) => new Run(snippet.file, result));
}

/** The last line of a Python traceback names the exception; null when the snippet succeeded. */
function untraced(python: string, file: string): Promise<{ error: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(python, ['-X', 'utf8', path.join(FOLDER, file)], { timeout: 60_000 }, (failure, stdout, stderr) => {
      const last = stderr.trim().split('\n').at(-1) ?? '';
      resolve({ error: failure ? (/^(\w+)(?::|$)/.exec(last)?.[1] ?? `exit ${failure.code}: ${last}`) : null, stdout, stderr });
    });
  });
}

describe('playground gallery: the manifest', () => {
  it('lists existing files, each once, with unique ids', () => {
    const ids = GALLERY.map((example) => example.id);
    assert.deepEqual(ids, [...new Set(ids)]);
    const files = ALL.map((snippet) => snippet.file);
    assert.deepEqual(files, [...new Set(files)], 'no file is used twice');
    for (const snippet of ALL) {
      assert.ok(fs.existsSync(path.join(FOLDER, snippet.file)), snippet.file);
      assert.ok(snippet.title.trim(), `${snippet.file} has a title`);
    }
    for (const example of GALLERY) {
      assert.ok(example.python?.length || example.typescript?.length, `${example.id} has a snippet`);
      for (const [language, extension] of [['python', '.py'], ['typescript', '.ts']] as const) {
        const list = example[language];
        if (!list) continue;
        assert.ok(list.length === 1 || list.length === 2, `${example.id}: one snippet or a pair`);
        assert.ok(list.every((snippet) => snippet.file.endsWith(extension)), `${example.id}: ${language} files end in ${extension}`);
      }
      if (example.python && example.typescript) assert.equal(example.python.length, example.typescript.length, `${example.id}: both languages compare, or neither`);
      assert.ok(example.blurb.length > 20 && example.blurb.length < 400, `${example.id}: a one- or two-sentence blurb`);
    }
    // Every snippet in the folder is in the manifest (esbuild copies them all).
    const onDisk = fs.readdirSync(FOLDER).filter((file) => /\.(py|ts)$/.test(file) && file !== 'index.ts' && !file.endsWith('.d.ts'));
    assert.deepEqual(onDisk.sort(), [...files].sort());
  });

  it('has both languages for every gallery entry, and a pair for every rule example', () => {
    for (const example of GALLERY.filter((candidate) => candidate.inGallery)) {
      assert.ok(example.python?.length && example.typescript?.length, `${example.id} is in Python and TypeScript`);
    }
    for (const example of GALLERY.filter((candidate) => candidate.rules?.length)) {
      for (const list of [example.python, example.typescript]) if (list) assert.equal(list.length, 2, `${example.id}: [the mistake, the fix]`);
    }
  });

  it('names only registered rules, each in one example, in a language the rule has', () => {
    const seen = new Set<string>();
    for (const example of GALLERY) {
      for (const code of example.rules ?? []) {
        const rule = CATALOG.entry(code);
        assert.ok(rule, `${example.id}: ${code} is in the registry`);
        assert.ok(!seen.has(code), `${code} opens one example`);
        seen.add(code);
        const languages = [example.python && 'python', example.typescript && 'javascript'].filter(Boolean);
        assert.ok(rule.languages.some((language) => languages.includes(language)), `${example.id}: ${code} is a ${rule.languages.join('/')} rule`);
      }
    }
  });

  it('has an example for each rule whose run shows something', () => {
    const covered = (code: string, language: 'python' | 'typescript') => !!exampleForRule(code)?.[language];
    for (const code of ['AIT101', 'AIT102', 'AIT104', 'AIT201', 'AIT202', 'AIT203', 'AIT204', 'AIT205', 'AIT301', 'AIT302', 'AIT303', 'AIT401', 'AIT402']) assert.ok(covered(code, 'python'), `${code} in Python`);
    for (const code of ['AIT101', 'AIT103', 'AIT104', 'AIT201', 'AIT301', 'AIT302', 'AIT401']) assert.ok(covered(code, 'typescript'), `${code} in TypeScript`);
    assert.equal(exampleForRule('AIT105'), undefined);
    assert.equal(exampleForRule('AIT301')?.id, 'misconception');
  });

  it('gives the webview the gallery entries only, with their languages and comparisons', () => {
    const entries = galleryEntries();
    assert.deepEqual(entries.map((entry) => entry.id), GALLERY.filter((example) => example.inGallery).map((example) => example.id));
    const misconception = entries.find((entry) => entry.id === 'misconception')!;
    assert.deepEqual(misconception.languages, ['python', 'typescript']);
    assert.equal(misconception.compare, true);
    assert.equal(entries.find((entry) => entry.id === 'countdown')!.compare, false);
  });

  it('reads snippets by file name only', () => {
    assert.match(readSnippet(FOLDER, { title: 'Countdown', file: 'countdown.py' }), /class Countdown/);
    assert.throws(() => readSnippet(FOLDER, { title: 'escape', file: '../run.ts' }), /not a gallery file name/);
  });
});

describe('playground gallery: every snippet, run for real', function () {
  // About 80 real runs, six at a time: minutes on a loaded 2-core machine (a guard against a hang, not a speed bar).
  this.timeout(600_000);
  const runs = new Map<string, Run>();
  const realErrors = new Map<string, string | null>();
  const python = pythonExecutable();

  before(async function () {
    if (!python) this.skip();
    const tasks: (() => Promise<void>)[] = [
      ...ALL.map((snippet) => async () => {
        runs.set(snippet.file, await traced(snippet));
      }),
      ...ALL.filter((snippet) => snippet.file.endsWith('.py')).map((snippet) => async () => {
        realErrors.set(snippet.file, (await untraced(python!, snippet.file)).error);
      }),
    ];
    await pool(tasks, PARALLEL);
  });

  for (const snippet of ALL) {
    const expected = ERRORS[snippet.file] ?? null;
    it(`${snippet.file}: ${expected ? `fails with ${expected}` : 'runs cleanly'} and shows what it teaches`, function () {
      const run = runs.get(snippet.file)!;
      assert.equal(run.result.end, 'exited', run.describe());
      assert.equal(run.events.at(-1)?.t, 'exit', run.describe());
      assert.equal(of(run.events, 'cap').length, 0);
      const check = CHECKS[snippet.file];
      assert.ok(check, `${snippet.file} has a check in this test`);
      assert.equal(run.error()?.type ?? null, expected, run.describe());
      check(run);
    });
  }

  for (const snippet of ALL.filter((candidate) => candidate.file.endsWith('.py'))) {
    const expected = ERRORS[snippet.file] ?? null;
    it(`${snippet.file}: ${expected ? `fails with ${expected}` : 'runs cleanly'} under plain python3 too`, () => {
      assert.equal(realErrors.get(snippet.file), expected);
    });
  }

  for (const language of ['py', 'ts'] as const) {
    it(`the misconception (${language}): one belt after the other waits one at a time (at least the sum of the waits), both at once two at once, interleaved`, () => {
      const sequential = runs.get(`misconception-sequential.${language}`)!;
      const concurrent = runs.get(`misconception-concurrent.${language}`)!;
      const plates = ['salmon 1', 'salmon 2', 'salmon 3', 'tuna 1', 'tuna 2', 'tuna 3'];
      assert.deepEqual(sequential.values(), plates);
      assert.deepEqual([...concurrent.values()].sort(), plates);
      // 2 belts × 3 plates × 0.2 s: at least 1.2 s in a row, one wait at a time; side by side, two waits at once.
      assert.ok(sequential.span() >= 1150, `one after the other: ${sequential.span()} ms`);
      assert.ok(sequential.printedSeconds() >= 1.1, `${sequential.printedSeconds()} s`);
      assert.equal(peakWaiting(sequential.events), 1);
      assert.equal(peakWaiting(concurrent.events), 2);
      // Side by side, the plates alternate between the two tasks.
      const tasks = concurrent.items().map((item) => item.task);
      assert.equal(new Set(tasks).size, 2);
      const switches = tasks.filter((task, index) => index > 0 && task !== tasks[index - 1]).length;
      assert.ok(switches >= 3, `interleaved: ${tasks.join(', ')}`);
      if (language === 'py') {
        assert.deepEqual([...new Set(sequential.items().map((item) => item.task))], ['Task-1']);
        assert.deepEqual([...new Set(tasks)].sort(), ['salmon', 'tuna']);
      }
      for (const run of [sequential, concurrent]) assert.deepEqual(run.ends().map(([, reason, items]) => [reason, items]), [['exhausted', 3], ['exhausted', 3]]);
    });
  }

  it('aclosing (py): without it the cleanup runs after the code that follows the break; with it, at the break', () => {
    for (const file of ['aclosing-without.py', 'aclosing-with.py']) {
      const run = runs.get(file)!;
      assert.deepEqual(run.values(), ['plate 1', 'plate 2']);
      assert.deepEqual(run.ends(), [[1, 'break', 2]]);
    }
    const late = runs.get('aclosing-without.py')!.lines();
    // Exactly CPython's own order: the abandoned generator is closed at the next await, after the loop is left.
    assert.deepEqual(late, ['seat taken', 'ate plate 1', 'ate plate 2', 'left the loop', 'cleanup: seat given back', 'paid and went home']);
    const onTime = runs.get('aclosing-with.py')!.lines();
    assert.deepEqual(onTime, ['seat taken', 'ate plate 1', 'ate plate 2', 'cleanup: seat given back', 'left the loop', 'paid and went home']);
  });

  it('closing early (ts): `for await` closes the generator at the break; next() by hand never does', () => {
    const manual = runs.get('return-manual-next.ts')!;
    assert.deepEqual(manual.lines(), ['seat taken', 'ate plate 1', 'ate plate 2', 'left the loop', 'paid and went home']);
    assert.deepEqual(manual.items(), []);
    const loop = runs.get('return-for-await.ts')!;
    assert.deepEqual(loop.lines(), ['seat taken', 'ate plate 1', 'ate plate 2', 'cleanup: seat given back', 'left the loop', 'paid and went home']);
    assert.deepEqual(loop.ends(), [[1, 'break', 2]]);
  });
});

describe('playground gallery: our Python rules on the snippets', () => {
  before(ready);

  for (const snippet of ALL.filter((candidate) => candidate.file.endsWith('.py'))) {
    const example = GALLERY.find((candidate) => candidate.python?.includes(snippet))!;
    const rules = MISTAKES.has(snippet.file) ? (example.rules ?? []) : [];
    it(`${snippet.file}: ${rules.length ? `flagged ${rules.join(', ')}, nothing else` : 'no findings'}`, function () {
      const codes = lint(readSnippet(FOLDER, snippet)).map((finding) => finding.code);
      assert.deepEqual(codes.filter((code) => !rules.includes(code)), [], `unexpected findings in ${snippet.file}`);
      const implemented = rules.filter((code) => PYTHON_CODES.has(code));
      for (const code of implemented) assert.ok(codes.includes(code), `${snippet.file} triggers ${code}`);
      // A rule the Python frontend does not implement yet cannot be asked to fire.
      if (implemented.length < rules.length) this.skip();
    });
  }
});

describe('playground gallery: our JS/TS rules on the TypeScript snippets', () => {
  for (const snippet of ALL.filter((candidate) => candidate.file.endsWith('.ts'))) {
    const example = GALLERY.find((candidate) => candidate.typescript?.includes(snippet))!;
    const rules = MISTAKES.has(snippet.file) ? (example.rules ?? []) : [];
    it(`${snippet.file}: ${rules.length ? `flagged ${rules.join(', ')}, nothing else` : 'no findings'}`, function () {
      // Typed, as the editor checks the examples folder; the syntax-only hosts see a subset.
      const codes = lintJs(readSnippet(FOLDER, snippet), undefined, { fileName: snippet.file, mode: 'typed' }).map((finding) => finding.code);
      assert.deepEqual(codes.filter((code) => !rules.includes(code)), [], `unexpected findings in ${snippet.file}`);
      const implemented = rules.filter((code) => JS_CODES.has(code));
      for (const code of implemented) assert.ok(codes.includes(code), `${snippet.file} triggers ${code}`);
      // A rule the JS frontend does not implement yet cannot be asked to fire.
      if (implemented.length < rules.length) this.skip();
    });
  }
});
