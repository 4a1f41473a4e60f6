// EXEC-11. Skill code in the headless JavaScript and Three.js sandbox (node:vm in a worker thread) reaches
// neither the host's `process` (so no secrets from the environment, no child processes, no files)
// nor `require` or Node's modules: not directly, not by `import()`, and not through the host's
// objects it is handed or can provoke (three.js classes, util.inspect's hooks, thenables, host
// errors), each of which would otherwise give it the host realm's `Function`. Python skills in
// Pyodide reach neither either: not through `js`, `run_js`, `pyodide_js`, Emscripten's module and
// file systems, nor `os.system`, and they still print and compute.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorkflow } from '../../../shared/src/execution/executor';
import type { ResolvedSkill } from '../../../shared/src/execution/types';
import { nodeRuntimes } from '../../src/headless/runtimes';
import { node, skillFrom, skillSource } from './helpers';

const SECRET_NAME = 'LLMUNIX_SANDBOX_TEST_SECRET';
const SECRET = 'do-not-leak-0123456789';


let runtimes: ReturnType<typeof nodeRuntimes>;
const skills = new Map<string, ResolvedSkill>();

/**
 * A probe: each attempt (name → function, may be async) either hands back what it reached, as a
 * string, or fails; the output `x` maps each name to "reached: …" or the error.
 */
const probe = (attempts: string) => `async function attempt(name, fn, into) {
  try {
    const got = await fn();
    // Never the whole environment: a failing run would print it into the test log.
    into[name] = 'reached: ' + (got && typeof got === 'object' && 'env' in got ? 'process, secret ' + (got.env.${SECRET_NAME} ? 'there' : 'gone') : String(got));
  } catch (e) {
    into[name] = (e && e.name) + ': ' + (e && e.message);
  }
}
const attempts = {
${attempts}
};
async function run() {
  const found = {};
  for (const [name, fn] of Object.entries(attempts)) await attempt(name, fn, found);
  return { x: found };
}`;

const JS_PROBE = `${probe(`
  globals: () => [typeof process, typeof require, typeof module, typeof Buffer, typeof globalThis.process].join(','),
  ownFunction: () => (function () {}).constructor('return typeof process')(),
  importFs: () => import('node:fs'),
  // util.inspect would call this hook with its own options and itself (host functions); console
  // output is formatted by the shared rules (EXEC-4), which never call it.
  inspectHook: () => {
    let leaked;
    console.log({ [Symbol.for('nodejs.util.inspect.custom')]: (depth, options, inspect) => { leaked = inspect.constructor('return process')(); return 'x'; } });
    return leaked;
  },
  // A host TypeError, thrown by the host's clearTimeout turning a symbol into a number.
  hostError: () => {
    try {
      clearTimeout(Symbol('id'));
    } catch (e) {
      return e.constructor.constructor('return process')();
    }
    return 'no error';
  },`)}
function execute() {
  return run();
}`;

/** The host awaits what execute returns: a thenable gets the host's resolve function. */
const THENABLE_PROBE = `function execute() {
  return {
    then(resolve, reject) {
      try {
        const leaked = resolve.constructor('return process')();
        resolve({ x: 'reached: ' + typeof leaked });
      } catch (e) {
        resolve({ x: e.name + ': ' + e.message });
      }
    },
  };
}`;

const THREE_PROBE = `${probe(`
  classConstructor: () => THREE.Scene.constructor('return process')(),
  instanceChain: () => scene.constructor.constructor('return process')(),
  asyncFunction: () => Object.getPrototypeOf(THREE.Loader.prototype.loadAsync).constructor('return process')(),
  renderer: () => renderer.render.constructor('return process')(),
  threeError: () => {
    try {
      new THREE.Vector3().copy(null);
    } catch (e) {
      return e.constructor.constructor('return process')();
    }
    return 'no error';
  },`)}
return (await run());`;

/** Where os.system would leave its mark on the host, were it to reach a real shell. */
const MARK = path.join(os.tmpdir(), `llmunix-python-probe-${process.pid}`);

