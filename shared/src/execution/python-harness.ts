import type { Json } from '../json';
import { BIG_INTEGER, BAD_KEY, CLASS_INSTANCE, JSON_ADVICE } from './json-outputs';

/**
 * The Python side of running a skill, shared by the browser's and Node's Pyodide runtimes.
 * `PYTHON_HARNESS` is evaluated once per interpreter; it defines `HARNESS_ENTRY`, called per
 * run as `_llmunix_run(code, inputs_json, sink)` and returning one JSON string (`HarnessResult`).
 *
 * Inputs go in and outputs come out as JSON text, so no PyProxy conversion rules apply and a
 * value that JSON cannot carry is refused here, naming the output, rather than arriving mangled.
 */
export const HARNESS_ENTRY = '_llmunix_run';

/** The name skill code is compiled under; `mapTraceback` turns it into the skill file's lines. */
export const SKILL_FILENAME = '<skill>';

export const PYTHON_HARNESS = String.raw`
import datetime as _datetime
import inspect as _inspect
import io as _io
import json as _json
import linecache as _linecache
import math as _math
import sys as _sys
import traceback as _traceback


class _LlmunixOut(_io.TextIOBase):
    """stdout and stderr of one run, one stream (EXEC-4): passed to the sink as written."""

    def __init__(self, sink):
        self._sink = sink

    def writable(self):
        return True

    def write(self, text):
        if text and self._sink is not None:
            self._sink(text)
        return len(text)


class _LlmunixOutputError(Exception):
    """A result that breaks the output contract (EXEC-1): reported as it is, with no traceback."""


_LLMUNIX_SAFE = 2**53 - 1


def _llmunix_refuse(path, problem):
    raise _LlmunixOutputError(f"{path} {problem}")


def _llmunix_json(value, path, open_):
    # The JSON conversion of shared/src/execution/json-outputs.ts, for Python values.
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, int):
        if abs(value) > _LLMUNIX_SAFE:
            _llmunix_refuse(path, "${BIG_INTEGER}")
        return value
    if isinstance(value, float):
        if _math.isnan(value):
            _llmunix_refuse(path, "is NaN")
        if _math.isinf(value):
            _llmunix_refuse(path, "is Infinity" if value > 0 else "is -Infinity")
        return value
    if id(value) in open_:
        _llmunix_refuse(path, "refers back to itself (a cycle)")
    open_.add(id(value))
    try:
        if isinstance(value, dict):
            out = {}
            for k, v in value.items():
                if isinstance(k, bool) or not isinstance(k, (str, int, float)) or (isinstance(k, float) and not _math.isfinite(k)):
                    _llmunix_refuse(path, "${BAD_KEY}")
                key = k if isinstance(k, str) else str(k)
                out[key] = _llmunix_json(v, f"{path}.{key}", open_)
            return out
        if isinstance(value, (list, tuple, set, frozenset, bytes, bytearray)):
            return [_llmunix_json(v, f"{path}[{i}]", open_) for i, v in enumerate(value)]
        if isinstance(value, (_datetime.date, _datetime.time)):
            return value.isoformat()
        if callable(getattr(value, "tolist", None)):
            return _llmunix_json(value.tolist(), path, open_)
        if callable(value):
            _llmunix_refuse(path, "is a function")
        _llmunix_refuse(path, f"is a {type(value).__name__} ${CLASS_INSTANCE}")
    finally:
        open_.discard(id(value))


def _llmunix_outputs_json(result):
    parts = []
    for key, value in result.items():
        if not isinstance(key, str):
            raise TypeError(f"execute returned the key {key!r}; output names must be strings")
        try:
            converted = _llmunix_json(value, key, {id(result)})
        except _LlmunixOutputError as e:
            raise _LlmunixOutputError(f'output "{key}" is not JSON: {e}; ${JSON_ADVICE}') from None
        parts.append(_json.dumps(key) + ":" + _json.dumps(converted, allow_nan=False))
    return "{" + ",".join(parts) + "}"


def _llmunix_failure(e):
    if isinstance(e, _LlmunixOutputError):
        return _json.dumps({"ok": False, "error": str(e), "traceback": ""})
    # Only the skill's own frames: the harness's are noise to whoever wrote the skill.
    frames = [f for f in _traceback.extract_tb(e.__traceback__) if f.filename == "${SKILL_FILENAME}"]
    lines = (["Traceback (most recent call last):\n"] + _traceback.format_list(frames)) if frames else []
    lines += _traceback.format_exception_only(type(e), e)
    failure = {
        "ok": False,
        "error": "".join(_traceback.format_exception_only(type(e), e)).strip(),
        "traceback": "".join(lines).rstrip(),
    }
    if isinstance(e, ModuleNotFoundError) and e.name:
        failure["missing_module"] = e.name.split(".")[0]
    return _json.dumps(failure)


def ${HARNESS_ENTRY}(code, inputs_json, sink=None):
    out = _LlmunixOut(sink)
    saved = _sys.stdout, _sys.stderr
    _sys.stdout = _sys.stderr = out
    try:
        _linecache.cache["${SKILL_FILENAME}"] = (len(code), None, code.splitlines(True), "${SKILL_FILENAME}")
        namespace = {"__name__": "__skill__", "__builtins__": __builtins__}
        exec(compile(code, "${SKILL_FILENAME}", "exec"), namespace)
        execute = namespace.get("execute")
        if not callable(execute):
            raise NameError("the skill defines no execute(inputs) function")
        result = execute(_json.loads(inputs_json))
        if _inspect.iscoroutine(result):
            result.close()
            raise TypeError("execute must be a plain def returning a dict; async def is not supported")
        if not isinstance(result, dict):
            raise _LlmunixOutputError(f"execute(inputs) must return an object keyed by output names (a dict), got a {type(result).__name__}")
        outputs = _llmunix_outputs_json(result)
        return '{"ok":true,"outputs":' + outputs + "}"
    except BaseException as e:  # SystemExit too: a skill must not end the interpreter
        return _llmunix_failure(e)
    finally:
        _sys.stdout, _sys.stderr = saved
`;

/** What one harness call returns. */
export type HarnessResult =
  | { ok: true; outputs: Record<string, Json> }
  | { ok: false; error: string; traceback: string; missing_module?: string };

/** Parses the harness's JSON answer. */
export function parseHarnessResult(text: string): HarnessResult {
  const value = JSON.parse(text) as HarnessResult;
  if (typeof value !== 'object' || value === null || typeof value.ok !== 'boolean') {
    throw new Error(`the Python harness returned something unexpected: ${text.slice(0, 200)}`);
  }
  return value;
}

/**
 * Rewrites `File "<skill>", line N` (code-block lines) to the skill file's own lines
 * (`codeLine + N - 1`), so a traceback points where the author edits.
 */
export function mapTraceback(text: string, codeLine: number, file = 'skill.md'): string {
  return text.replace(/File "<skill>", line (\d+)/g, (_, n: string) => `File "${file}", line ${codeLine + Number(n) - 1}`);
}

/**
 * The message a node shows for a failed Python run: the mapped traceback, and for a missing
 * module, plainly that the package cannot be had here.
 */
export function describePythonFailure(
  failure: Extract<HarnessResult, { ok: false }>,
  skill: { file: string; codeLine: number },
  packageNote?: string,
): string {
  const traceback = mapTraceback(failure.traceback || failure.error, skill.codeLine, skill.file);
  if (!failure.missing_module) return traceback;
  return `${traceback}\n\nThe Python package "${failure.missing_module}" is not available: ${packageNote ?? 'it could not be loaded'}.`;
}
