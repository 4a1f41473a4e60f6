import type { Runtimes } from '../../../shared/src/execution/types';
import type { SkillType } from '../../../shared/src/skill/schema';
import { javascriptRuntime, type SandboxRuntime } from './javascript-runtime';
import { NgspiceRuntime } from './ngspice-runtime';
import { PythonRuntime, type PythonRuntimeOptions } from './python-runtime';
import { threejsRuntime } from './threejs-runtime';
import { WebGpuFallbackRuntime } from './webgpu-runtime';

type Kind = Exclude<SkillType, 'qiskit'>;
type NodeRuntime = (PythonRuntime | SandboxRuntime | NgspiceRuntime | WebGpuFallbackRuntime) & { warm(): Promise<void>; close(): Promise<void> };

export type NodeRuntimes = Runtimes & {
  /** Starts the engines for these skill types now (Pyodide takes about 2 s), in parallel. */
  warm(types: Iterable<SkillType>): Promise<void>;
  /** Terminates every worker thread; the process can then exit. */
  close(): Promise<void>;
};

export interface NodeRuntimeOptions {
  /** Worker threads for JavaScript skills, so independent nodes run in parallel (default 4). */
  javascriptWorkers?: number;
  python?: PythonRuntimeOptions;
}

/**
 * The runtimes for Node: each is created on first use, and its worker thread starts on its
 * first run (or `warm`), so a workflow of JavaScript skills never loads Pyodide.
 */
export function nodeRuntimes(options: NodeRuntimeOptions = {}): NodeRuntimes {
  const made = new Map<Kind, NodeRuntime>();
  const make: Record<Kind, () => NodeRuntime> = {
    python: () => new PythonRuntime(options.python),
    javascript: () => javascriptRuntime(options.javascriptWorkers ?? 4),
    threejs: () => threejsRuntime(),
    ngspice: () => new NgspiceRuntime(),
    webgpu: () => new WebGpuFallbackRuntime(get('javascript')),
  };
  const get = (kind: Kind): NodeRuntime => {
    let runtime = made.get(kind);
    if (!runtime) made.set(kind, (runtime = make[kind]()));
    return runtime;
  };
  return {
    get python() {
      return get('python');
    },
    get javascript() {
      return get('javascript');
    },
    get threejs() {
      return get('threejs');
    },
    get ngspice() {
      return get('ngspice');
    },
    get webgpu() {
      return get('webgpu');
    },
    async warm(types) {
      const kinds = new Set([...types].map((t): Kind => (t === 'qiskit' ? 'python' : t)));
      await Promise.all([...kinds].map((k) => get(k).warm()));
    },
    async close() {
      await Promise.all([...made.values()].map((r) => r.close()));
      made.clear();
    },
  };
}
