// Worker thread of the Python runtime: one Pyodide, loaded once, fenced, and reused for every run.
import { createRequire } from 'node:module';
import path from 'node:path';
import { loadPyodide } from 'pyodide';
import { HARNESS_ENTRY, PYTHON_HARNESS } from '../../../shared/src/execution/python-harness';
import { fencePython, skillGlobals } from './python-fence';
import { serve } from './worker-serve';

/**
 * Pyodide's own folder, named rather than left to Pyodide: it guesses it from a stack trace, which
 * source maps (`node --enable-source-maps`) rewrite into paths that do not exist.
 */
const PYODIDE_DIR = `${path.dirname(createRequire(import.meta.url).resolve('pyodide/package.json'))}${path.sep}`;

export interface PythonJob {
  code: string;
  inputsJson: string;
  /** Load the packages the code imports first (ones not installed with Pyodide come from its CDN). */
  loadPackages: boolean;
}

export interface PythonAnswer {
  /** The harness's JSON answer (`HarnessResult`). */
  result: string;
  /** What the package loader said, to explain an import that then failed. */
  loader: string[];
}

type HarnessFn = (code: string, inputsJson: string, sink: (text: string) => void) => string;

serve<PythonJob, PythonAnswer, { load: (code: string, log: string[]) => Promise<unknown>; run: HarnessFn }>(
  async () => {
    const pyodide = await loadPyodide({ indexURL: PYODIDE_DIR, jsglobals: skillGlobals() });
    pyodide.runPython(PYTHON_HARNESS);
    const run = pyodide.globals.get(HARNESS_ENTRY) as HarnessFn;
    // From here on the thread is closed to skills (python-fence.ts): no process, modules, files or network.
    fencePython(pyodide);
    const load = (code: string, log: string[]) =>
      pyodide.loadPackagesFromImports(code, { messageCallback: (m) => log.push(m), errorCallback: (m) => log.push(m) });
    return { load, run };
  },
  async (job, { load, run }, out, start) => {
    const loader: string[] = [];
    // A syntax error is reported by the harness with its line; the import scan just gives up.
    if (job.loadPackages) await load(job.code, loader).catch(() => undefined);
    start();
    return { result: run(job.code, job.inputsJson, (text) => out.write(text)), loader };
  },
);
