import path from 'node:path';
import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

type Directives = Record<string, string[]>;

/**
 * The Content Security Policy of the app and of every other response. What each source is for:
 * - script-src 'wasm-unsafe-eval': Pyodide and ngspice compile WebAssembly; plain eval stays off.
 * - style-src 'unsafe-inline': React Flow and uPlot position nodes with inline style attributes.
 * - img-src data: blob:: canvas and plot exports, Three.js textures.
 * - connect-src 'self': the REST API and the WebSocket (CSP3: 'self' matches ws:/wss: on the
 *   same host and port).
 * - the package mirror's origin (PYODIDE_PACKAGE_URL), when set: Pyodide fetches packages there.
 * - upgrade-insecure-requests is left out on purpose: on plain http (loopback, a LAN) it would
 *   send every request to an https port nobody listens on.
 */
function appDirectives(pyodidePackageUrl?: string): Directives {
  const packages = pyodidePackageUrl ? [new URL(pyodidePackageUrl).origin] : [];
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'object-src': ["'none'"],
    'frame-ancestors': ["'none'"],
    'form-action': ["'self'"],
    'script-src': ["'self'", "'wasm-unsafe-eval'", ...packages],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", ...packages],
    'worker-src': ["'self'"],
    'manifest-src': ["'self'"],
  };
}

/** Adds sources to one directive of a policy. */
const plus = (directives: Directives, name: string, ...sources: string[]): Directives => ({ ...directives, [name]: [...(directives[name] ?? []), ...sources] });

/**
 * The Python worker's own policy: the app's, plus 'unsafe-eval', because Pyodide evaluates the
 * JavaScript glue (EM_ASM/EM_JS) of the packages' shared libraries as it loads them. A dedicated
 * worker is governed by the policy of its own script's response, so the page keeps eval off.
 */
const pythonWorkerDirectives = (pyodidePackageUrl?: string): Directives => plus(appDirectives(pyodidePackageUrl), 'script-src', "'unsafe-eval'");

/** The ngspice worker's: the app's, plus data: to fetch, where its engine inlines its WebAssembly. */
const ngspiceWorkerDirectives = (pyodidePackageUrl?: string): Directives => plus(appDirectives(pyodidePackageUrl), 'connect-src', 'data:');

/**
 * The JavaScript and Three.js skill workers' policy: skill code, possibly a collaborator's, runs
 * there by `new Function`, hence 'unsafe-eval' and nothing else. No import() of any URL (not even
 * data: or this origin), no fetch, WebSocket or EventSource, no nested workers. The globals
 * removed in web/src/runtimes/sandbox.ts are the second layer; this one holds even for what a
 * global cannot reach, such as `import()`.
 */
const SANDBOX_WORKER_DIRECTIVES: Directives = {
  'default-src': ["'none'"],
  'script-src': ["'unsafe-eval'"],
};

/** The WebGPU worker's policy: the sandbox's without 'unsafe-eval', as it compiles no JavaScript. */
const WEBGPU_WORKER_DIRECTIVES: Directives = { 'default-src': ["'none'"] };

/**
 * The worker bundles of dist/web/assets by file name: Vite names a worker entry after its source
 * file (`javascript.worker.ts` → `javascript.worker-<hash>.js`).
 */
const WORKER_FILE = /^(javascript|threejs|python|ngspice|webgpu)\.worker-[\w-]+\.js$/;

const policy = (directives: Directives) => helmet.contentSecurityPolicy({ useDefaults: false, directives });

/**
 * Helmet's headers on every response, with the app's policy. HSTS is left to whatever
 * terminates TLS in front of the server: this server speaks plain HTTP, and HSTS with
 * includeSubDomains would reach other sites of the deployer's domain.
 */
export function securityHeaders(pyodidePackageUrl?: string): RequestHandler {
  return helmet({ contentSecurityPolicy: { useDefaults: false, directives: appDirectives(pyodidePackageUrl) }, strictTransportSecurity: false });
}

/**
 * For `express.static`'s `setHeaders`: gives the runtime workers' scripts their own policy in
 * place of the app's. The service worker precaches these responses whole, headers included, so
 * the policies hold offline too.
 */
export function workerScriptPolicies(webDist: string, pyodidePackageUrl?: string): (res: ServerResponse, filePath: string) => void {
  const byWorker = {
    javascript: policy(SANDBOX_WORKER_DIRECTIVES),
    threejs: policy(SANDBOX_WORKER_DIRECTIVES),
    // Runs no JavaScript of a skill's, only WGSL: nothing to evaluate, fetch or import.
    webgpu: policy(WEBGPU_WORKER_DIRECTIVES),
    python: policy(pythonWorkerDirectives(pyodidePackageUrl)),
    ngspice: policy(ngspiceWorkerDirectives(pyodidePackageUrl)),
  };
  const assets = path.join(webDist, 'assets');
  return (res, filePath) => {
    if (path.dirname(filePath) !== assets) return;
    const worker = WORKER_FILE.exec(path.basename(filePath))?.[1] as keyof typeof byWorker | undefined;
    if (!worker) return;
    // Helmet's middleware only sets headers, synchronously; it replaces the app's policy here.
    byWorker[worker](res.req, res, () => undefined);
  };
}
