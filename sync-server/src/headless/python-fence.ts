import fs from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import path from 'node:path';
import type { PyodideInterface } from 'pyodide';
import { closeHostRealm } from './sandbox';

/**
 * The Python worker's fence. Pyodide runs in this worker thread's own realm, and a Python skill
 * reaches JavaScript through `js`, `pyodide.code.run_js`, `pyodide_js` (and from it Emscripten's
 * module and file systems) and `os.system`, which in Node spawns a real shell. In the browser those
 * lead to a locked-down worker; here they would lead to Node. So once Pyodide has loaded, this
 * thread keeps nothing a skill could use to reach the host:
 *
 * - `js` is an object of its own (loadPyodide's `jsglobals`): the language's built-ins, console
 *   and timers, no `process`, `require`, `eval`, `Function` or network;
 * - code is no longer made from strings (`eval`, and every function constructor: `closeHostRealm`),
 *   which also closes `run_js` and Emscripten's `emscripten_run_script`;
 * - `process` and `require` leave the global scope, the environment is emptied;
 * - Node's modules that start processes, open sockets, compile code or start threads refuse every
 *   call, for everyone in this thread (Emscripten holds its own references to them);
 * - the file system answers only reads under Pyodide's own directory (and lets the package loader
 *   add a downloaded wheel there), so Emscripten's NODEFS, `mountNodeFS` and the package loader
 *   reach no other file;
 * - `fetch` only GETs Pyodide's package CDN (packages a skill imports still load when online).
 */

/** What a skill meets when it reaches past the fence. */
const NO_HOST_ACCESS = 'is not available to skills: they run without the host’s processes, files, network or modules';

export class HostAccessError extends Error {
  override name = 'HostAccessError';
}

const refusal = (name: string) =>
  function refused(): never {
    throw new HostAccessError(`${name} ${NO_HOST_ACCESS}`);
  };

const nodeRequire = createRequire(import.meta.url);

/** Modules of which every function is refused. */
const CLOSED_MODULES = ['child_process', 'cluster', 'dgram', 'dns', 'http', 'http2', 'https', 'inspector', 'net', 'tls', 'vm', 'worker_threads'];

/** File-system calls that only read; every other one is refused. */
const READS = ['access', 'exists', 'stat', 'lstat', 'readFile', 'readdir', 'realpath', 'opendir', 'open', 'createReadStream'];
/**
 * The one write: Pyodide keeps a package it downloaded beside its own files. Only a new wheel or
 * archive there (never one of Pyodide's files replaced), and its bytes can only be Pyodide's CDN's.
 */
const WRITES = ['writeFile'];
/** Calls on an open file descriptor, allowed on those the fence opened. */
const ON_DESCRIPTOR = ['read', 'fstat', 'close'];

/** Puts `value` in place of `target[key]`, also where the original is a getter; fails closed. */
function replace(target: Record<string, unknown>, key: string, value: unknown): void {
  const own = Object.getOwnPropertyDescriptor(target, key);
  if (own?.configurable === false && !own.writable) throw new Error(`the Python fence cannot replace ${key}`);
  Object.defineProperty(target, key, { value, writable: true, configurable: true, enumerable: own?.enumerable ?? true });
}

function closeModule(name: string): void {
  const exports = nodeRequire(`node:${name}`) as Record<string, unknown>;
  for (const key of Object.keys(exports)) {
    if (typeof exports[key] === 'function') replace(exports, key, refusal(`${name}.${key}`));
  }
}

/**
 * Python's `os.system` is Emscripten's `system()`, which in Node calls `spawnSync` and would not
 * survive an exception there: it answers as a shell that found no command (exit status 127), and
 * says why on the node's output.
 */
function refuseShell(): void {
  const childProcess = nodeRequire('node:child_process') as Record<string, unknown>;
  replace(childProcess, 'spawnSync', (command: unknown) => {
    // The worker's console is the run's output (worker-serve.ts): the skill's author reads this.
    // eslint-disable-next-line no-console
    console.error(`os.system(${JSON.stringify(String(command))}): a shell ${NO_HOST_ACCESS}`);
    return { pid: 0, status: 127, signal: null, output: [null, '', ''], stdout: '', stderr: '' };
  });
}

type AnyFunction = (...args: unknown[]) => unknown;

