import type { Json } from '../json';

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
import inspect as _inspect
import io as _io
import json as _json
import linecache as _linecache
import sys as _sys
import traceback as _traceback


class _LlmunixOut(_io.TextIOBase):
    """stdout and stderr of one run: kept for the result and streamed to the sink as written."""

    def __init__(self, sink):
        self._parts = []
        self._sink = sink

    def writable(self):
        return True

    def write(self, text):
        if text:
            self._parts.append(text)
            if self._sink is not None:
                self._sink(text)
        return len(text)

    def getvalue(self):
        return "".join(self._parts)


def _llmunix_outputs_json(result):
    # Checked per output, so the error names the one that JSON cannot carry.
    parts = []
    for key, value in result.items():
        if not isinstance(key, str):
            raise TypeError(f"execute returned the key {key!r}; output names must be strings")
        try:
            text = _json.dumps(value, allow_nan=False)
        except (TypeError, ValueError) as e:
            raise TypeError(
                f'output "{key}" is not JSON-serialisable ({e}); return dict, list, str, int, '
                "finite float, bool or None (convert other types, e.g. list(values))"
            ) from None
        parts.append(_json.dumps(key) + ":" + text)
    return "{" + ",".join(parts) + "}"


def _llmunix_failure(e, out):
    # Only the skill's own frames: the harness's are noise to whoever wrote the skill.
    frames = [f for f in _traceback.extract_tb(e.__traceback__) if f.filename == "${SKILL_FILENAME}"]
    lines = (["Traceback (most recent call last):\n"] + _traceback.format_list(frames)) if frames else []
    lines += _traceback.format_exception_only(type(e), e)
    failure = {
        "ok": False,
        "error": "".join(_traceback.format_exception_only(type(e), e)).strip(),
        "traceback": "".join(lines).rstrip(),
        "stdout": out.getvalue(),
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
            raise TypeError(f"execute must return a dict of outputs, got {type(result).__name__}")
        outputs = _llmunix_outputs_json(result)
        return '{"ok":true,"outputs":' + outputs + ',"stdout":' + _json.dumps(out.getvalue()) + "}"
    except BaseException as e:  # SystemExit too: a skill must not end the interpreter
        return _llmunix_failure(e, out)
    finally:
        _sys.stdout, _sys.stderr = saved
`;

/** What one harness call returns. */
export type HarnessResult =
  | { ok: true; outputs: Record<string, Json>; stdout: string }
  | { ok: false; error: string; traceback: string; stdout: string; missing_module?: string };

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
