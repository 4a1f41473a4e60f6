import { v8Frames, type ErrorLocator, type SkillCode } from '../../../shared/src/execution/javascript-errors';
import { formatConsoleLine } from '../../../shared/src/execution/stdout';

/**
 * Worker-side: takes the network and storage away from skill code before it runs. JavaScript
 * and Three.js skills may come from a collaborator's volume; they compute, they do not talk to
 * servers or read this origin's data. Each API is replaced by one that fails with a message
 * saying why, rather than a bare "is not defined".
 *
 * This is the second layer. The first is the Content-Security-Policy the server sends with these
 * workers' scripts (sync-server/src/http/security-headers.ts): it also stops what no global
 * controls, such as `import()` of a URL. Storage has no CSP directive, so for IndexedDB, the
 * Cache API and the origin's file system this layer is the one that holds.
 */

/** The globals removed, and what they would have given the skill. */
const BLOCKED: Record<string, string> = {
  fetch: 'network access',
  XMLHttpRequest: 'network access',
  WebSocket: 'network access',
  WebSocketStream: 'network access',
  WebTransport: 'network access',
  EventSource: 'network access',
  importScripts: 'loading scripts',
  indexedDB: "this app's stored data",
  caches: "this app's stored data",
  webkitRequestFileSystem: "this app's stored data",
  webkitRequestFileSystemSync: "this app's stored data",
  webkitResolveLocalFileSystemURL: "this app's stored data",
  webkitResolveLocalFileSystemSyncURL: "this app's stored data",
  BroadcastChannel: "messages to this app's pages",
  Worker: 'starting workers',
  SharedWorker: 'starting workers',
};

/** The members of `navigator` removed: the origin's file system and quota, and its locks. */
const BLOCKED_NAVIGATOR: Record<string, string> = {
  storage: "this app's stored data",
  locks: "this app's locks",
};

/** What a skill sees when it reaches for a removed API. */
export class SandboxError extends Error {
  override name = 'SandboxError';
}

/** A plain function (not an arrow) so that `new XMLHttpRequest()` reaches the construct trap too. */
const refusal = (name: string, what: string) =>
  function refuse(): never {
    throw new SandboxError(`${name} is not available: skills run without ${what} (${name} is disabled in the skill sandbox)`);
  };

/** A function that throws when called or constructed; reading `indexedDB.open` fails too. */
function stubFor(name: string, what: string): unknown {
  const fail = refusal(name, what);
  return new Proxy(fail, {
    apply: fail,
    construct: fail,
    // Symbols and `name` stay readable so printing or type-checking the stub does not throw.
    get: (target, key) => (typeof key === 'symbol' || key === 'name' || key === 'length' ? Reflect.get(target, key) : fail()),
  });
}

/**
 * Puts a stub in place of `object[key]` for good: deleted from every prototype that defines it
 * (where `Object.getOwnPropertyDescriptor(proto, key).get.call(object)` would otherwise find the
 * original again), then defined non-configurable on the object itself.
 */
function replaceForGood(object: object, key: string, stub: unknown): void {
  for (let proto = Object.getPrototypeOf(object) as object | null; proto; proto = Object.getPrototypeOf(proto) as object | null) {
    if (Object.getOwnPropertyDescriptor(proto, key)?.configurable) Reflect.deleteProperty(proto, key);
  }
  Object.defineProperty(object, key, { value: stub, writable: false, configurable: false, enumerable: false });
}

/**
 * Removes the blocked globals for good (non-configurable, so the skill cannot put them back).
 * Call once, at the top of the worker, after taking what the worker itself needs. `instead`
 * puts a narrower version in place of a blocked global (see `fetchWithin`).
 */
