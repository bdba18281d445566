"""Async Lens playground tracer for CPython and Pyodide.

Usage: python tracer.py SNIPPET_FILE      (CPython: events on fd 3)
       run(source, write_line, ...)       (Pyodide's worker: events through a callback)

Runs the snippet with every `async for` and async comprehension rewritten
(by an `ast` transform) to pass its iterable through a tracer. The tracer
reports, as JSON lines, every item each loop received, when, how long it
waited and on which task, and how each loop ended. The snippet's own
stdout/stderr writes are reported on the same channel, so the
order of prints and items is the true order. `asend`/`athrow`/`aclose` go
straight to the wrapped iterator. Tracebacks show only the snippet's frames.

Events (one JSON object per line, `t` is the kind, times in ns since start):
  {"t":"start","wall":<unix seconds>}
  {"t":"loop","loop":N,"line":L,"col":C,"kind":"for"|"comprehension"}
  {"t":"item","loop":N,"n":K,"at":ns,"wait":ns,"task":name|null,"value":repr}
  {"t":"end","loop":N,"at":ns,"task":...,"reason":"exhausted"|"break"|"error","items":K,"error":repr?}
  {"t":"out","stream":"stdout"|"stderr","at":ns,"text":...}
  {"t":"error","at":ns,"type":...,"message":...,"frames":[{"line":L,"name":...,"text":...}]}
  {"t":"cap","at":ns,"events":N}
  {"t":"exit","at":ns}
"""

import ast
import asyncio
import builtins
import gc
import itertools
import json
import linecache
import os
import sys
import time
import traceback
import warnings

MAX_EVENTS = int(os.environ.get("ASYNC_LENS_MAX_EVENTS", "10000"))
MAX_REPR = int(os.environ.get("ASYNC_LENS_MAX_REPR", "200"))
_PIECE = 1 << 16  # characters of output, or of an error message, in one event at most
SNIPPET = "<snippet>"

_started = time.perf_counter_ns()
_write_line = None  # where events go: one JSON text per call (set by `run`)
_count = 0
_capped = False


def _now():
    return time.perf_counter_ns() - _started


_pending = {"stdout": "", "stderr": ""}


def _flush_output():
    for stream, text in _pending.items():
        if text:
            _pending[stream] = ""
            _write({"t": "out", "stream": stream, "at": _now(), "text": text})


def _emit(event):
    """Writes one event after any output printed before it."""
    _flush_output()
    _write(event)


def _write(event):
    """Writes one event; past the cap, says so once and drops the rest."""
    global _count, _capped
    if _capped:
        return
    _count += 1
    if _count > MAX_EVENTS:
        _capped = True
        event = {"t": "cap", "at": _now(), "events": MAX_EVENTS}
    try:
        _write_line(json.dumps(event, ensure_ascii=False))
    except (OSError, ValueError):
        pass


def _repr(value):
    try:
        text = repr(value)
    except Exception as error:  # a broken __repr__ must not break the snippet
        text = "<repr failed: %s>" % type(error).__name__
    return text if len(text) <= MAX_REPR else text[: MAX_REPR - 1] + "\u2026"


def _task_name():
    try:
        task = asyncio.current_task()
    except RuntimeError:
        return None
    return task.get_name() if task is not None else None


class _Traced:
    """A pass-through async iterator that reports what its loop receives."""

    __slots__ = ("_iterator", "_loop", "_items", "_ended", "_refused")

    def __init__(self, iterable, loop):
        self._loop = loop
        self._items = 0
        self._ended = False
        self._refused = None
        self._iterator = None
        # What `async for` itself checks, looked up on the type as CPython does, with its
        # own TypeErrors: the snippet must fail exactly as it would untraced. The error is
        # raised by the first __anext__, inside the loop's guard, so the loop ends "error".
        aiter = getattr(type(iterable), "__aiter__", None)
        if aiter is None:
            self._refused = TypeError("'async for' requires an object with __aiter__ method, got %s" % type(iterable).__name__)
            return
        iterator = aiter(iterable)
        if not hasattr(type(iterator), "__anext__"):
            self._refused = TypeError("'async for' received an object from __aiter__ that does not implement __anext__: %s" % type(iterator).__name__)
            return
        self._iterator = iterator

    def __aiter__(self):
        return self

    async def __anext__(self):
        asked = _now()
        try:
            if self._refused is not None:
                raise self._refused
            value = await self._iterator.__anext__()
        except StopAsyncIteration:
            self._end("exhausted")
            raise
        except BaseException as error:
            self._end("error", error)
            raise
        self._items += 1
        at = _now()
        _emit({"t": "item", "loop": self._loop, "n": self._items, "at": at, "wait": at - asked, "task": _task_name(), "value": _repr(value)})
        return value

    # The generator protocol's other methods go to the real iterator unchanged.
    def asend(self, value):
        return self._iterator.asend(value)

    def athrow(self, *args):
        return self._iterator.athrow(*args)

    def aclose(self):
        return self._iterator.aclose()

    def _end(self, reason, error=None):
        if self._ended:
            return
        self._ended = True
        event = {"t": "end", "loop": self._loop, "at": _now(), "task": _task_name(), "reason": reason, "items": self._items}
        if error is not None:
            event["error"] = _repr(error)
        _emit(event)

    def __async_lens_left__(self, error):
        """Called when the loop statement is left: by `break`/`return` unless the iterator ended."""
        self._end("error" if error is not None else "break", error)


