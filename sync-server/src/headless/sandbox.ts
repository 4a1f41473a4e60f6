import vm from 'node:vm';
import { formatConsoleLine } from '../../../shared/src/execution/stdout';

/** What a skill gets in place of the network: the same answer however it asks. */
export const NO_NETWORK = 'is not available to skills: they run without network';

/**
 * Installs the few globals a skill may use, from inside the context, so skill code only ever
 * holds functions of its own realm: a host function reachable from the skill would hand it
 * the host's `Function` and so `process`. The host's helpers stay in this closure.
 * Network APIs exist only to fail with a clear message.
 */
const INSTALL = `(function install(host) {
  'use strict';
  const g = globalThis;
  const print = (...args) => host.print(args);
  g.console = { log: print, info: print, debug: print, warn: print, error: print, trace: print };
  const timer = (repeat) => (fn, ms, ...args) => {
    if (typeof fn !== 'function') throw new TypeError('the callback must be a function');
    return host.setTimer(() => fn(...args), Number(ms) || 0, repeat);
  };
  g.setTimeout = timer(false);
  g.setInterval = timer(true);
  g.clearTimeout = g.clearInterval = (id) => host.clearTimer(id);
  g.queueMicrotask = (fn) => { Promise.resolve().then(fn); };
  g.performance = { now: () => host.now() };
  g.atob = (s) => host.atob(String(s));
  g.btoa = (s) => host.btoa(String(s));
  g.self = g;
  const refuse = (name) => function () { throw new Error(name + ' ${NO_NETWORK}'); };
  for (const name of ['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource', 'importScripts', 'Worker', 'SharedWorker']) {
    Object.defineProperty(g, name, { value: refuse(name), writable: false, configurable: false });
  }
})`;

/** What the host realm's code-generating constructors answer, once the worker is closed. */
export const NO_HOST = 'functions cannot be made from strings here: skills have no access to the host (its process, modules or environment)';

/**
 * Closes this worker thread's own realm to skill code, once its engine is loaded. Skill code runs
 * in a vm context of its own, but it meets objects of this realm: the three.js it is handed,
 * util.inspect's hooks, errors the host throws. From any of them `.constructor.constructor` is
 * this realm's `Function`, and `Function('return process')()` would be the worker's `process`,
 * with its environment, modules and child processes. So the constructors of every kind of
 * function here refuse, and the environment (a copy the thread got at start) is emptied: the
 * thread needs no secret, and none is then there to find should another way out turn up.
 */
export function closeHostRealm(): void {
  const refuse = function Function(): never {
    throw new EvalError(NO_HOST);
  };
  const kinds = [function () {}, async function () {}, function* () {}, async function* () {}];
  for (const kind of kinds) {
    Object.defineProperty(Object.getPrototypeOf(kind), 'constructor', { value: refuse, writable: false, configurable: false });
  }
  for (const name of Object.keys(process.env)) delete process.env[name];
}

interface Host {
  print(args: unknown[]): void;
  setTimer(fn: () => void, ms: number, repeat: boolean): number;
  clearTimer(id: unknown): void;
  now(): number;
  atob(s: string): string;
  btoa(s: string): string;
}

export interface Sandbox {
  context: vm.Context;
  /** Clears the run's timers: a skill's interval must not outlive its run. */
  dispose(): void;
}

/**
 * A fresh global scope for one run, as a Web Worker would give: ECMAScript built-ins, console,
 * timers, `performance.now`, `atob`/`btoa`; no DOM, no network, no `require`, no `process`.
 * node:vm alone is no security boundary: `closeHostRealm` shuts the doors its host objects
 * open, and the worker thread it runs in can be terminated.
 */
export function createSandbox(write: (text: string) => void): Sandbox {
  const context = vm.createContext({}, { name: 'skill' });
  const timers = new Map<number, NodeJS.Timeout>();
  let nextId = 1;
  const host: Host = {
    print: (args) => write(formatConsoleLine(args)),
    setTimer: (fn, ms, repeat) => {
      const id = nextId++;
      const tick = () => {
        if (!repeat) timers.delete(id);
        try {
          fn();
        } catch (e) {
          // As in a browser: the error is printed and the run goes on.
          write(`Uncaught ${e !== null && typeof e === 'object' && 'stack' in e ? String(e.stack) : String(e)}\n`);
        }
      };
      timers.set(id, repeat ? setInterval(tick, ms) : setTimeout(tick, ms));
      return id;
    },
    clearTimer: (id) => {
      const t = timers.get(Number(id));
      if (t) clearTimeout(t);
      timers.delete(Number(id));
    },
    now: () => performance.now(),
    atob: (s) => Buffer.from(s, 'base64').toString('latin1'),
    btoa: (s) => Buffer.from(s, 'latin1').toString('base64'),
  };
  (vm.runInContext(INSTALL, context) as (h: Host) => void)(host);
  return {
    context,
    dispose: () => {
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    },
  };
}
