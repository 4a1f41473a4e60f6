// EXEC-5: the ngspice runtime (eecircuit-engine in a worker thread) through the executor: the divider,
// `.op` values as numbers, and clear errors for a missing vector or a netlist ngspice rejects.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorkflow } from '../../../shared/src/execution/executor';
import type { ResolvedSkill } from '../../../shared/src/execution/types';
import { NgspiceRuntime } from '../../src/headless/ngspice-runtime';
import { loadVolumes } from '../../src/headless/skills';
import { node, skillFrom, skillSource } from './helpers';

const ngspice = new NgspiceRuntime();
let skills: Map<string, ResolvedSkill>;

const spice = (id: string, netlist: string, outputs: object[], inputs: object[] = []) =>
  skillFrom(skillSource({ name: id, skill_id: id, type: 'ngspice', inputs, outputs }, 'spice', netlist), `user/${id}.md`);

const runOne = async (skillId: string, inputs = {}) => {
  const report = await runWorkflow({ graph: { nodes: [node('n', skillId, inputs)], edges: [] }, resolve: (id) => skills.get(id), runtimes: { ngspice } });
  return report.nodes.n!;
};

beforeAll(async () => {
  skills = (await loadVolumes()).skills;
  const divider = '* divider at its operating point\nV1 in 0 DC {{vin}}\nR1 in mid 1k\nR2 mid 0 3k\n.op\n.end';
  for (const s of [
    spice('op-divider', divider, [{ name: 'v_mid', type: 'number' }, { name: 'i_v1', type: 'number' }, { name: 'v_in', type: 'array' }], [{ name: 'vin', type: 'number', default: 8 }]),
    spice('missing-vector', divider, [{ name: 'v_nowhere', type: 'number' }], [{ name: 'vin', type: 'number', default: 1 }]),
    spice('bad-netlist', '* bad\nV1 in 0 DC 1\nR1 in out 1k\nXNOPE out 0 nosuchsubckt\n.op\n.end', [{ name: 'v_out', type: 'number' }]),
    spice('sweep-as-number', '* sweep\nV1 in 0 DC 1\nR1 in 0 1k\n.dc V1 0 1 0.5\n.end', [{ name: 'v_in', type: 'number' }]),
  ]) {
    skills.set(s.skill.frontmatter.skill_id, s);
  }
  const t0 = performance.now();
  await ngspice.warm();
  console.info(`ngspice (eecircuit-engine) start in a worker thread: ${(performance.now() - t0).toFixed(0)} ms`);
});
afterAll(() => ngspice.close());

describe('ngspice in Node', () => {
  it('the SPICE divider gives vin·r2/(r1+r2) across the sweep', async () => {
    const n = await runOne('spice-resistor', { vin: 12, r1: 3300, r2: 4700 });
    expect(n.status).toBe('done');
    const vOut = n.outputs?.v_out as number[];
    const vIn = n.outputs?.v_in as number[];
    expect(vIn).toHaveLength(11);
    const expected = (12 * 4700) / (3300 + 4700);
    console.info(`divider: v_out ${vOut.at(-1)} V (expected ${expected} V) in ${n.durationMs} ms`);
    expect(Math.abs(vOut.at(-1)! - expected)).toBeLessThan(1e-6 * expected);
    vIn.forEach((v, i) => expect(vOut[i]).toBeCloseTo((v * 4700) / 8000, 9));
    expect((n.outputs?.i_v1 as number[]).at(-1)).toBeCloseTo(-12 / 8000, 12);
  });

  it('after .op a number output gets the single value, an array output the vector', async () => {
    const n = await runOne('op-divider');
    expect(n.outputs).toEqual({ v_mid: expect.closeTo(6, 9), i_v1: expect.closeTo(-0.002, 12), v_in: [expect.closeTo(8, 9)] });
  });

  it('a missing vector, a rejected netlist or a sweep read as a number is a clear error', async () => {
    expect((await runOne('missing-vector')).error).toMatch(
      /^output "v_nowhere" reads the vector v\(nowhere\), which the simulation did not produce \(it produced: v\(in\), v\(mid\), i\(v1\)\)$/,
    );
    const bad = await runOne('bad-netlist');
    const line = skills.get('bad-netlist')!.skill.codeLine + 3; // XNOPE is the netlist's 4th line
    expect(bad.error).toMatch(/^ngspice rejected the netlist:\n.*unknown subckt/i);
    expect(bad.error).toContain(`line ${line} of user/bad-netlist.md`);
    expect((await runOne('sweep-as-number')).error).toBe(
      'output "v_in" is declared number, but the vector v(in) has 3 values (a sweep); declare it array for the whole vector, or simulate with .op for one value',
    );
    // A rejected netlist leaves no stale vectors behind: the next good run is its own.
    expect((await runOne('op-divider', { vin: 4 })).outputs?.v_mid).toBeCloseTo(3, 9);
  });

  it('a value a netlist cannot take is a clear error', async () => {
    const report = await runWorkflow({
      graph: { nodes: [node('n', 'spice-resistor', { vin: 'x\ny' })], edges: [] },
      resolve: (id) => skills.get(id),
      runtimes: { ngspice },
    });
    expect(report.nodes.n?.error).toMatch(/must be a single line/);
  });
});