def __async_lens_trace__(iterable, loop):
    return _Traced(iterable, loop)


class _Rewriter(ast.NodeTransformer):
    """Wraps each `async for` iterable, and each async comprehension's, in the tracer."""

    def __init__(self):
        self.loops = 0

    def _wrap(self, iterable, where, kind):
        self.loops += 1
        loop = self.loops
        _emit({"t": "loop", "loop": loop, "line": where.lineno, "col": where.col_offset, "kind": kind})
        call = ast.Call(ast.Name("__async_lens_trace__", ast.Load()), [iterable, ast.Constant(loop)], [])
        return loop, ast.copy_location(call, iterable)

    def visit_AsyncFor(self, node):
        self.generic_visit(node)
        loop, call = self._wrap(node.iter, node, "for")
        name = "__async_lens_loop_%d__" % loop
        error = "__async_lens_error_%d__" % loop
        node.iter = ast.Name(name, ast.Load())
        # loop = trace(iterable); try: async for ...; except BaseException as e: left(e); raise; else/finally: left(None)
        assign = ast.Assign([ast.Name(name, ast.Store())], call)
        left = lambda argument: ast.Expr(ast.Call(ast.Attribute(ast.Name(name, ast.Load()), "__async_lens_left__", ast.Load()), [argument], []))
        handler = ast.ExceptHandler(ast.Name("BaseException", ast.Load()), error, [left(ast.Name(error, ast.Load())), ast.Raise()])
        # The finally also drops the wrapper: untraced, the loop's iterator is gone once the
        # loop is left, and an abandoned async generator is finalised at once, not at return.
        release = ast.Assign([ast.Name(name, ast.Store())], ast.Constant(None))
        guarded = ast.Try([node], [handler], [], [left(ast.Constant(None)), release])
        statements = [assign, guarded]
        for statement in statements:
            ast.copy_location(statement, node)
            ast.fix_missing_locations(statement)
        return statements

    def visit_comprehension(self, node):
        self.generic_visit(node)
        if node.is_async:
            _, node.iter = self._wrap(node.iter, node.iter, "comprehension")
        return node


class _Output:
    """sys.stdout / sys.stderr: writes go to the event channel, in order with the items."""

    def __init__(self, stream):
        self._stream = stream
        self.encoding = "utf-8"

    def write(self, text):
        # Whole lines become one event each time; a partial line waits for the next event or flush,
        # unless it is long: then it goes out in pieces, so that the runner's output cap counts a
        # huge line as it comes instead of waiting for its end (the view joins the pieces).
        pending = _pending[self._stream] + text
        cut = len(pending) if len(pending) >= _PIECE else pending.rfind("\n") + 1
        _pending[self._stream] = pending[cut:]
        for start in range(0, cut, _PIECE):
            _write({"t": "out", "stream": self._stream, "at": _now(), "text": pending[start : min(start + _PIECE, cut)]})
        return len(text)

    def flush(self):
        _flush_output()

    def isatty(self):
        return False


def _report(error):
    frames = [
        {"line": frame.lineno, "name": frame.name, "text": (frame.line or "").strip()}
        for frame in traceback.extract_tb(error.__traceback__)
        if frame.filename == SNIPPET
    ]
    if isinstance(error, SyntaxError) and error.filename == SNIPPET and error.lineno:
        # The snippet did not compile: its line is the error's own, not a frame's.
        frames.append({"line": error.lineno, "name": "<module>", "text": (error.text or "").strip()})
    message = "".join(traceback.format_exception_only(type(error), error)).strip()
    if len(message) > _PIECE:
        message = message[: _PIECE - 1] + "\u2026"
    _emit({"t": "error", "at": _now(), "type": type(error).__name__, "message": message, "frames": frames})


