// Worker thread of the ngspice runtime: one eecircuit-engine (ngspice in WebAssembly), started once.
import { Simulation } from 'eecircuit-engine';
import { serve } from './worker-serve';

export interface SpiceJob {
  netlist: string;
}

export interface SpiceAnswer {
  /** ngspice's messages of this run; errors among them mean the results are not this netlist's. */
  messages: string[];
  vectors: Array<{ name: string; values: number[] | Array<{ real: number; img: number }> }>;
}

serve<SpiceJob, SpiceAnswer, Simulation>(
  async () => {
    const sim = new Simulation();
    await sim.start();
    return sim;
  },
  async (job, sim, _out, start) => {
    start();
    sim.setNetList(job.netlist);
    const result = await sim.runSim();
    return {
      messages: sim.getError(),
      // Plain arrays: the values cross to the host by structured clone.
      vectors: result.data.map((d) => ({ name: d.name, values: [...(d.values as Array<number | { real: number; img: number }>)] as SpiceAnswer['vectors'][number]['values'] })),
    };
  },
);
