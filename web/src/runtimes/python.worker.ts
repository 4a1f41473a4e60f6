/**
 * The Python runtime's worker: Pyodide, loaded from our own server (see vite.config.ts) the first
 * time a Python skill runs, then kept warm. Skills run through the harness shared with Node
 * (shared/src/execution/python-harness.ts): a fresh namespace per run, stdout streamed, JSON out,
 * tracebacks mapped to the skill file's lines.
 */
import type { PyodideInterface } from 'pyodide';
import {
  describePythonFailure,
  HARNESS_ENTRY,
  parseHarnessResult,
  PYTHON_HARNESS,
} from '../../../shared/src/execution/python-harness';
import { Stdout } from '../../../shared/src/execution/stdout';
import type { LoadingReply, RunMessage, WorkerReply } from './protocol';
import { fetchWithin, lockDownGlobals } from './sandbox';
import { serveRuns, startRun } from './worker-runs';

const post = (reply: WorkerReply) => self.postMessage(reply);
/** The worker's own network, taken before skill code can run (see `fenceSkills`). */
const network = self.fetch.bind(self);
let fenced = false;

type LoadPyodide = (options: {
  indexURL: string;
  packageBaseUrl?: string;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
}) => Promise<PyodideInterface>;

interface Python {
  pyodide: PyodideInterface;
  entry: (code: string, inputsJson: string, sink: (text: string) => void) => string;
}

let python: Promise<Python> | null = null;
let ready = false;

// Pyodide starts some of its downloads before it awaits them: when the server goes away during
// a background load, those it never awaits fail unobserved. The load itself fails and says so
// (`load-failed`, then the run's message), so until Python is ready such leftovers are not
// reported again as uncaught errors of the page.
self.addEventListener('unhandledrejection', (event) => {
  if (!ready) event.preventDefault();
});
/** The package mirror the server is configured with (PYODIDE_PACKAGE_URL), if any. */
let packageUrl: string | null = null;

/** Asks the server where packages come from; offline, or with none configured, there is none. */
async function configuredPackageUrl(): Promise<string | null> {
  try {
    const res = await network('/api/config');
    const config = (await res.json()) as { pyodide_package_url?: string | null };
    return config.pyodide_package_url ?? null;
  } catch {
    return null;
  }
}

/** Reports loading progress to the host at most this often. */
const PROGRESS_MS = 150;

/**
 * A fetch that counts the bytes of what it downloads and reports them, so a node can say how far
 * Python has loaded (Pyodide fetches its interpreter and standard library, ~11 MB, with `fetch`).
 */
function countingFetch(report: (progress: LoadingReply) => void): typeof fetch {
  let loaded = 0;
  let total = 0;
  let sized = true;
  let last = 0;
  const tell = (force = false) => {
    const now = performance.now();
    if (!force && now - last < PROGRESS_MS) return;
    last = now;
    report({ type: 'loading', step: 'downloading', loaded, ...(sized && total > 0 ? { total } : {}) });
  };
  return async (input, init) => {
    const res = await network(input, init);
    const length = Number(res.headers.get('content-length'));
    if (Number.isFinite(length) && length > 0) total += length;
    else sized = false;
    if (!res.body) return res;
    const body = res.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          loaded += chunk.byteLength;
          tell();
          controller.enqueue(chunk);
        },
        flush: () => tell(true),
      }),
    );
    // The same status and headers (WebAssembly.instantiateStreaming needs the wasm content type).
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

async function loadPython(): Promise<Python> {
  post({ type: 'loading', step: 'downloading', loaded: 0 });
  // Imported from our server at run time, never bundled: pyodide.mjs must match the
  // interpreter files beside it, and the service worker caches them all together.
  const url = new URL(`${__PYODIDE_INDEX_URL__}pyodide.mjs`, self.location.origin).href;
  const { loadPyodide } = (await import(/* @vite-ignore */ url)) as { loadPyodide: LoadPyodide };
  packageUrl = await configuredPackageUrl();
  // Until the fence goes up, Pyodide's own downloads are counted; the fence replaces this fetch.
  self.fetch = countingFetch(post);
  const pyodide = await loadPyodide({ indexURL: __PYODIDE_INDEX_URL__, ...(packageUrl ? { packageBaseUrl: packageUrl } : {}) });
  post({ type: 'loading', step: 'starting', loaded: 0 });
  pyodide.runPython(PYTHON_HARNESS);
  const entry = pyodide.globals.get(HARNESS_ENTRY) as Python['entry'];
  fenceSkills();
  ready = true;
  post({ type: 'ready' });
  return { pyodide, entry };
}

/** Loads Python once; a failed load is forgotten, so the next run tries again. */
function loadedPython(): Promise<Python> {
  python ??= loadPython().catch((e: unknown) => {
    python = null;
    post({ type: 'load-failed' });
    throw e;
  });
  return python;
}

/**
 * Python skills reach every JavaScript global through the `js` module (and `run_js`), so the
 * worker takes away what the JavaScript sandbox does: storage, sockets, workers, and any fetch
 * beyond Pyodide's own files and the package mirror, which it still needs for imports. The
 * worker script's CSP keeps the network to this origin and the mirror beneath that.
 */
function fenceSkills(): void {
  if (fenced) return;
  fenced = true;
  const own = [new URL(__PYODIDE_INDEX_URL__, self.location.origin).href, ...(packageUrl ? [new URL(packageUrl, self.location.origin).href] : [])];
  lockDownGlobals(self, { fetch: fetchWithin(own, network) });
}

/**
 * Loads packages the code imports that Pyodide knows of. No package files ship with the app, so
 * this normally finds nothing to load; if one is missing the import fails and the node says so.
 */
async function loadImports(pyodide: PyodideInterface, code: string): Promise<void> {
  await pyodide.loadPackagesFromImports(code, { messageCallback: () => undefined, errorCallback: () => undefined });
}

serveRuns(run, () => void loadedPython().catch(() => undefined));

async function run({ id, skill, inputs }: RunMessage): Promise<void> {
  let loaded: Python;
  try {
    loaded = await loadedPython();
  } catch (e) {
    const offline = navigator.onLine ? '' : ' You are offline and Python has not been cached in this browser yet: run a Python skill once while online.';
    return post({ type: 'failed', id, kind: 'runtime', message: `Python (Pyodide) could not be loaded: ${(e as Error).message}.${offline}`, stdout: '' });
  }
  await loadImports(loaded.pyodide, skill.code).catch(() => undefined);
  if (!startRun(id)) return;
  let result: ReturnType<typeof parseHarnessResult>;
  const out = new Stdout((text) => post({ type: 'stdout', id, text }));
  try {
    result = parseHarnessResult(loaded.entry(skill.code, JSON.stringify(inputs), (text) => out.write(text)));
    out.flush();
  } catch (e) {
    // The harness catches the skill's own exceptions; this is the interpreter itself failing.
    python = null;
    return post({ type: 'failed', id, kind: 'runtime', message: `the Python runtime failed: ${(e as Error).message}`, stdout: '' });
  }
  if (result.ok) return post({ type: 'done', id, result: result.outputs, stdout: out.all });
  // Pyodide's own loading messages (a 404 for the wheel) say less than this does.
  const note = !navigator.onLine
    ? 'you are offline, and only the Python standard library is available offline'
    : packageUrl
      ? `it could not be loaded from the package URL ${packageUrl}`
      : 'only the Python standard library is served with this app; set PYODIDE_PACKAGE_URL on the server to a Pyodide package mirror to install others';
  post({ type: 'failed', id, kind: 'skill', message: describePythonFailure(result, skill, note), stdout: out.all });
}