def run(source, write_line, max_events=MAX_EVENTS, max_repr=MAX_REPR):
    """Runs the snippet `source`, reporting its events through `write_line(json_text)`.

    Returns after the `exit` event. The interpreter can run it again: the
    Pyodide worker keeps one warm between runs, so all state is reset here.
    """
    global MAX_EVENTS, MAX_REPR, _started, _write_line, _count, _capped, _task_numbers
    MAX_EVENTS, MAX_REPR = max_events, max_repr
    _started, _write_line, _count, _capped = time.perf_counter_ns(), write_line, 0, False
    _task_numbers = itertools.count(1)
    _pending.update(stdout="", stderr="")
    linecache.cache[SNIPPET] = (len(source), None, source.splitlines(True), SNIPPET)
    _emit({"t": "start", "wall": time.time()})
    builtins.__async_lens_trace__ = __async_lens_trace__
    streams = sys.stdout, sys.stderr
    sys.stdout = _Output("stdout")
    sys.stderr = _Output("stderr")
    namespace = {"__name__": "__main__", "__builtins__": builtins}
    try:
        tree = _Rewriter().visit(ast.parse(source, SNIPPET))
        ast.fix_missing_locations(tree)
        code = compile(tree, SNIPPET, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        result = eval(code, namespace)
        if asyncio.iscoroutine(result):
            # Top-level `await` / `async for`: the snippet is itself a coroutine.
            asyncio.run(result)
    except SystemExit:
        pass
    except BaseException as error:
        _report(error)
    # What an interpreter prints at shutdown ("coroutine ... was never awaited") belongs to this
    # run: collect now, while the output still goes to the channel.
    gc.collect()
    _emit({"t": "exit", "at": _now()})
    sys.stdout, sys.stderr = streams


# ---- Pyodide ---------------------------------------------------------------
#
# Pyodide's own asyncio loop (WebLoop) runs on the JavaScript event loop, so
# `asyncio.run()` and `run_until_complete()` can only block by WebAssembly
# stack switching, which Node 20 lacks (and its V8 flag cannot be set in a
# running extension host). Rewriting `asyncio.run(x)` into `await x` works
# only at module level: not in a sync `def main()`, not for a return value used
# by the next line. Pyodide runs the snippet in a worker thread of its own,
# though, where blocking is harmless. So new event loops there are plain
# asyncio loops that wait for their next timer by sleeping the thread: every
# `asyncio.run`, `Runner` and `new_event_loop().run_until_complete` then
# behaves as in CPython, wherever it is called and whatever it returns.


_sleep_thread = None  # the worker's sleep(seconds), set by `install_pyodide`
_task_numbers = itertools.count(1)


class _SleepingSelector:
    """A selector with nothing to select: it waits out the loop's timeout."""

    def select(self, timeout):
        if timeout is None:
            # No timer and nothing ready: CPython would wait for ever too (the time limit ends the run).
            _sleep_thread(3600)
        elif timeout > 0:
            _sleep_thread(timeout)
        return []

    def close(self):
        pass


class _SleepingLoop(asyncio.BaseEventLoop):
    """An asyncio loop without I/O, for a thread that may block (see above)."""

    def __init__(self):
        super().__init__()
        self._selector = _SleepingSelector()

    def create_task(self, coro, **kwargs):
        # asyncio numbers tasks for the interpreter's life; CPython starts each snippet at Task-1.
        if kwargs.get("name") is None:
            kwargs["name"] = "Task-%d" % next(_task_numbers)
        return super().create_task(coro, **kwargs)

    def _process_events(self, event_list):
        pass

    def _write_to_self(self):
        # Only another thread wakes a loop this way; Pyodide has none.
        pass


def _sleep(seconds):
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    _sleep_thread(seconds)


def install_pyodide(sleep_thread):
    """Makes asyncio and `time.sleep` block the worker thread by `sleep_thread(seconds)`.

    Pyodide's own `time.sleep` spins the CPU; `sleep_thread` waits without spinning.
    """
    global _sleep_thread
    _sleep_thread = sleep_thread
    policy = asyncio.events._BaseDefaultEventLoopPolicy()
    policy._loop_factory = _SleepingLoop
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        asyncio.set_event_loop_policy(policy)
    # Pyodide's loop made itself the running loop when it was created: the snippet must find none, as in CPython.
    asyncio.events._set_running_loop(None)
    time.sleep = _sleep


def _watchdog():
    """Ends the process at its deadline even if the parent that enforces it is gone (a crashed editor)."""
    import threading

    seconds = float(os.environ.get("ASYNC_LENS_DEADLINE_SECONDS", "0") or 0)
    if seconds > 0:
        timer = threading.Timer(seconds, os._exit, (124,))
        timer.daemon = True
        timer.start()


def _limit_memory():
    """Caps the address space at the playground's memory limit: past it, CPython raises MemoryError.

    The hard limit too, so the snippet cannot lift it (without privileges); its subprocesses inherit it.
    """
    megabytes = int(os.environ.get("ASYNC_LENS_MEMORY_MB", "0") or 0)
    try:
        import resource
    except ImportError:  # Windows has no rlimits: there, only the time limit bounds memory
        return
    if megabytes <= 0:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = megabytes << 20 if hard == resource.RLIM_INFINITY else min(megabytes << 20, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):  # some systems (macOS) refuse it: the same as no rlimit
        pass


def main():
    _limit_memory()
    with open(sys.argv[1], encoding="utf-8") as file:
        source = file.read()
    channel = os.fdopen(3, "w", encoding="utf-8", buffering=1)

    def write_line(line):
        try:
            channel.write(line + "\n")
        except (BrokenPipeError, ValueError):
            # Nobody reads the events any more (the editor went away): stop, do not run on unseen.
            os._exit(125)

    _watchdog()
    run(source, write_line)
    channel.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