/** A file system that reads under `root` and does nothing else. */
function fenceFileSystem(root: string): void {
  const opened = new Set<number>();
  const within = (p: unknown) => {
    const text = typeof p === 'string' ? p : p instanceof URL ? p.pathname : Buffer.isBuffer(p) ? p.toString() : undefined;
    return text !== undefined && (path.resolve(text) + path.sep).startsWith(root);
  };
  const readOnly = (flags: unknown) => flags === undefined || flags === 'r' || flags === fs.constants.O_RDONLY;
  const exists = fs.existsSync.bind(fs);
  const newPackage = (p: unknown) => typeof p === 'string' && within(p) && path.dirname(path.resolve(p)) + path.sep === root && /\.(whl|zip)$/.test(p) && !exists(p);
  const guard = (target: Record<string, unknown>, where: string) => {
    for (const key of Object.keys(target)) {
      const original = target[key];
      if (typeof original !== 'function') continue;
      // Classes (Stats, Dirent, ReadStream) open files through the functions guarded here; writing streams go.
      if (/^[A-Z]/.test(key)) {
        if (/Write/.test(key)) replace(target, key, refusal(`${where}${key}`));
        continue;
      }
      const base = key.replace(/Sync$/, '');
      if (READS.includes(base)) {
        replace(target, key, function read(this: unknown, ...args: unknown[]) {
          if (!within(args[0]) || (base === 'open' && !readOnly(args[1]))) throw new HostAccessError(`${where}${key}(${JSON.stringify(String(args[0]))}) ${NO_HOST_ACCESS}`);
          const result = Reflect.apply(original as AnyFunction, this, args);
          if (key === 'openSync' && typeof result === 'number') opened.add(result);
          return result;
        });
      } else if (WRITES.includes(base)) {
        replace(target, key, function write(this: unknown, ...args: unknown[]) {
          if (!newPackage(args[0])) throw new HostAccessError(`${where}${key}(${JSON.stringify(String(args[0]))}) ${NO_HOST_ACCESS}`);
          return Reflect.apply(original as AnyFunction, this, args);
        });
      } else if (ON_DESCRIPTOR.includes(base) && where === 'fs.') {
        replace(target, key, function onOpened(this: unknown, ...args: unknown[]) {
          if (typeof args[0] !== 'number' || !opened.has(args[0])) throw new HostAccessError(`${where}${key} on a descriptor the runtime did not open ${NO_HOST_ACCESS}`);
          if (base === 'close') opened.delete(args[0]);
          return Reflect.apply(original as AnyFunction, this, args);
        });
      } else if (key !== 'promises') {
        replace(target, key, refusal(`${where}${key}`));
      }
    }
  };
  guard(fs.promises as unknown as Record<string, unknown>, 'fs.promises.');
  guard(fs as unknown as Record<string, unknown>, 'fs.');
}

/** A fetch that only GETs URLs under `prefix` (Pyodide's package CDN). */
function fetchWithin(prefix: string, network: typeof fetch): typeof fetch {
  return (input, init) => {
    // Normalised first: `…/full/../../npm/x` would otherwise pass the prefix and leave it.
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url).href;
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    if (method === 'GET' && url.startsWith(prefix)) return network(input, init);
    throw new HostAccessError(`fetch ${NO_HOST_ACCESS} (only Pyodide's packages are fetched; ${method} ${url} is refused)`);
  };
}

/** The object Python's `js` module is: the language's built-ins, console and timers, and nothing of Node's. */
export function skillGlobals(): object {
  const names = [
    'Array', 'ArrayBuffer', 'BigInt', 'BigInt64Array', 'BigUint64Array', 'Boolean', 'DataView', 'Date', 'Error', 'EvalError', 'Float32Array', 'Float64Array',
    'Int8Array', 'Int16Array', 'Int32Array', 'JSON', 'Map', 'Math', 'Number', 'Object', 'Promise', 'RangeError', 'ReferenceError', 'RegExp', 'Set', 'String',
    'Symbol', 'SyntaxError', 'TextDecoder', 'TextEncoder', 'TypeError', 'URIError', 'Uint8Array', 'Uint8ClampedArray', 'Uint16Array', 'Uint32Array',
    'WeakMap', 'WeakSet', 'atob', 'btoa', 'clearInterval', 'clearTimeout', 'console', 'decodeURIComponent', 'encodeURIComponent', 'isFinite', 'isNaN',
    'parseFloat', 'parseInt', 'performance', 'queueMicrotask', 'setInterval', 'setTimeout', 'structuredClone',
  ] as const;
  const globals: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const name of names) globals[name] = (globalThis as Record<string, unknown>)[name];
  for (const name of ['fetch', 'XMLHttpRequest', 'WebSocket', 'process', 'require']) globals[name] = refusal(name);
  globals.globalThis = globals.self = globals;
  return globals;
}

/** Closes this thread to Python skills (see above); call once Pyodide and the harness are loaded. */
export function fencePython(pyodide: PyodideInterface): void {
  // Pyodide's internals: where it loaded from, and Emscripten's module (not in its typings).
  const internals = pyodide as unknown as { _api: { config: { indexURL: string; cdnUrl?: string } }; _module: { FS: { filesystems: Record<string, unknown> }; NODEFS?: unknown } };
  const root = path.resolve(internals._api.config.indexURL) + path.sep;
  const cdn = internals._api.config.cdnUrl ?? `https://cdn.jsdelivr.net/pyodide/v${pyodide.version}/full/`;
  const module = internals._module;
  delete module.FS.filesystems.NODEFS;
  delete module.NODEFS;
  for (const name of CLOSED_MODULES) closeModule(name);
  refuseShell();
  fenceFileSystem(root);
  syncBuiltinESMExports();
  closeHostRealm();
  const g = globalThis as Record<string, unknown>;
  const network = globalThis.fetch.bind(globalThis);
  g.fetch = fetchWithin(cdn, network);
  g.eval = refusal('eval');
  for (const name of ['require', 'process', 'WebSocket', 'EventSource']) delete g[name];
}
