import type { CompoundSkillParts } from '../src/skill/compound';

/** Hamiltonian Builder → VQE Optimizer as a compound skill's parts, as mining would make it. */
export const H2_COMPOUND: CompoundSkillParts = {
  name: 'Hamiltonian Builder → VQE Optimizer',
  skillId: 'hamiltonian-vqe',
  description: 'The ground state of H2 at a bond length.',
  inputs: [{ name: 'bond_length', type: 'number', default: 0.74 }],
  outputs: [{ name: 'energy', type: 'number' }],
  inside: {
    nodes: [
      { id: 'ham', skillId: 'quantum-hamiltonian', label: 'H2', position: { x: 0, y: 0 }, inputs: {} },
      { id: 'vqe', skillId: 'quantum-vqe', label: '', position: { x: 320, y: 0 }, inputs: { max_iterations: 50 } },
    ],
    edges: [{ id: 'e1', source: 'ham', sourceHandle: 'hamiltonian', target: 'vqe', targetHandle: 'hamiltonian' }],
    inputs: [{ name: 'bond_length', targets: [{ node: 'ham', port: 'bond_length' }] }],
    outputs: [{ name: 'energy', node: 'vqe', port: 'eigenvalue' }],
  },
  derivedFrom: { skills: ['quantum-hamiltonian', 'quantum-vqe'], support: 3, window_days: 7, mined_at: '2026-12-07T00:00:00Z' },
};
