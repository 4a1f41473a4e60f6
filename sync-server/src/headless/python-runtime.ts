import {
  describePythonFailure,
  parseHarnessResult,
} from '../../../shared/src/execution/python-harness';
import { SkillRunError, type RunRequest, type RunResult, type Runtime } from '../../../shared/src/execution/types';
import type { PythonAnswer, PythonJob } from './python-worker';
import { WorkerPool } from './worker-pool';

export interface PythonRuntimeOptions {
  /**
   * Load the packages a skill imports before running it (default true). Only the standard
   * library ships with Pyodide here; other packages come from Pyodide's CDN when online.
   */
  loadPackages?: boolean;
}

/**
 * Python skills in Pyodide, in one worker thread loaded on first use (about 2 s) and kept
 * warm; runs take turns. A timeout or cancel terminates the worker (Python code that loops
 * cannot be stopped otherwise) and the next run loads a fresh one.
 */
export class PythonRuntime implements Runtime {
  private readonly pool = new WorkerPool<PythonJob, PythonAnswer>({
    name: 'Python (Pyodide)',
    entry: 'python-worker',
    size: 1,
  });

  constructor(private readonly options: PythonRuntimeOptions = {}) {}

  async run({ skill, inputs, signal, onStdout, onStart }: RunRequest): Promise<RunResult> {
    const job: PythonJob = { code: skill.code, inputsJson: JSON.stringify(inputs), loadPackages: this.options.loadPackages ?? true };
    const { value, stdout } = await this.pool.run(job, signal, onStdout, onStart);
    const result = parseHarnessResult(value.result);
    if (result.ok) return { outputs: result.outputs, stdout };
    // loadPackage reports a package it could not fetch through these messages, never by throwing.
    const reason = value.loader.filter((m) => /fail|error/i.test(m)).join(' ');
    const note = `only the Python standard library ships with Pyodide here, so it is not available offline${reason ? ` (package loader: ${reason})` : ''}`;
    throw new SkillRunError(describePythonFailure(result, skill, note), stdout);
  }

  /** Loads Pyodide now, so the first Python node is not charged for it. */
  warm(): Promise<void> {
    return this.pool.warm();
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
