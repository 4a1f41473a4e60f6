// The mining worker's message handling (what runs inside web/src/evolution/mining.worker.ts) and
// the assistant's list_skill_suggestions on its results, with the real miner over real traces.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { RunTrace } from '../../shared/src/execution/types';
import { applyTool, type ToolTarget } from '../src/chat/tools';
import { suggestionSummary } from '../src/evolution/suggestions';
import { handleMineMessage, type MineReply, type MineRequest } from '../src/evolution/mining-job';
import { chainRun } from './evolution-runs';

const NOW = Date.parse('2026-12-07T00:00:00.000Z');
const SKILLS: MineRequest['skills'] = {
  'quantum-hamiltonian': { name: 'Hamiltonian Builder', inputs: [{ name: 'bond_length', type: 'number', default: 0.74 }], outputs: [{ name: 'hamiltonian', type: 'object' }] },
  'quantum-vqe': { name: 'VQE Optimizer', inputs: [{ name: 'hamiltonian', type: 'object', required: true }], outputs: [{ name: 'energy', type: 'number' }] },
};

let n = 0;
const trace = (workflow: string, hours: number): RunTrace =>
  chainRun(`run-${++n}`, workflow, new Date(NOW - hours * 3_600_000).toISOString(), ['quantum-hamiltonian', 'quantum-vqe'], [['hamiltonian', 'hamiltonian']]);

const request = (over: Partial<MineRequest> = {}): MineRequest => ({
  type: 'mine',
  id: 7,
  traces: [trace('H2', 30), trace('H2', 5), trace('LiH', 2), 'not a trace'],
  skills: SKILLS,
  compounds: [],
  dismissed: [],
  now: NOW,
  days: 7,
  minSupport: 3,
  ...over,
});

const handle = (message: unknown): MineReply[] => {
  const replies: MineReply[] = [];
  handleMineMessage(message, (r) => replies.push(r));
  return replies;
};

const result = (replies: MineReply[]) => {
  const last = replies.at(-1)!;
  if (last.type !== 'result') throw new Error(`expected a result, got ${JSON.stringify(last)}`);
  return last;
};

describe('the mining worker', () => {
  it('reports each step, then the suggestion with its evidence and the lines it skipped', () => {
    const replies = handle(request());
    expect(replies.map((r) => (r.type === 'progress' ? r.step : r.type))).toEqual(['reading', 'mining', 'naming', 'result']);
    expect(replies.every((r) => r.id === 7)).toBe(true);
    const r = result(replies);
    expect(r.runs).toBe(3);
    expect(r.skipped).toBe(1);
    expect(r.suggestions).toHaveLength(1);
    const s = r.suggestions[0]!;
    expect(s.name).toBe('Hamiltonian Builder → VQE Optimizer');
    expect(s.support).toBe(3);
    expect(s.evidence.workflows).toEqual(['H2', 'LiH']);
    expect(s.inputs.map((p) => p.name)).toEqual(['bond_length']);
    expect(s.outputs.map((p) => p.name)).toEqual(['energy']);
  });

  it('leaves out a dismissed pattern, and one the library has as a compound skill', () => {
    const offered = result(handle(request())).suggestions[0]!;
    expect(result(handle(request({ dismissed: [offered.key] }))).suggestions).toEqual([]);
    expect(result(handle(request({ compounds: [offered.markdown] }))).suggestions).toEqual([]);
  });

  it('answers a message that is not a request, and options the miner refuses, with an error', () => {
    expect(handle({ type: 'mine', id: 3 })).toEqual([{ type: 'error', id: 3, message: expect.stringMatching(/not a mining request/) }]);
    const refused = handle(request({ minSupport: 0 })).at(-1)!;
    expect(refused.type).toBe('error');
    expect(refused.type === 'error' && refused.message).toMatch(/^Mining the runs failed: .*support/i);
  });
});

describe('list_skill_suggestions from the chat', () => {
  const base: Omit<ToolTarget, 'suggestions'> = { workflow: new Y.Doc(), skills: new Y.Doc(), lookup: () => undefined, skillFormat: () => Promise.reject(new Error('not used')) };

  it('returns the suggestions with name, skill ids, support, workflows and ports', async () => {
    const suggestions = result(handle(request())).suggestions.map(suggestionSummary);
    const outcome = await applyTool('list_skill_suggestions', {}, { ...base, suggestions: () => Promise.resolve(suggestions) });
    expect(outcome.isError).toBe(false);
    expect(JSON.parse(outcome.content)).toEqual({
      suggestions: [
        {
          name: 'Hamiltonian Builder → VQE Optimizer',
          skill_id: expect.stringMatching(/^quantum-hamiltonian-quantum-vqe-[0-9a-z]{6}$/),
          skills: ['quantum-hamiltonian', 'quantum-vqe'],
          support: 3,
          workflows: ['H2', 'LiH'],
          last_run: '2026-12-06T22:00:00.000Z',
          inputs: ['bond_length: number'],
          outputs: ['energy: number'],
        },
      ],
    });
  });

  it('says so when the view has no suggestions to give', async () => {
    const outcome = await applyTool('list_skill_suggestions', {}, base);
    expect(outcome).toEqual({ content: 'Skill suggestions are not available in this view.', isError: true });
  });
});