export function lockDownGlobals(scope: typeof globalThis = globalThis, instead: Partial<Record<keyof typeof BLOCKED, unknown>> = {}): void {
  for (const [name, what] of Object.entries(BLOCKED)) replaceForGood(scope, name, instead[name] ?? stubFor(name, what));
  const navigator = (scope as { navigator?: object }).navigator;
  if (navigator) {
    for (const [name, what] of Object.entries(BLOCKED_NAVIGATOR)) replaceForGood(navigator, name, stubFor(`navigator.${name}`, what));
  }
}

/**
 * Keeps skill code out of the worker's conversation with the page. Skills of a page share one
 * warm worker, so a skill that could listen for messages would read later runs' inputs (and
 * could answer for them), and one that could post would report results of its own. Call after
 * the worker has registered its own listener and taken its own `postMessage`.
 *
 * `postMessage` and the `onmessage` handlers go like the other blocked globals. The listener
 * methods belong to every event target (a canvas, an AbortSignal), so they stay, guarded: on
 * the worker's global scope they refuse.
 */
export function lockDownMessaging(scope: typeof globalThis = globalThis): void {
  const what = "messages to this app's page";
  for (const name of ['postMessage', 'onmessage', 'onmessageerror']) replaceForGood(scope, name, stubFor(name, what));
  const target = EventTarget.prototype;
  for (const name of ['addEventListener', 'removeEventListener', 'dispatchEvent'] as const) {
    const original = target[name] as (...args: unknown[]) => unknown;
    function guarded(this: unknown, ...args: unknown[]): unknown {
      if (this === scope) throw new SandboxError(`${name} is not available on the worker itself: skills run without ${what} (${name} is disabled in the skill sandbox)`);
      return Reflect.apply(original, this, args);
    }
    Object.defineProperty(target, name, { value: guarded, writable: false, configurable: false, enumerable: true });
  }
}

/**
 * A `fetch` that only GETs URLs under the given prefixes, for a runtime that loads its own files
 * after skill code may run (Pyodide fetches packages when a skill imports them): the runtime
 * keeps working, and the skill can read nothing else, not this app's API above all. Refused
 * requests throw at once, so skill code that cannot await still sees why.
 */
export function fetchWithin(prefixes: readonly string[], network: typeof fetch): typeof fetch {
  return (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, self.location.href).href;
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    if (method === 'GET' && prefixes.some((prefix) => url.startsWith(prefix))) return network(input, init);
    throw new SandboxError(`fetch is not available: skills run without network access (only the runtime's own files are fetched; ${method} ${url} is refused)`);
  };
}

/** Captures console output (every level, one stream, EXEC-4) as the skill's stdout, passing each line to `emit`. */
export function captureConsole(emit: (text: string) => void): void {
  for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    // Replacing console methods (not calling them) is the point here.
    // eslint-disable-next-line no-console
    console[level] = (...args: unknown[]) => emit(formatConsoleLine(args));
  }
}

/**
 * Where a browser skill's error is (EXEC-7). Its code is compiled by `new Function` (or an async
 * one), whose body starts `headerLines` lines into the generated source, and whose frames read
 * `at fn (eval at …, <anonymous>:line:col)`. V8 gives a syntax error there no line, so it is
 * found by compiling ever longer prefixes of the code until one fails with the same message.
 */
export function browserErrorLocator(skill: SkillCode, compile: (code: string) => unknown, headerLines = 2): ErrorLocator {
  const lines = skill.code.split('\n');
  return {
    frames: (stack) =>
      v8Frames(stack, 'eval at .*<anonymous>:(\\d+):(\\d+)', (line) => {
        const k = line - headerLines;
        return k >= 1 && k <= lines.length ? skill.codeLine + k - 1 : undefined;
      }).map((f) => (f.fn === 'eval' || f.fn === 'anonymous' ? { line: f.line, column: f.column } : f)),
    syntaxLine: ({ message }) => {
      for (let k = 1; k <= lines.length; k++) {
        try {
          compile(lines.slice(0, k).join('\n'));
        } catch (e) {
          if ((e as Error).message === message) return skill.codeLine + k - 1;
        }
      }
      return undefined;
    },
  };
}
