// Skill code in the headless JavaScript and Three.js sandbox (node:vm in a worker thread) reaches
// neither the host's `process` (so no secrets from the environment, no child processes, no files)
// nor `require` or Node's modules: not directly, not by `import()`, and not through the host's
// objects it is handed or can provoke (three.js classes, util.inspect's hooks, thenables, host
// errors), each of which would otherwise give it the host realm's `Function`.
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

/** Python in Pyodide reaches JavaScript's globals through the `js` module: the worker's process among them. */
const PYTHON_PROBE = `import js

def execute(inputs):
    env = js.process.env
    return {"x": {"secret": getattr(env, "${SECRET_NAME}", None), "variables": len(js.Object.keys(env))}}`;

const js = (id: string, code: string) => skillFrom(skillSource({ name: id, skill_id: id, type: 'javascript', outputs: [{ name: 'x', type: 'any' }] }, 'javascript', code), `user/${id}.md`);
const three = (id: string, code: string) => skillFrom(skillSource({ name: id, skill_id: id, type: 'threejs', outputs: [{ name: 'x', type: 'any' }] }, 'javascript', code), `user/${id}.md`);

beforeAll(() => {
  // Worker threads copy the environment they start with: the secret is there to be leaked.
  process.env[SECRET_NAME] = SECRET;
  runtimes = nodeRuntimes({ javascriptWorkers: 1 });
  const python = skillFrom(skillSource({ name: 'python-probe', skill_id: 'python-probe', type: 'python', outputs: [{ name: 'x', type: 'any' }] }, 'python', PYTHON_PROBE), 'user/python-probe.md');
  for (const s of [js('js-probe', JS_PROBE), js('thenable-probe', THENABLE_PROBE), three('three-probe', THREE_PROBE), python]) skills.set(s.skill.frontmatter.skill_id, s);
});
afterAll(async () => {
  delete process.env[SECRET_NAME];
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

  it('Python skills reach the worker’s process through `js`, but its environment is empty', async () => {
    const n = await runOne('python-probe');
    expect(n.status, n.error).toBe('done');
    expect(n.outputs?.x).toEqual({ secret: null, variables: 0 });
    expect(JSON.stringify(n)).not.toContain(SECRET);
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