/**
 * Python in Pyodide reaches JavaScript through `js`, `run_js`, `pyodide_js` and Emscripten's
 * module, and `os.system` reaches a shell in Node: every way that led to the worker's process,
 * modules, files or network, each answering "reached: …" or the exception it raised.
 */
const PYTHON_PROBE = `import os
import js
import pyodide_js


def attempt(fn):
    try:
        return "reached: " + str(fn())
    except BaseException as e:
        return type(e).__name__ + ": " + str(e).splitlines()[0]


def mount_host():
    pyodide_js.mountNodeFS("/host", "/etc")
    return open("/host/hostname").read()


def mount_nodefs():
    fs = pyodide_js.FS
    fs.mkdir("/host2")
    fs.mount(pyodide_js._module.NODEFS or fs.filesystems.NODEFS, js.Object.fromEntries([["root", "/"]]), "/host2")
    return os.listdir("/host2")


def execute(inputs):
    return {"x": {
        "jsProcess": attempt(lambda: js.process.env.${SECRET_NAME}),
        "fromJsImport": attempt(lambda: __import__("js").process.versions.node),
        "jsRequire": attempt(lambda: js.require("node:child_process")),
        "jsGlobalThis": attempt(lambda: js.globalThis.process.pid),
        "jsEval": attempt(lambda: js.eval("process.pid")),
        "jsFunction": attempt(lambda: js.Function("return process.pid")()),
        "constructorChain": attempt(lambda: js.Object.constructor("return process.pid")()),
        "constructorOfConstructor": attempt(lambda: js.setTimeout.constructor.constructor("return process.pid")()),
        "runJs": attempt(lambda: __import__("pyodide.code").code.run_js("process.pid")),
        "pyodideModule": attempt(lambda: pyodide_js._module.constructor.constructor("return process.pid")()),
        "pyodideApi": attempt(lambda: pyodide_js._api.config.jsglobals.process.pid),
        "osSystem": attempt(lambda: os.system("touch ${MARK}")),
        "etcPasswd": attempt(lambda: open("/etc/passwd").read()[:10]),
        "mountNodeFS": attempt(mount_host),
        "nodefs": attempt(mount_nodefs),
        "fetch": attempt(lambda: js.fetch("http://127.0.0.1:9/")),
    }}`;

const js = (id: string, code: string) => skillFrom(skillSource({ name: id, skill_id: id, type: 'javascript', outputs: [{ name: 'x', type: 'any' }] }, 'javascript', code), `user/${id}.md`);
const three = (id: string, code: string) => skillFrom(skillSource({ name: id, skill_id: id, type: 'threejs', outputs: [{ name: 'x', type: 'any' }] }, 'javascript', code), `user/${id}.md`);

beforeAll(() => {
  // Worker threads copy the environment they start with: the secret is there to be leaked.
  process.env[SECRET_NAME] = SECRET;
  runtimes = nodeRuntimes({ javascriptWorkers: 1 });
  const python = skillFrom(skillSource({ name: 'python-probe', skill_id: 'python-probe', type: 'python', outputs: [{ name: 'x', type: 'any' }] }, 'python', PYTHON_PROBE), 'user/python-probe.md');
  const works = skillFrom(
    skillSource({ name: 'python-fenced-works', skill_id: 'python-fenced-works', type: 'python', outputs: [{ name: 'x', type: 'any' }] }, 'python', 'import json\nimport js\n\ndef execute(inputs):\n    print("fenced and fine")\n    return {"x": {"sum": sum([1, 2, 3]), "now": js.Date.now() > 0, "json": json.dumps({"a": 1})}}'),
    'user/python-fenced-works.md',
  );
  for (const s of [js('js-probe', JS_PROBE), js('thenable-probe', THENABLE_PROBE), three('three-probe', THREE_PROBE), python, works]) skills.set(s.skill.frontmatter.skill_id, s);
});
afterAll(async () => {
  delete process.env[SECRET_NAME];
  fs.rmSync(MARK, { force: true });
  await runtimes.close();
});

const runOne = async (skillId: string) => {
  const report = await runWorkflow({ graph: { nodes: [node('n', skillId)], edges: [] }, resolve: (id) => skills.get(id), runtimes });
  return report.nodes.n!;
};

/** What the host realm's code-generating constructors answer in the sandbox's worker. */
const REFUSED = /^EvalError: functions cannot be made from strings here: skills have no access to the host \(its process, modules or environment\)$/;

describe('headless sandbox: no way out to the host', () => {
  it('JavaScript skills find no process, require or Node module, and the host objects they meet give them none', async () => {
    const n = await runOne('js-probe');
    expect(n.status, n.error).toBe('done');
    expect(n.outputs?.x).toEqual({
      globals: 'reached: undefined,undefined,undefined,undefined,undefined',
      ownFunction: 'reached: undefined',
      importFs: expect.stringMatching(/^TypeError: .*(dynamic import|importModuleDynamically)/i),
      inspectHook: 'reached: undefined',
      hostError: expect.stringMatching(REFUSED),
    });
    expect(JSON.stringify(n)).not.toContain(SECRET);
  });

  it('Python skills reach no process, module, host file or network: not through js, run_js, pyodide_js, Emscripten or os.system', async () => {
    const n = await runOne('python-probe');
    expect(n.status, n.error).toBe('done');
    const refused = (what: string) => `JsException: HostAccessError: ${what} is not available to skills: they run without the host’s processes, files, network or modules`;
    const noHost = 'JsException: EvalError: functions cannot be made from strings here: skills have no access to the host (its process, modules or environment)';
    expect(n.outputs?.x).toEqual({
      // `js` is an object of its own: what it has refuses, what it lacks is not there.
      jsProcess: 'AttributeError: env',
      fromJsImport: 'AttributeError: versions',
      jsRequire: refused('require'),
      jsGlobalThis: 'AttributeError: pid',
      jsEval: 'AttributeError: eval',
      jsFunction: 'AttributeError: Function',
      constructorChain: noHost,
      constructorOfConstructor: noHost,
      runJs: "ImportError: cannot import name 'eval' from 'js' (unknown location)",
      pyodideModule: noHost,
      pyodideApi: 'AttributeError: pid',
      // A shell that finds no command: exit status 127, as os.system encodes it.
      osSystem: 'reached: 32512',
      etcPasswd: "FileNotFoundError: [Errno 44] No such file or directory: '/etc/passwd'",
      mountNodeFS: "JsException: Error: hostPath '/etc' does not exist",
      nodefs: 'AttributeError: NODEFS',
      fetch: refused('fetch'),
    });
    expect(fs.existsSync(MARK)).toBe(false);
    expect(n.stdout).toContain(`os.system("touch ${MARK}"): a shell is not available to skills`);
    expect(JSON.stringify(n)).not.toContain(SECRET);
  }, 60_000);

  it('Python skills still print, compute and return after the fence', async () => {
    const n = await runOne('python-fenced-works');
    expect(n.status, n.error).toBe('done');
    expect(n.outputs?.x).toEqual({ sum: 6, now: true, json: '{"a": 1}' });
    expect(n.stdout).toBe('fenced and fine\n');
  }, 60_000);

  it("a thenable result gets resolve functions of the skill's own realm, which has no process", async () => {
    const n = await runOne('thenable-probe');
    expect(n.outputs?.x).toBe('ReferenceError: process is not defined');
    expect(JSON.stringify(n)).not.toContain(SECRET);
  });

  it("Three.js skills, handed the host's three.js, scene and renderer, cannot reach the host through them", async () => {
    const n = await runOne('three-probe');
    expect(n.status, n.error).toBe('done');
    expect(n.outputs?.x).toEqual({
      classConstructor: expect.stringMatching(REFUSED),
      instanceChain: expect.stringMatching(REFUSED),
      asyncFunction: expect.stringMatching(REFUSED),
      renderer: expect.stringMatching(REFUSED),
      threeError: expect.stringMatching(REFUSED),
    });
    expect(JSON.stringify(n)).not.toContain(SECRET);
  });
});
